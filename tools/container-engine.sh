#!/usr/bin/env bash
# Makes a Docker-compatible engine available to Testcontainers on a machine that has none, so that
# the benchmarks' wrk can run in a container (DockerWrk, DockerWrkIT, ./journey --wrk=docker).
#
#   eval "$(tools/container-engine.sh)"     # then DOCKER_HOST and TESTCONTAINERS_RYUK_DISABLED are set
#
# It acts only where it can and must: as root, on Debian (apt-get), where no Docker engine answers.
# There it installs Podman (Debian's 4.3), configures it for a sandboxed machine, starts its Docker
# API on a unix socket, and makes the base image the wrk image needs, debian:bookworm-slim, from
# Debian's own mirror with debootstrap when no registry can be reached (skipped when the image is
# there). On a machine with Docker it touches nothing and prints nothing: Testcontainers finds
# Docker by itself, and the same Dockerfile pulls debian:bookworm-slim from Docker Hub.
# Everything it says goes to stderr; stdout carries only the two export lines.
set -euo pipefail

say() { echo "container-engine: $*" >&2; }

SOCKET=/run/podman/podman.sock

answers() { # a Docker API that answers _ping on this unix socket
  curl -fsS --max-time 2 --unix-socket "$1" http://d/_ping >/dev/null 2>&1
}

if [ -n "${DOCKER_HOST:-}" ] || answers /var/run/docker.sock; then
  say "a Docker engine is already configured (DOCKER_HOST or /var/run/docker.sock): nothing to do"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "no Docker engine, and this is not root on Debian: nothing set up (container tests will be skipped)"
  exit 0
fi

missing=()
for p in podman runc debootstrap curl; do
  command -v "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# crun refuses a machine whose cgroups are hybrid (v1 controllers beside a v2 mount): runc does not.
# The sandbox cannot raise limits past its own, so containers get what it allows; events go to a
# file, since there is no journald to take them.
mkdir -p /etc/containers
conf=/etc/containers/containers.conf
if ! grep -q "warp-journey" "$conf" 2>/dev/null; then
  cat > "$conf" <<'CONF'
# Written by warp-journey's tools/container-engine.sh.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi

# A service started earlier from a directory that has since been deleted (a clone removed after its
# own CI run) still answers _ping, but cannot start a container: conmon, its child, fails with
# "Failed to get working directory", and the API says "write child: broken pipe". Restart it.
for pid in $(pgrep -f "podman system service.*$SOCKET" || true); do
  if readlink "/proc/$pid/cwd" | grep -q ' (deleted)$'; then
    say "podman's API (pid $pid) runs in a deleted directory: restarting it"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$SOCKET"
  fi
done

if ! answers "$SOCKET"; then
  mkdir -p "$(dirname "$SOCKET")"
  say "starting podman's Docker API on unix://$SOCKET"
  # From /, not from the clone that runs this script: the service outlives it (see above).
  # Its output and input are its log and /dev/null, so that nothing holds the caller's pipe open
  # (.ci/run reads this script's output to its end).
  (cd / && exec nohup podman system service --time=0 "unix://$SOCKET" >/tmp/podman-service.log 2>&1 </dev/null) &
  for _ in $(seq 1 50); do
    answers "$SOCKET" && break
    sleep 0.2
  done
  answers "$SOCKET" || { say "podman's API did not answer; see /tmp/podman-service.log"; exit 1; }
fi

# No image registry may be reachable: make debian:bookworm-slim from the Debian mirror apt uses.
if ! podman image exists docker.io/library/debian:bookworm-slim; then
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  mirror=${mirror:-$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)}
  mirror=${mirror:-http://deb.debian.org/debian}
  root=$(mktemp -d /tmp/bookworm-slim.XXXXXX)
  say "making debian:bookworm-slim with debootstrap from $mirror (about half a minute)"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >/tmp/debootstrap.log 2>&1 \
    || { say "debootstrap failed; see /tmp/debootstrap.log"; exit 1; }
  tar -C "$root" -c . | podman import --change 'CMD ["/bin/sh"]' - docker.io/library/debian:bookworm-slim >/dev/null
  rm -rf "$root"
fi

# Ryuk, Testcontainers' reaper, is an image from a registry: the containers are removed by the tests.
echo "export DOCKER_HOST=unix://$SOCKET"
echo "export TESTCONTAINERS_RYUK_DISABLED=true"
