package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chunked-body parser on raw bytes, fed the way a connection feeds it: what it leaves
 * unconsumed is offered again with the next bytes appended.
 */
class ChunkedBodyTest {

    private static final String NEXT = "GET /next HTTP/1.1\r\n\r\n";

    private static final String RICH = "5;name=value\r\nhello\r\n"
            + "00A ; ext = \"quoted;\\\"string\" ;flag\r\n0123456789\r\n"
            + "1\r\n\r\r\n"
            + "0;last=1\r\nX-Trailer: one\r\nX-Other: two\r\n\r\n";

    /**
     * Feeds {@code pieces} one after the other, keeping unconsumed bytes in front of the next piece
     * as the connection does; returns the bytes left over once the body has ended (or all of them).
     */
    private static byte[] feed(ChunkedBody body, byte[]... pieces) throws HttpException {
        byte[] pending = new byte[0];
        for (byte[] piece : pieces) {
            byte[] buf = Arrays.copyOf(pending, pending.length + piece.length);
            System.arraycopy(piece, 0, buf, pending.length, piece.length);
            int used = body.feed(buf, buf.length);
            assertThat(used).isBetween(0, buf.length);
            pending = Arrays.copyOfRange(buf, used, buf.length);
        }
        return pending;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[][] oneByteAtATime(byte[] all) {
        byte[][] pieces = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            pieces[i] = new byte[] {all[i]};
        }
        return pieces;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "5;a=b\r\nhello\r\n0\r\nT: 1\r\n\r\n", RICH})
    void consumesExactlyTheBodyWholeSplitAnywhereAndByteByByte(String chunked) throws HttpException {
        byte[] all = bytes(chunked + NEXT);
        ChunkedBody whole = new ChunkedBody();
        assertThat(feed(whole, all)).isEqualTo(bytes(NEXT));
        assertThat(whole.done()).isTrue();

        for (int split = 1; split < all.length; split++) {
            ChunkedBody b = new ChunkedBody();
            byte[] rest = feed(b, Arrays.copyOfRange(all, 0, split), Arrays.copyOfRange(all, split, all.length));
            assertThat(rest).as("split at " + split).isEqualTo(bytes(NEXT));
            assertThat(b.done()).isTrue();
        }

        ChunkedBody slow = new ChunkedBody();
        assertThat(feed(slow, oneByteAtATime(all))).isEqualTo(bytes(NEXT));
        assertThat(slow.done()).isTrue();
    }

    @Test
    void notDoneUntilTheFinalEmptyLine() throws HttpException {
        ChunkedBody b = new ChunkedBody();
        assertThat(feed(b, bytes("5\r\nhello\r\n0\r\nX-T: 1\r\n"))).isEmpty();
        assertThat(b.done()).isFalse();
        assertThat(feed(b, bytes("\r"))).containsExactly('\r'); // a lone CR waits for its LF
        assertThat(b.done()).isFalse();
    }

    @Test
    void anIncompleteLineIsLeftForTheNextRead() throws HttpException {
        ChunkedBody b = new ChunkedBody();
        byte[] partial = bytes("5;abc=\"de");
        assertThat(b.feed(partial, partial.length)).isZero();
        byte[] data = bytes("5\r\nhel");
        assertThat(b.feed(data, data.length)).as("the line and the data so far").isEqualTo(data.length);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "zz\r\nhello\r\n0\r\n\r\n", // not hex
                "\r\nhello\r\n0\r\n\r\n", // empty chunk-size
                "-5\r\nhello\r\n0\r\n\r\n", // a sign
                "+5\r\nhello\r\n0\r\n\r\n",
                "0x5\r\nhello\r\n0\r\n\r\n", // a C prefix
                " 5\r\nhello\r\n0\r\n\r\n", // whitespace before the size
                "5 \r\nhello\r\n0\r\n\r\n", // whitespace with no extension after it
                "5\nhello\r\n0\r\n\r\n", // bare LF ends the size line
                "5\r\nhello\n0\r\n\r\n", // bare LF after the data
                "5\r\nhello\r0\r\n\r\n", // bare CR after the data
                "5\r\nhelloX\r\n0\r\n\r\n", // data longer than its size
                "5\r\nhel\r\n0\r\n\r\n", // data shorter than its size
                "5;\r\nhello\r\n0\r\n\r\n", // extension without a name
                "5;=v\r\nhello\r\n0\r\n\r\n",
                "5;a=\r\nhello\r\n0\r\n\r\n", // '=' without a value
                "5;a b\r\nhello\r\n0\r\n\r\n", // junk after the name
                "5;a=\"open\r\nhello\r\n0\r\n\r\n", // unterminated quoted-string
                "5;a=\"x\ry\"\r\nhello\r\n0\r\n\r\n", // CR inside a quoted-string
                "5;a=b\u0000\r\nhello\r\n0\r\n\r\n", // NUL in the line
                "5\r\nhello\r\n0\r\nno colon\r\n\r\n", // trailer field without a colon
                "5\r\nhello\r\n0\r\n folded: x\r\n\r\n", // obs-fold / leading whitespace
                "5\r\nhello\r\n0\r\nX : 1\r\n\r\n", // whitespace before the colon
                "5\r\nhello\r\n0\r\nX: a\u0001b\r\n\r\n", // control character in a trailer value
                "5\r\nhello\r\n0\r\nX: 1\n\r\n", // bare LF in the trailer section
                "5\r\nhello\r\n0\r\n\n", // bare LF as the final line
                "10000000000000005\r\nhello\r\n0\r\n\r\n", // wraps to 5 in 64 bits: must not
                "ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"
            })
    void malformedFramingIs400WholeAndByteByByte(String chunked) {
        byte[] all = bytes(chunked + NEXT);
        assertThatThrownBy(() -> feed(new ChunkedBody(), all))
                .isInstanceOfSatisfying(
                        HttpException.class, e -> assertThat(e.status).isEqualTo(400));
        assertThatThrownBy(() -> feed(new ChunkedBody(), oneByteAtATime(all)))
                .isInstanceOfSatisfying(
                        HttpException.class, e -> assertThat(e.status).isEqualTo(400));
    }

    /** A body whose bytes on the wire, framing included, number exactly {@code total}. */
    private static byte[] bodyOfWireLength(int total) {
        String end = "0\r\n\r\n";
        int dataLength = total - end.length() - 2 - 2 - 4; // "hhhh\r\n" ... "\r\n", four hex digits
        String sizeLine = String.format("%04x\r\n", dataLength);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(sizeLine));
        out.writeBytes(new byte[dataLength]);
        out.writeBytes(bytes("\r\n" + end));
        assertThat(out.size()).isEqualTo(total);
        return out.toByteArray();
    }

    @Test
    void theDiscardLimitCountsEveryByteOnTheWire() throws HttpException {
        int limit = (int) Limits.MAX_DISCARDED_BODY;
        ChunkedBody atLimit = new ChunkedBody();
        assertThat(feed(atLimit, bodyOfWireLength(limit))).isEmpty();
        assertThat(atLimit.done()).isTrue();

        // One byte more, in the framing only (a leading zero): refused.
        byte[] over = bodyOfWireLength(limit);
        byte[] withZero = new byte[over.length + 1];
        withZero[0] = '0';
        System.arraycopy(over, 0, withZero, 1, over.length);
        assertThatThrownBy(() -> feed(new ChunkedBody(), withZero)).isInstanceOf(HttpException.class);
    }

    @Test
    void aChunkLargerThanTheLimitIsRefusedBeforeItsData() {
        String size = Long.toHexString(Limits.MAX_DISCARDED_BODY + 1);
        byte[] line = bytes(size + "\r\n");
        ChunkedBody b = new ChunkedBody();
        assertThatThrownBy(() -> b.feed(line, line.length)).isInstanceOf(HttpException.class);
    }

    @Test
    void manySmallChunksAddUpToTheLimit() {
        // 1-byte chunks cost 6 bytes each on the wire: the limit counts those, not the 1.
        String chunk = "1\r\nx\r\n";
        byte[] all = bytes(chunk.repeat((int) (Limits.MAX_DISCARDED_BODY / chunk.length()) + 1) + "0\r\n\r\n");
        assertThatThrownBy(() -> feed(new ChunkedBody(), all)).isInstanceOf(HttpException.class);
    }

    @Test
    void chunkLineLimit() throws HttpException {
        // "1;a=" + value + CRLF: exactly MAX_CHUNK_LINE bytes is fine, one more is not.
        String atLimit = "1;a=" + "v".repeat(Limits.MAX_CHUNK_LINE - 6) + "\r\n";
        assertThat(atLimit).hasSize(Limits.MAX_CHUNK_LINE);
        ChunkedBody ok = new ChunkedBody();
        assertThat(feed(ok, bytes(atLimit + "x\r\n0\r\n\r\n"))).isEmpty();
        assertThat(ok.done()).isTrue();

        String over = "1;a=" + "v".repeat(Limits.MAX_CHUNK_LINE - 5) + "\r\n";
        assertThatThrownBy(() -> feed(new ChunkedBody(), bytes(over + "x\r\n0\r\n\r\n")))
                .isInstanceOf(HttpException.class);
        // A line that never ends is refused once it is too long, without waiting for its LF.
        byte[] endless = bytes("1;a=" + "v".repeat(Limits.MAX_CHUNK_LINE));
        assertThatThrownBy(() -> new ChunkedBody().feed(endless, endless.length))
                .isInstanceOf(HttpException.class);
    }

    @Test
    void trailerSectionLimit() throws HttpException {
        // Trailer lines of 100 bytes each (CRLF included) up to exactly MAX_HEADER_SECTION, then one byte more.
        int lines = Limits.MAX_HEADER_SECTION / 100;
        int rest = Limits.MAX_HEADER_SECTION - lines * 100;
        StringBuilder trailers = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            trailers.append(String.format("X-%04d: ", i))
                    .append("v".repeat(100 - 10))
                    .append("\r\n");
        }
        String last = "X: " + "w".repeat(rest - 5) + "\r\n";
        ChunkedBody ok = new ChunkedBody();
        assertThat(feed(ok, bytes("0\r\n" + trailers + last + "\r\n"))).isEmpty();
        assertThat(ok.done()).isTrue();

        String lastPlusOne = "X: " + "w".repeat(rest - 4) + "\r\n";
        assertThatThrownBy(() -> feed(new ChunkedBody(), bytes("0\r\n" + trailers + lastPlusOne + "\r\n")))
                .isInstanceOf(HttpException.class);
    }
}
