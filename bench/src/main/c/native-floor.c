/*
 * The native floor: the Java floor (FloorServer.java) written in C, with the system calls a Linux
 * server makes when nothing stands between it and the kernel. One thread, one epoll instance,
 * level-triggered; accept4 hands out sockets already non-blocking and close-on-exec (no fcntl);
 * one read per ready connection into one buffer for the whole loop; the responses to every request
 * that read completed, in one write. It parses nothing and opens no file: it counts request ends
 * (CR LF CR LF), as the Java floor does, and answers each with the same bytes.
 *
 *   native-floor PORT BODY_FILE [--close]
 *
 * BODY_FILE is the 151-byte index.html of the journey's corpus; with --close every response says
 * Connection: close and the connection is closed after it (the close scenario). The journey
 * builds it with `cc -O2` (Launcher) and runs it as the peer `native-floor`: what a Java server
 * is read against once the JDK itself is the cost (stage 06's chapter).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* The most descriptors the state table covers; a connection above it is refused (closed). */
#define MAX_FDS 65536
/* As the Java floor: one 64 KiB read buffer for the whole loop. */
#define READ_SIZE (64 * 1024)
/* Ready events taken per epoll_wait. */
#define EVENTS 1024

/* Per connection: how far into CR LF CR LF the last read ended, and bytes still to write. */
struct conn {
    unsigned char match;
    unsigned char writing; /* EPOLLOUT asked for: a full socket buffer */
    size_t pending;  /* requests read but not yet answered */
    char *out;       /* responses a full socket buffer left unsent (rare on loopback) */
    size_t out_len;
    size_t out_off;
};

static struct conn conns[MAX_FDS];
static char response[1024];
static size_t response_len;
static int close_each;

static void drop(int epfd, int fd) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
    free(conns[fd].out);
    memset(&conns[fd], 0, sizeof conns[fd]);
    close(fd);
}

/* Writes what is owed: first a leftover, then one write for every request counted. Returns -1 when
 * the connection is to be closed. A full socket buffer keeps the rest and asks epoll for EPOLLOUT. */
static int flush(int epfd, int fd) {
    struct conn *c = &conns[fd];
    for (;;) {
        if (c->out == NULL) {
            if (c->pending == 0) {
                return 0;
            }
            size_t count = close_each ? 1 : c->pending; /* pipelined requests: their responses in one write */
            c->out = malloc(response_len * count);
            if (c->out == NULL) {
                return -1;
            }
            for (size_t i = 0; i < count; i++) {
                memcpy(c->out + i * response_len, response, response_len);
            }
            c->out_len = response_len * count;
            c->out_off = 0;
            c->pending -= count;
        }
        ssize_t n = write(fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n < 0) {
            if (errno == EAGAIN) {
                if (!c->writing) {
                    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = fd};
                    epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
                    c->writing = 1;
                }
                return 0;
            }
            return -1;
        }
        c->out_off += (size_t) n;
        if (c->out_off < c->out_len) {
            continue;
        }
        free(c->out);
        c->out = NULL;
        if (close_each) {
            return -1;
        }
        if (c->writing) { /* the buffer drained: back to reads only (a call the usual response never makes) */
            struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
            epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
            c->writing = 0;
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: native-floor PORT BODY_FILE [--close]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    close_each = argc > 3 && strcmp(argv[3], "--close") == 0;
    char body[512];
    int bfd = open(argv[2], O_RDONLY | O_CLOEXEC);
    ssize_t body_len = bfd < 0 ? -1 : read(bfd, body, sizeof body);
    if (body_len < 0 || body_len == (ssize_t) sizeof body) {
        fprintf(stderr, "native-floor: cannot read a body of under 512 bytes from %s\n", argv[2]);
        return 2;
    }
    close(bfd);
    /* The Java floor's head, byte for byte. */
    int head = snprintf(response, sizeof response,
                        "HTTP/1.1 200 OK\r\nDate: Sat, 01 Sep 2012 00:00:00 GMT\r\nServer: floor\r\n"
                        "Content-Type: text/html\r\nContent-Length: %zd\r\n%s\r\n",
                        body_len, close_each ? "Connection: close\r\n" : "");
    memcpy(response + head, body, (size_t) body_len);
    response_len = (size_t) head + (size_t) body_len;
    signal(SIGPIPE, SIG_IGN); /* a peer that reset gets EPIPE from write, not a signal */

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(listener, 4096) < 0) {
        perror("native-floor: cannot listen");
        return 2;
    }
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &lev);
    printf("native floor listening on http://127.0.0.1:%d/\n", port);
    fflush(stdout);

    static char in[READ_SIZE];
    struct epoll_event events[EVENTS];
    for (;;) {
        int ready = epoll_wait(epfd, events, EVENTS, -1);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("native-floor: epoll_wait");
            return 1;
        }
        for (int e = 0; e < ready; e++) {
            int fd = events[e].data.fd;
            if (fd == listener) {
                int s;
                while ((s = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (s >= MAX_FDS) {
                        close(s);
                        continue;
                    }
                    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event ev = {.events = EPOLLIN, .data.fd = s};
                    epoll_ctl(epfd, EPOLL_CTL_ADD, s, &ev);
                }
                /* EAGAIN: the backlog is empty. EMFILE and the like: try again at the next wake-up. */
                continue;
            }
            struct conn *c = &conns[fd];
            if (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                ssize_t n = read(fd, in, sizeof in);
                if (n == 0 || (n < 0 && errno != EAGAIN)) {
                    drop(epfd, fd);
                    continue;
                }
                for (ssize_t i = 0; i < n; i++) { /* count CR LF CR LF, across reads */
                    char b = in[i];
                    c->match = b == '\r' ? (c->match == 2 ? 3 : 1)
                                         : (b == '\n' && (c->match == 1 || c->match == 3)) ? c->match + 1 : 0;
                    if (c->match == 4) {
                        c->pending++;
                        c->match = 0;
                    }
                }
            }
            if (flush(epfd, fd) < 0) {
                drop(epfd, fd);
            }
        }
    }
}
