#!/usr/bin/env bash
# Prints the environment a measurement ran on, as key=value lines: committed beside every result
# so that a reader can tell whether their numbers and ours are comparable.
set -u
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
# cores: CPUs this process may run on (the harness pins itself to the wrk CPUs first); cpus_online: the machine's.
echo "cores=$(nproc)"
echo "cpus_online=$(nproc --all)"
echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "kernel=$(uname -sr)"
echo "jdk=$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}') ($("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vendor =/ {print $2}'))"
echo "wrk=$( (wrk -v 2>&1 || true) | head -1 | awk '{print $2}')"
echo "nginx=$( (nginx -v 2>&1 || true) | sed 's|.*nginx/||')"
# The C compiler that builds the native floor peer (bench/src/main/c/native-floor.c).
echo "cc=$( (cc --version 2>/dev/null || true) | head -1)"
# The servers' descriptor limit (they inherit the harness's; the JVM raises its soft limit to this
# hard one): stage 04's file cache keeps a quarter of it open at most.
echo "descriptor_limit=$(ulimit -Hn)"
