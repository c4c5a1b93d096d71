#!/usr/bin/env bash
# Faults under load, against any server: the contract's fault mix (testkit's FaultMix: byte-checked
# keep-alive pipelines beside resets, garbage, slow readers and half-closes) run against each named
# stage jar and nginx in turn, A B A B, each server alone on CPU 1 with one loop or worker, the
# clients on CPU 0. Prints good exchanges checked per second and the garbage connections held past
# the clients' patience (2 s), per round, as CSV.
#
#   tools/fault-mix.sh [--seconds 10] [--rounds 3] NAME=STAGE.jar [NAME=STAGE.jar ...]
#
# Needs: ./mvnw package -DskipTests (the testkit jar and its test classpath), nginx on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/java-home.sh

seconds=10
rounds=3
servers=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        *=*) servers+=("$1"); shift ;;
        *) echo "usage: $0 [--seconds N] [--rounds N] NAME=JAR ..." >&2; exit 2 ;;
    esac
done
servers+=("nginx=nginx")

work=$(mktemp -d /tmp/fault-mix.XXXXXX)
nginx_pid=""
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

testkit=testkit/target/testkit-1.0.0-SNAPSHOT.jar
# The assertion library FaultMix's RawClient uses: from the local repository Maven filled.
cp_file="$work/classpath"
./mvnw -q -o -B -pl testkit dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="$testkit:$(cat "$cp_file")"
root=$(java -cp "$classpath" dev.warpjourney.testkit.FaultMix root "$work/docroot")
port=18480

start() { # NAME=JAR
    local name=${1%%=*} jar=${1#*=}
    if [ "$jar" = nginx ]; then
        local conf="$work/nginx"
        mkdir -p "$conf/logs" "$conf/temp"
        cat > "$conf/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
daemon off;
pid $conf/nginx.pid;
error_log stderr error;
events { use epoll; worker_connections 20000; multi_accept on; }
http {
    access_log off; sendfile on; tcp_nopush on; tcp_nodelay on;
    open_file_cache max=20000 inactive=60s; open_file_cache_valid 60s;
    keepalive_requests 10000000; keepalive_timeout 600s;
    client_body_temp_path $conf/temp/body; proxy_temp_path $conf/temp/proxy;
    fastcgi_temp_path $conf/temp/fastcgi; uwsgi_temp_path $conf/temp/uwsgi; scgi_temp_path $conf/temp/scgi;
    server { listen 127.0.0.1:$port backlog=4096; root $root; }
}
EOF
        taskset -c 1 nginx -p "$conf" -c "$conf/nginx.conf" 2>>"$work/server.log" &
    else
        taskset -c 1 java -jar "$jar" --port "$port" --root "$root" --loops 1 >>"$work/server.log" 2>&1 &
    fi
    server_pid=$!
    for _ in $(seq 100); do
        if (echo -n >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "$name did not start: $(tail -5 "$work/server.log")" >&2
    exit 1
}

stop() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    sleep 1 # the port's connections in TIME_WAIT do not stop the next bind (SO_REUSEADDR), the old process must be gone
}

echo "round,server,good,good_per_s,faults,held,wrong"
for round in $(seq "$rounds"); do
    for s in "${servers[@]}"; do
        start "$s"
        line=$(taskset -c 0 java -cp "$classpath" dev.warpjourney.testkit.FaultMix load "$port" "$seconds" | head -1)
        stop
        # good=N good_per_s=N faults=N held=N wrong=N
        values=$(echo "$line" | sed -E 's/[a-z_]+=//g; s/ /,/g')
        echo "$round,${s%%=*},$values"
    done
done
