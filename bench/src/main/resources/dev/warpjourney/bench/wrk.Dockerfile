# wrk for readers without a wrk binary: the journey builds this image through Testcontainers
# and runs it with host networking, so that wrk reaches the servers on 127.0.0.1.
FROM alpine:3.20
RUN apk add --no-cache wrk
ENTRYPOINT ["wrk"]
