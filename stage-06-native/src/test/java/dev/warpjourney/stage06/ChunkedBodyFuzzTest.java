package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the chunked request-body parser, which reads the connection's buffer
 * in place: {@code feed(buf, length)} must look at {@code buf[0, length)} and nothing after it.
 *
 * <p>Invariants: only {@link HttpException} (400) escapes; {@code feed} consumes between 0 and
 * {@code length} bytes; the outcome is the same whatever bytes lie after {@code length} (three
 * different sentinel tails) and however the bytes arrive (all at once, or one byte per read, the
 * caller keeping what was not consumed as the connection does).
 */
class ChunkedBodyFuzzTest {
    private static final byte[][] SENTINELS = {
        filled((byte) '\n'),
        filled((byte) '0'),
        "\r\n0\r\n\r\n\r\n0\r\n\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
    };

    private static byte[] filled(byte b) {
        byte[] a = new byte[16];
        Arrays.fill(a, b);
        return a;
    }

    @FuzzTest(maxDuration = "15s")
    void feed(byte[] input) {
        Outcome whole = null;
        for (byte[] sentinel : SENTINELS) {
            Outcome o = allAtOnce(input, sentinel);
            if (whole == null) {
                whole = o;
            } else {
                assertThat(o)
                        .as("outcome must not depend on the bytes after length")
                        .isEqualTo(whole);
            }
        }
        assertThat(oneByteAtATime(input))
                .as("outcome must not depend on how the bytes arrive")
                .isEqualTo(whole);
    }

    private static Outcome allAtOnce(byte[] input, byte[] sentinel) {
        byte[] buf = Arrays.copyOf(input, input.length + sentinel.length);
        System.arraycopy(sentinel, 0, buf, input.length, sentinel.length);
        ChunkedBody body = new ChunkedBody();
        try {
            int consumed = body.feed(buf, input.length);
            assertThat(consumed).isBetween(0, input.length);
            return new Outcome(consumed, body.done(), 0);
        } catch (HttpException e) {
            assertThat(e.status).isEqualTo(400);
            return new Outcome(-1, false, e.status);
        }
    }

    /** The connection's way: unconsumed bytes stay at the start of the buffer, the next read appends after them. */
    private static Outcome oneByteAtATime(byte[] input) {
        byte[] buf = new byte[input.length + 16];
        Arrays.fill(buf, (byte) '\n');
        ChunkedBody body = new ChunkedBody();
        int kept = 0;
        int consumedTotal = 0;
        try {
            for (int i = 0; i < input.length && !body.done(); i++) {
                buf[kept++] = input[i];
                int consumed = body.feed(buf, kept);
                assertThat(consumed).isBetween(0, kept);
                System.arraycopy(buf, consumed, buf, 0, kept - consumed);
                Arrays.fill(buf, kept - consumed, buf.length, (byte) '\n');
                kept -= consumed;
                consumedTotal += consumed;
            }
            return new Outcome(consumedTotal, body.done(), 0);
        } catch (HttpException e) {
            assertThat(e.status).isEqualTo(400);
            return new Outcome(-1, false, e.status);
        }
    }

    /** Bytes consumed, whether the body is complete, or the status of the refusal (consumed -1). */
    private record Outcome(int consumed, boolean done, int status) {}
}
