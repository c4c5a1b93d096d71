package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.get;
import static dev.warpjourney.testkit.Wire.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunked request bodies (RFC 9112 §7.1). A recipient MUST be able to parse the chunked coding: a
 * static server reads the body of a GET or HEAD and drops it, within limits, and serves the
 * request; the next request on the connection must then parse. Broken framing is 400 and a close,
 * because after it nobody knows where the next request starts.
 *
 * <p>The sizes here are far from any sane limit on purpose, so that the tests hold for every
 * stage whatever its exact limits: small bodies must pass, a chunk-size of 17 hex digits, a 1 MiB
 * extension line, 1 MiB of trailers and a 100 MiB body must not.
 */
public interface ChunkedBodyContract extends ContractFixture {

    /** A chunked GET or HEAD head for {@code target}, with extra fields. */
    private static String chunkedHead(String method, String target, String... fields) {
        String[] all = Arrays.copyOf(fields, fields.length + 1);
        all[fields.length] = "Transfer-Encoding: chunked";
        return request(method, target, all);
    }

    /** A body with chunk extensions (quoted ones too), upper-case hex and leading zeros, and trailers. */
    String RICH_BODY = "5;name=value\r\nhello\r\n"
            + "00A ; ext = \"quoted;\\\"string\" ;flag\r\n0123456789\r\n"
            + "1\r\n\r\r\n"
            + "0;last=1\r\nX-Trailer: one\r\nX-Other-Trailer: two\r\n\r\n";

    /** Reads the two responses of {@link #RICH_BODY} on a GET followed by a pipelined GET of /dir/. */
    private static void assertHelloThenDir(RawClient c, String what) {
        HttpResponse first = c.read();
        assertThat(first.status()).as(what + ": " + first).isEqualTo(200);
        assertThat(first.body()).as(what).isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
        assertThat(first.closes())
                .as(what + ": a chunked GET keeps the connection")
                .isFalse();
        HttpResponse second = c.read();
        assertThat(second.status()).as(what + ": " + second).isEqualTo(200);
        assertThat(second.bodyText()).as(what).isEqualTo("<p>dir index\n");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "0\r\n\r\n",
                "5\r\nhello\r\n0\r\n\r\n",
                "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                "5;a=b\r\nhello\r\n0\r\n\r\n",
                "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n",
                RICH_BODY
            })
    @DisplayName("a GET with a chunked body is served and the pipelined request after it too")
    default void chunkedGetIsServed(String body) {
        try (RawClient c = client()) {
            c.send(chunkedHead("GET", "/hello.txt") + body + get("/dir/"));
            assertHelloThenDir(c, body);
        }
    }

    @Test
    @DisplayName("a chunked GET's fields still count after its body is read: a Range, a repeated If-None-Match")
    default void chunkedGetKeepsItsFields() {
        String etag = etagOf("/data.bin");
        try (RawClient c = client()) {
            c.send(chunkedHead("GET", "/data.bin", "Range: bytes=2-9")
                    + RICH_BODY
                    + chunkedHead("GET", "/data.bin", "If-None-Match: \"other\"", "If-None-Match: " + etag)
                    + RICH_BODY
                    + get("/hello.txt"));
            HttpResponse range = c.read();
            assertThat(range.status()).as(range.toString()).isEqualTo(206);
            assertThat(range.header("Content-Range")).isEqualTo("bytes 2-9/" + Docroot.DATA_SIZE);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(Docroot.data(), 2, 10));
            HttpResponse notModified = c.read();
            assertThat(notModified.status()).as(notModified.toString()).isEqualTo(304);
            HttpResponse next = c.read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    @DisplayName("Transfer-Encoding names are case-insensitive")
    default void chunkedIsCaseInsensitive() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + get("/dir/"));
            assertHelloThenDir(c, "Chunked");
        }
    }

    @Test
    @DisplayName("a HEAD with a chunked body gets the GET fields, no body, and the next request is served")
    default void chunkedHeadIsServed() {
        try (RawClient c = client()) {
            c.send(chunkedHead("HEAD", "/data.bin") + RICH_BODY + get("/hello.txt"));
            HttpResponse head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(Docroot.DATA_SIZE));
            // A body after the HEAD response would be read as this status line.
            HttpResponse next = c.read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    @DisplayName("a chunked request and the next one, split at every byte boundary")
    default void chunkedSplitAtEveryBoundary() throws InterruptedException {
        byte[] all =
                (chunkedHead("GET", "/hello.txt") + RICH_BODY + get("/dir/")).getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 1; split < all.length; split++) {
            try (RawClient c = client()) {
                c.send(Arrays.copyOfRange(all, 0, split));
                Thread.sleep(2); // let the first part arrive on its own
                c.send(Arrays.copyOfRange(all, split, all.length));
                assertHelloThenDir(c, "split at " + split);
            }
        }
    }

    @Test
    @DisplayName("a chunked request sent one byte at a time")
    default void chunkedOneByteAtATime() throws InterruptedException {
        byte[] all =
                (chunkedHead("GET", "/hello.txt") + RICH_BODY + get("/dir/")).getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient c = client()) {
            for (byte b : all) {
                c.send(new byte[] {b});
                Thread.sleep(1);
            }
            assertHelloThenDir(c, "byte by byte");
        }
    }

    @Test
    @DisplayName("a chunked body of 1,000 small chunks is dropped exactly")
    default void manySmallChunks() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            body.append("3\r\nabc\r\n");
        }
        body.append("0\r\n\r\n");
        try (RawClient c = client()) {
            c.send(chunkedHead("GET", "/hello.txt") + body + get("/dir/"));
            assertHelloThenDir(c, "1,000 chunks");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "zz\r\nhello\r\n0\r\n\r\n", // not hex
                "\r\nhello\r\n0\r\n\r\n", // empty chunk-size
                "-5\r\nhello\r\n0\r\n\r\n", // a sign
                "0x5\r\nhello\r\n0\r\n\r\n", // a C prefix
                "5\r\nhelloX\r\n0\r\n\r\n", // data longer than its size: no CRLF after it
                "5\r\nhello0\r\n\r\n", // no CRLF after the data
                "5\r\nhel\r\n0\r\n\r\n\r\n\r\n", // data shorter than its size
                "10000000000000000\r\nhello\r\n0\r\n\r\n", // 17 hex digits: over any limit (and over 2^64)
                "ffffffffffffffff\r\nhello\r\n0\r\n\r\n", // 2^64 - 1: overflows a long
                "7fffffffffffffff\r\nhello\r\n0\r\n\r\n"
            }) // Long.MAX_VALUE: over any total limit
    @DisplayName("malformed chunked framing: 400, and the connection closed with nothing after the response")
    default void malformedChunkedFramingIs400AndClose(String body) {
        try (RawClient c = client()) {
            c.send(chunkedHead("GET", "/hello.txt") + body + get("/hello.txt"));
            assertErrorAndClose(c, 400);
        }
    }

    /**
     * Sends {@code head}, then streams what {@code rest} yields (until it returns null) from another
     * thread, so that the server can answer and close while the client is still writing; a write that
     * fails because the server closed simply ends the stream.
     */
    private static Thread stream(RawClient c, String head, Supplier<byte[]> rest) {
        c.send(head);
        return Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = c.socket().getOutputStream();
                byte[] piece;
                while ((piece = rest.get()) != null) {
                    out.write(piece);
                }
                out.flush();
            } catch (IOException e) {
                // the server closed: expected once it has answered
            }
        });
    }

    /**
     * A 400 that says Connection: close, then nothing but the close. The server may drain what the
     * writer still sends for a while and then close; a reset at that point counts as the close.
     */
    private static void assertErrorWhileStreaming(RawClient c, Thread writer) throws InterruptedException {
        HttpResponse r = c.read();
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(r.closes()).as("Connection: close on " + r).isTrue();
        assertThat(c.readRestAllowingReset())
                .as("nothing after the error response")
                .isEmpty();
        c.close();
        writer.join(10_000);
    }

    @Test
    @DisplayName("a chunk extension of 1 MiB: 400 and close")
    default void overlongChunkExtensionIs400() throws Exception {
        byte[] block = "a".repeat(1 << 14).getBytes(StandardCharsets.US_ASCII);
        long total = 1 << 20;
        try (RawClient c = client()) {
            long[] left = {total};
            Thread writer = stream(c, chunkedHead("GET", "/hello.txt") + "5;x=", () -> {
                if (left[0] <= 0) {
                    return null;
                }
                left[0] -= block.length;
                return block;
            });
            assertErrorWhileStreaming(c, writer);
        }
    }

    @Test
    @DisplayName("endless trailers: 400 and close")
    default void endlessTrailersAre400() throws Exception {
        byte[] line = "X-Trailer: 0123456789\r\n".getBytes(StandardCharsets.US_ASCII);
        long total = 1 << 20; // 1 MiB of trailer lines, and no end in sight
        try (RawClient c = client()) {
            long[] left = {total};
            Thread writer = stream(c, chunkedHead("GET", "/hello.txt") + "5\r\nhello\r\n0\r\n", () -> {
                if (left[0] <= 0) {
                    return null;
                }
                byte[] many = new byte[line.length * 256];
                for (int i = 0; i < 256; i++) {
                    System.arraycopy(line, 0, many, i * line.length, line.length);
                }
                left[0] -= many.length;
                return many;
            });
            assertErrorWhileStreaming(c, writer);
        }
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {100 << 20, 64 << 10})
    @DisplayName("a 100 MiB chunked body (one chunk, or many): over the discard limit, 400 and close")
    default void bodyOverTheDiscardLimitIs400(int chunkSize) throws Exception {
        long total = 100L << 20;
        byte[] block = new byte[64 << 10];
        Arrays.fill(block, (byte) 'x');
        byte[] sizeLine = (Integer.toHexString(chunkSize) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawClient c = client()) {
            long[] sent = {0};
            Thread writer = stream(c, chunkedHead("GET", "/hello.txt"), () -> {
                if (sent[0] >= total) {
                    return null;
                }
                // one chunk-size line per chunk, then its data in 64 KiB blocks, then CRLF
                boolean chunkStart = sent[0] % chunkSize == 0;
                sent[0] += block.length;
                boolean chunkEnd = sent[0] % chunkSize == 0;
                byte[] out = new byte[(chunkStart ? sizeLine.length : 0) + block.length + (chunkEnd ? 2 : 0)];
                int at = 0;
                if (chunkStart) {
                    System.arraycopy(sizeLine, 0, out, 0, sizeLine.length);
                    at = sizeLine.length;
                }
                System.arraycopy(block, 0, out, at, block.length);
                if (chunkEnd) {
                    out[out.length - 2] = '\r';
                    out[out.length - 1] = '\n';
                }
                return out;
            });
            assertErrorWhileStreaming(c, writer);
        }
    }

    @Test
    @DisplayName("a POST with a chunked body: 405 with Allow")
    default void chunkedPostIs405() {
        try (RawClient c = client()) {
            c.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + get("/hello.txt"));
            HttpResponse r = c.read();
            assertThat(r.status()).as(r.toString()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
            if (r.closes()) {
                assertThat(c.readUntilClosed())
                        .as("nothing after a closing 405")
                        .isEmpty();
            } else { // the body was skipped exactly: the next request parses
                assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"gzip", "deflate", "compress", "x-unknown"})
    @DisplayName("a transfer coding other than chunked: 501 and close")
    default void otherTransferCodingsAre501(String coding) {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding + "\r\n\r\n"
                    + get("/hello.txt"));
            assertErrorAndClose(c, 501);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "Transfer-Encoding: chunked, gzip",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip",
                "Transfer-Encoding: chunked\r\nContent-Length: 5",
                "Content-Length: 5\r\nTransfer-Encoding: chunked",
                "Content-Length: 0\r\nTransfer-Encoding: gzip"
            })
    @DisplayName("chunked not the final coding, or Transfer-Encoding with Content-Length: 400 and close")
    default void ambiguousFramingIs400(String fields) {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + get("/hello.txt"));
            assertErrorAndClose(c, 400);
        }
    }

    @Test
    @DisplayName("HTTP/1.0 with Transfer-Encoding: faulty framing (RFC 9112 §6.1), 400 and close")
    default void http10WithTransferEncodingIs400() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertErrorAndClose(c, 400);
        }
    }
}
