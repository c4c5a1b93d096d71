package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Persistent connections and pipelining (RFC 9112 §9). */
public interface ConnectionContract extends ContractFixture {

    @Test
    default void http11KeepsTheConnectionOpen() {
        try (RawClient c = client()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse r = c.send(get("/hello.txt")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.closes()).isFalse();
            }
        }
    }

    @Test
    @DisplayName("Connection: close is honoured and nothing after it is processed")
    default void connectionCloseHonoured() {
        try (RawClient c = client()) {
            c.send(get("/hello.txt", "Connection: close") + get("/data.bin"));
            HttpResponse r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(Docroot.HELLO);
            assertThat(r.closes()).isTrue();
            assertThat(c.readUntilClosed())
                    .as("the pipelined request after close is not answered")
                    .isEmpty();
        }
    }

    @Test
    default void http10ClosesByDefault() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("GET /hello.txt HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.version()).isEqualTo("HTTP/1.1");
            assertThat(r.closes()).isTrue();
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    @Test
    default void http10KeepAliveWhenAsked() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
            HttpResponse again = c.send("GET /hello.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                    .read();
            assertThat(again.bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    @DisplayName("many pipelined requests in one packet are answered in order")
    default void pipelinedInOnePacket() {
        StringBuilder all = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            switch (i % 4) {
                case 0 -> {
                    all.append(get("/hello.txt"));
                    expected.add("200:" + Docroot.HELLO.length());
                }
                case 1 -> {
                    all.append(get("/missing-" + i));
                    expected.add("404");
                }
                case 2 -> {
                    all.append(request("HEAD", "/data.bin"));
                    expected.add("200:0");
                }
                default -> {
                    all.append(get("/data.bin", "Range: bytes=" + i + "-" + (i + 9)));
                    expected.add("206:10");
                }
            }
        }
        try (RawClient c = client()) {
            c.send(all.toString());
            for (int i = 0; i < 50; i++) {
                HttpResponse r = c.read(i % 4 == 2);
                String got = r.status() == 404 ? "404" : r.status() + ":" + r.body().length;
                assertThat(got).as("response " + i).isEqualTo(expected.get(i));
                if (i % 4 == 3) {
                    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(Docroot.data(), i, i + 10));
                }
            }
        }
    }

    @Test
    @DisplayName("two pipelined requests split at every possible byte boundary")
    default void pipelinedSplitAtEveryBoundary() throws InterruptedException {
        byte[] both = (get("/hello.txt", "X-A: 1") + get("/dir/", "X-B: 2")).getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < both.length; split++) {
            try (RawClient c = client()) {
                c.send(Arrays.copyOfRange(both, 0, split));
                Thread.sleep(2); // let the first part arrive on its own
                c.send(Arrays.copyOfRange(both, split, both.length));
                HttpResponse a = c.read();
                HttpResponse b = c.read();
                assertThat(a.bodyText()).as("split at " + split).isEqualTo(Docroot.HELLO);
                assertThat(b.bodyText()).as("split at " + split).isEqualTo("<p>dir index\n");
            }
        }
    }

    @Test
    default void requestSentOneByteAtATime() throws InterruptedException {
        try (RawClient c = client()) {
            for (byte b : get("/hello.txt").getBytes(StandardCharsets.US_ASCII)) {
                c.send(new byte[] {b});
                Thread.sleep(1);
            }
            assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    default void emptyLinesBeforeTheRequestLineAreIgnored() {
        try (RawClient c = client()) {
            c.send(get("/hello.txt") + "\r\n" + get("/hello.txt"));
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(200);
        }
    }

    /** Deep enough that a keep-alive "loop" written as recursion overflows its stack. */
    int DEEP_PIPELINE = 10_000;

    @Test
    @DisplayName("10,000 tiny pipelined requests in one stream are all answered, in order")
    default void deepPipeline() throws Exception {
        // Each asks for one byte of data.bin at its own offset: the answers prove the order.
        byte[] data = Docroot.data();
        Thread writer;
        try (RawClient c = client()) {
            writer = Thread.ofPlatform().name("pipeline-writer").start(() -> {
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < DEEP_PIPELINE; i++) {
                    batch.append("GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=")
                            .append(i)
                            .append('-')
                            .append(i)
                            .append("\r\n\r\n");
                    if (batch.length() > 32_000 || i == DEEP_PIPELINE - 1) {
                        c.send(batch.toString()); // one stream: the server sees many requests per read
                        batch.setLength(0);
                    }
                }
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < DEEP_PIPELINE; i++) {
                HttpResponse r = c.read();
                if (r.status() != 206
                        || r.body().length != 1
                        || r.body()[0] != data[i % data.length]
                        || !("bytes " + i + "-" + i + "/" + Docroot.DATA_SIZE).equals(r.header("Content-Range"))) {
                    throw new AssertionError("response " + i + " of " + DEEP_PIPELINE + ": " + r);
                }
            }
            writer.join(10_000);
            // Exactly that many: one more request is answered next, nothing else is in between.
            assertThat(c.send(get("/hello.txt")).read().bodyText()).isEqualTo(Docroot.HELLO);
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("a generous bound, not a benchmark")
                    .isLessThan(Duration.ofSeconds(60));
        }
    }

    @Test
    @DisplayName("10,000 of the shortest requests in one stream: as many per read as fit, all answered in order")
    default void deepPipelineOfShortestRequests() throws Exception {
        try (RawClient c = client()) {
            Wire.assertShortestPipeline(c, DEEP_PIPELINE);
        }
    }
}
