package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bindings on loopback: each call does what its C counterpart does, and failures come back as minus errno. */
class LinuxTest {
    @Test
    void aListenerAcceptsReadsAndAnswersWithSendfileWritevAndClose() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Linux os = new Linux(arena);
            int lfd = os.listener("127.0.0.1", 0, 128, false); // port 0: the kernel picks a free one
            check(lfd >= 0, "listener " + lfd);
            int port = os.localPort(lfd);
            check(port > 0, "bound to " + port);
            check(os.accept4(lfd) == -Linux.EAGAIN, "empty backlog is -EAGAIN");
            int ep = os.epollCreate();
            check(os.epollCtl(ep, Linux.EPOLL_CTL_ADD, lfd, Linux.EPOLLIN) == 0, "epoll add");
            MemorySegment events = Linux.events(arena, 16);
            try (Socket client = new Socket("127.0.0.1", port)) {
                int n = os.epollWait(ep, events, 2000);
                check(n == 1 && Linux.readyFd(events, 0) == lfd, "listener ready: " + n);
                int fd = os.accept4(lfd);
                check(fd >= 0, "accepted " + fd);
                OutputStream out = client.getOutputStream();
                out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                check(os.epollCtl(ep, Linux.EPOLL_CTL_ADD, fd, Linux.EPOLLIN) == 0, "epoll add conn");
                n = os.epollWait(ep, events, 2000);
                check(n == 1 && Linux.readyFd(events, 0) == fd, "conn ready");
                MemorySegment buf = arena.allocate(4096);
                long r = os.read(fd, buf.address(), 4096);
                check(r == 18, "read " + r);
                MemorySegment head =
                        arena.allocateFrom("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", StandardCharsets.US_ASCII);
                head = head.asSlice(0, head.byteSize() - 1); // no NUL
                Path f = Files.createTempFile("linux", ".txt");
                Files.writeString(f, "hello");
                int dir = os.openat(Linux.AT_FDCWD, f.toString(), 0);
                check(dir >= 0, "openat " + dir);
                check(
                        os.send(fd, head.address(), head.byteSize(), Linux.MSG_MORE | Linux.MSG_NOSIGNAL)
                                == head.byteSize(),
                        "send");
                check(os.sendfile(fd, dir, 0, 5) == 5, "sendfile");
                InputStream in = client.getInputStream();
                String got = new String(in.readNBytes((int) head.byteSize() + 5), StandardCharsets.US_ASCII);
                check(got.endsWith("\r\n\r\nhello"), "response " + got);
                MemorySegment iov = arena.allocate(Linux.IOVEC, 2);
                Linux.iovec(iov, 0, head.address(), head.byteSize());
                Linux.iovec(
                        iov,
                        1,
                        arena.allocateFrom("world", StandardCharsets.US_ASCII).address(),
                        5);
                check(os.writev(fd, iov, 2) == head.byteSize() + 5, "writev");
                got = new String(in.readNBytes((int) head.byteSize() + 5), StandardCharsets.US_ASCII);
                check(got.endsWith("world"), "writev bytes " + got);
                check(os.close(dir) == 0 && os.close(fd) == 0, "close");
                check(os.close(fd) == -9, "closing twice is -EBADF");
                check(in.read() == -1, "EOF after close");
            }
            os.close(ep);
            os.close(lfd);
        }
    }

    private static void check(boolean ok, String what) {
        assertThat(ok).as(what).isTrue();
    }
}
