package dev.warpjourney.stage06;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes a connection has received and not processed yet. While its loop serves it they lie in the loop's one
 * read buffer, lent for that wake-up; between wake-ups only an unfinished request's bytes (or a pipelined one's,
 * waiting behind a slow write) stay, copied here, so an idle connection holds no buffer at all. What is kept counts
 * against the loop's budget ({@link Limits#KEPT_BYTES_BUDGET}).
 *
 * <p>One per connection; only the loop's thread touches it.
 */
final class Incoming {
    private final Loop loop;

    // tag::buffer[]
    /** Bytes of an unfinished request kept between wake-ups; null for an idle connection. */
    private byte[] leftover;

    /** Lends the loop's one read buffer to the connection, with its kept bytes at the front. */
    ByteBuffer borrow() {
        ByteBuffer in = loop.readBuffer();
        in.clear();
        if (leftover != null) {
            in.put(leftover);
            loop.keptBytes(-leftover.length);
            leftover = null;
        }
        return in;
    }

    /** Gives the buffer back, keeping only the bytes still unprocessed (none once the connection is closed). */
    void giveBack(ByteBuffer in, boolean closed) {
        if (in.position() > 0 && !closed) {
            leftover = Arrays.copyOf(in.array(), in.position());
            loop.keptBytes(leftover.length);
        }
    }
    // end::buffer[]

    Incoming(Loop loop) {
        this.loop = loop;
    }

    /** Whether no bytes are kept: nothing of a request has come since the last one was answered. */
    boolean isEmpty() {
        return leftover == null;
    }

    /** The connection is closed: its kept bytes leave the loop's budget. */
    void release() {
        if (leftover != null) {
            loop.keptBytes(-leftover.length);
        }
        leftover = null;
    }

    /** Drops the first {@code count} bytes of {@code in}, moving the rest to its front. */
    static void consume(ByteBuffer in, int count) {
        byte[] a = in.array();
        int remaining = in.position() - count;
        System.arraycopy(a, count, a, 0, remaining);
        in.position(remaining);
    }
}
