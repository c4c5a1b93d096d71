#!/usr/bin/env bash
# Chapter 04's open question, measured: does the file cache's reaper run on time when the server
# is busy? The loop runs its reaper on its own timer, between two selects; model vthreads runs it as
# a virtual thread that sleeps a period and must then get a carrier thread, the one carrier that
# also runs every connection (the fdcache run's stage-04-fdcache@vthreads-1). Each server logs its
# passes (-Dstage04.reaper.log=true: how late each pass ran, what it marked and dropped) while wrk
# runs the journey's manyfiles scenario (a random file of 10,000, 100 connections) with and without
# strace attached, as the fdcache run's timed rounds and its system-call pass did.
#
#   tools/reaper-passes.sh [--seconds 40] [--rounds 2] [--quota 0.5] [--out results/fdcache/reaper]
#
# Each server alone on CPU 1, held to --quota of it by a cgroup CPU quota (as the journey holds its
# servers: root and a cgroup cpu controller needed, else it runs without and says so in the CSV);
# wrk and strace on CPU 0; A B A B over the rounds. Writes OUT/reaper.csv (one row per server,
# tracing and round), OUT/passes.csv (every pass), OUT/logs/ (each server's stderr) and
# OUT/environment.properties. A pass that comes after wrk's run (the server is stopped 2 s after
# it) is counted apart: how late the first one was says how long the reaper waited.
# Needs: ./mvnw package -DskipTests (stage 04's jar), the journey's corpus (target/journey-corpus,
# made by any ./journey run), wrk and strace on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/java-home.sh

seconds=40
rounds=2
quota=0.5
out=results/fdcache/reaper
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --quota) quota=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "usage: $0 [--seconds N] [--rounds N] [--quota F] [--out DIR]" >&2; exit 2 ;;
    esac
done

jar=stage-04-fdcache/target/stage-04-fdcache.jar
corpus=target/journey-corpus
lua=bench/src/main/resources/dev/warpjourney/bench/manyfiles.lua
[ -f "$jar" ] || { echo "no $jar: run ./mvnw package -DskipTests" >&2; exit 2; }
[ -f "$corpus/paths.txt" ] || { echo "no $corpus: run ./journey --quick --scenarios manyfiles once" >&2; exit 2; }
for tool in wrk strace taskset; do
    command -v "$tool" >/dev/null || { echo "$tool not on the PATH" >&2; exit 2; }
done

# The two servers, as the fdcache run started them: one loop; one carrier and one read poller.
declare -A flags=(
    [stage-04-fdcache]=""
    [stage-04-fdcache@vthreads-1]="-Djdk.virtualThreadScheduler.parallelism=1 -Djdk.readPollers=1"
)
declare -A args=(
    [stage-04-fdcache]="--loops 1"
    [stage-04-fdcache@vthreads-1]="--model vthreads --loops 1"
)

# A CPU budget: cgroup v2 (cpu.max) or v1 (cpu.cfs_quota_us), as the harness's CpuBudget makes it.
group=""
period_us=10000
quota_us=$(awk -v q="$quota" -v p="$period_us" 'BEGIN { printf "%d", q * p }')
if [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
    group=/sys/fs/cgroup/warp-journey-reaper
    mkdir -p "$group" && echo "$quota_us $period_us" > "$group/cpu.max"
elif [ -d /sys/fs/cgroup/cpu ] && [ -w /sys/fs/cgroup/cpu ]; then
    group=/sys/fs/cgroup/cpu/warp-journey-reaper
    mkdir -p "$group" && echo "$period_us" > "$group/cpu.cfs_period_us" && echo "$quota_us" > "$group/cpu.cfs_quota_us"
fi
budget=$([ -n "$group" ] && echo "$quota" || echo none)

mkdir -p "$out/logs"
rm -f "$out"/logs/*.log
pid=""
strace_pid=""
cleanup() {
    [ -n "$strace_pid" ] && kill "$strace_pid" 2>/dev/null || true
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    [ -n "$group" ] && rmdir "$group" 2>/dev/null || true
}
trap cleanup EXIT

echo "server,traced,round,seconds,cpu_quota,requests,passes,due_passes,late_median_ms,late_max_ms,dropped,dropped_per_pass,entries_median,first_after_late_ms" > "$out/reaper.csv"
echo "server,traced,round,pass,at_ms,late_ms,entries,marked,dropped,spared,during_run" > "$out/passes.csv"
port=18404
for round in $(seq 1 "$rounds"); do
    for traced in no yes; do
        for server in stage-04-fdcache stage-04-fdcache@vthreads-1; do
            log="$out/logs/$server-$([ $traced = yes ] && echo strace || echo timed)-$round.log"
            # shellcheck disable=SC2086 # the flags are words
            taskset -c 1 "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -Dstage04.reaper.log=true ${flags[$server]} \
                -jar "$jar" ${args[$server]} --port "$port" --root "$corpus" > "$log" 2>&1 &
            pid=$!
            [ -n "$group" ] && echo "$pid" > "$group/cgroup.procs"
            until grep -q "^listening on" "$log"; do
                kill -0 "$pid" 2>/dev/null || { echo "$server did not start: $(tail -3 "$log")" >&2; exit 1; }
                sleep 0.1
            done
            if [ $traced = yes ]; then
                taskset -c 0 strace -f -c -q -o /dev/null -p "$pid" &
                strace_pid=$!
                sleep 1 # attaching to every thread of a JVM takes a moment
            fi
            start_ms=$(date +%s%3N)
            requests=$(taskset -c 0 wrk -t1 -c100 -d"${seconds}s" --timeout 10s -s "$lua" \
                "http://127.0.0.1:$port/files/" -- "$corpus/paths.txt" | awk '/requests in/ { print $1 }')
            end_ms=$(date +%s%3N)
            sleep 2 # a pass that waited for the load to end comes now
            if [ -n "$strace_pid" ]; then
                kill "$strace_pid"; wait "$strace_pid" 2>/dev/null || true; strace_pid=""
            fi
            kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
            # Every pass after wrk started, and whether it ran during wrk's run. One is due every 5 s
            # (Limits.FILE_CACHE_REAP_PERIOD) from the cache's first entry, at wrk's start: 7 inside 40 s.
            awk -v s="$server" -v t="$traced" -v r="$round" -v a="$start_ms" -v b="$end_ms" '
                / reaper pass at / {
                    at = $5; if (at < a) next
                    n++; late = $7; entries = $10; marked = $12; dropped = $15; spared = $17
                    printf "%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%s\n", s, t, r, n, at - a, late, entries, marked, dropped,
                        spared, at <= b ? "yes" : "no"
                }' "$log" >> "$out/passes.csv"
            awk -F, -v s="$server" -v t="$traced" -v r="$round" -v secs="$seconds" -v q="$budget" -v req="${requests:-0}" '
                function median(v, k,   i, j, x) {
                    for (i = 2; i <= k; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
                    return k == 0 ? "" : (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2)
                }
                $1 == s && $2 == t && $3 == r && $11 == "yes" {
                    n++; late[n] = $6; ent[n] = $7; drop += $9; if (n == 1 || $6 + 0 > max) max = $6 + 0
                }
                $1 == s && $2 == t && $3 == r && $11 == "no" && after == "" { after = $6 }
                END {
                    printf "%s,%s,%s,%s,%s,%s,%d,%d,%s,%s,%d,%s,%s,%s\n", s, t, r, secs, q, req, n, int((secs * 1000 - 1) / 5000),
                        median(late, n), n ? max : "", drop, n ? sprintf("%.0f", drop / n) : "", median(ent, n), after
                }' "$out/passes.csv" >> "$out/reaper.csv"
            echo "round $round, $server, strace $traced: $(tail -1 "$out/reaper.csv")"
        done
    done
done
{
    bash tools/environment.sh
    echo "command=tools/reaper-passes.sh --seconds $seconds --rounds $rounds --quota $quota"
    echo "cpu_quota=$budget"
} > "$out/environment.properties"
