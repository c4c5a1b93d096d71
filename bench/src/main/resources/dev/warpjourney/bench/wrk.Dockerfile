# wrk for readers without a wrk binary: the journey builds this image through Testcontainers
# and runs it with host networking, so that wrk reaches the servers on 127.0.0.1. The same
# Debian release and wrk package as the native path (Debian's wrk 4.1), pinned to its version.
FROM debian:bookworm-slim
ARG WRK_VERSION=4.1.0-3+b2
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "wrk=${WRK_VERSION}" \
    && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["wrk"]
