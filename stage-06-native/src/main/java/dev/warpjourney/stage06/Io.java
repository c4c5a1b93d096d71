package dev.warpjourney.stage06;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a {@link Connection} asks of its socket, by descriptor: the few calls of the request path. {@link NativeIo}
 * makes them through {@link Linux}, one system call each; a test can stand in for the socket (KeepAliveLoopTest).
 * Where stage 05 held a SocketChannel and a SelectionKey, a connection now holds an int and this.
 *
 * <p>Results keep NIO's meanings, so that the keep-alive loop reads as it did: 0 bytes means "not now" (EAGAIN), -1
 * from {@link #read} means the end of the stream; any other failure is an IOException.
 */
interface Io {
    /** Reads what the socket holds into {@code dst}, up to its remaining room; 0 if nothing now, -1 at its end. */
    int read(int fd, ByteBuffer dst) throws IOException;

    /**
     * Writes what the socket takes of {@code head}; with {@code more}, tells the kernel that a body follows
     * (MSG_MORE: no segment leaves until it does). The bytes written, 0 when the socket is full.
     */
    long write(int fd, ByteBuffer head, boolean more) throws IOException;

    /**
     * One gathering write (writev) of {@code head} and then {@code body}, a direct buffer whose first byte, at
     * position 0, is at native address {@code bodyBase}. The bytes written, 0 when the socket is full.
     */
    long write(int fd, ByteBuffer head, ByteBuffer body, long bodyBase) throws IOException;

    /**
     * Sends {@code count} bytes of the open file {@code file} from {@code position} (sendfile). The bytes sent, 0
     * when the socket is full, -1 when the file ends before {@code position}: it shrank since its head was sent.
     */
    long sendfile(int fd, int file, long position, long count) throws IOException;

    /** Sends FIN: the response is over, the socket may still read (a lingering close). */
    void shutdownOutput(int fd) throws IOException;

    /** Closes the socket; an epoll set forgets it by itself. */
    void close(int fd);

    /** The events the loop waits for on {@code fd}: EPOLLIN, EPOLLOUT (never both, here). */
    void interest(int fd, int events);
}
