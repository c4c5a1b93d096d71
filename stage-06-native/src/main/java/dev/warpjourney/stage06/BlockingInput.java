package dev.warpjourney.stage06;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * What a virtual thread's connection has received and not yet processed, {@code buf[0, len)}, and the one way to
 * wait for more within a time limit. A blocked read needs somewhere to put what comes, so every connection has a
 * buffer of its own, idle ones too (model LOOPS lends one per loop instead): small at first, as Warp's 4 KiB reads,
 * and grown to the full head's size only for a request head that does not fit.
 *
 * <p>One per connection; only its thread touches it. The connection reads {@link #buf} and {@link #len}; only this
 * class changes them.
 */
final class BlockingInput {
    /** The channel's socket adaptor and its stream: the way to a read with a timeout (SocketChannel.read has none). */
    private final Socket socket;

    private final InputStream in;
    /** The server, whose budget counts grown buffers. */
    private final BlockingServer server;

    byte[] buf = new byte[Limits.BLOCKING_READ_SIZE];
    int len;
    /** Bytes {@link #buf} grew by, counted in the server's budget until the connection closes. */
    private int grown;

    BlockingInput(SocketChannel channel, BlockingServer server) throws IOException {
        this.socket = channel.socket();
        this.in = socket.getInputStream();
        this.server = server;
    }

    /** One blocking read into the buffer after its bytes, of what the socket has, waiting at most {@code nanos}. */
    int read(long nanos) throws IOException {
        // SO_TIMEOUT counts whole milliseconds, and 0 would mean for ever. Setting it is a field
        // write, not a system call; the JDK parks the read with that timeout on a poller.
        socket.setSoTimeout(Math.clamp((nanos + 999_999) / 1_000_000, 1, Integer.MAX_VALUE));
        int n = in.read(buf, len, buf.length - len);
        if (n > 0) {
            len += n;
        }
        return n;
    }

    /** Whether the buffer is full: a read has no room left until it grows. */
    boolean full() {
        return len == buf.length;
    }

    /**
     * The buffer grows to READ_BUFFER_SIZE for a long head, or a long chunk line, and keeps that size
     * for the connection's life: counted against the server's budget of grown buffers, so that a
     * flood of connections sending long unfinished heads cannot take the heap. Past it: 503.
     */
    void grow() throws HttpException {
        int more = Limits.READ_BUFFER_SIZE - buf.length;
        if (more <= 0) {
            return;
        }
        if (!server.mayGrow(more)) {
            throw new HttpException(503, "too many long heads in flight");
        }
        grown += more;
        buf = Arrays.copyOf(buf, Limits.READ_BUFFER_SIZE);
    }

    /** Drops the first {@code count} bytes, moving the rest to the front. */
    void consume(int count) {
        System.arraycopy(buf, count, buf, 0, len - count);
        len -= count;
    }

    /** Drops everything received (a lingering close reads only to discard). */
    void clear() {
        len = 0;
    }

    /** The connection is closed: its grown bytes leave the server's budget. */
    void release() {
        server.shrunk(grown);
        grown = 0;
        buf = null;
    }
}
