package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Robustness: vanishing and stalled clients, huge files, many connections, descriptor leaks. */
public interface RobustnessContract extends ContractFixture {

    @Test
    @DisplayName("a client vanishing mid-request or mid-response disturbs no one else")
    default void vanishingClientsDisturbNoOne() throws Exception {
        Path big = root().resolve("vanish.bin");
        Files.write(big, new byte[8 << 20]);
        try (RawClient steady = client()) {
            assertThat(steady.send(get("/hello.txt")).read().status()).isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                RawClient midRequest = client();
                midRequest.send("GET /hello.txt HTTP/1.1\r\nHo");
                midRequest.close();
                RawClient midResponse = client();
                midResponse.send(get("/vanish.bin"));
                midResponse.input().readNBytes(1000);
                midResponse.socket().setSoLinger(true, 0); // close with RST, like a crashed client
                midResponse.close();
                assertThat(steady.send(get("/hello.txt")).read().bodyText()).isEqualTo(Docroot.HELLO);
            }
        } finally {
            Files.delete(big);
        }
    }

    @Test
    @DisplayName("a client that stops reading does not stall the others")
    default void stalledReaderDoesNotBlockOthers() throws IOException {
        Path big = root().resolve("stall.bin");
        Files.write(big, new byte[32 << 20]);
        try (RawClient stalled = client()) {
            stalled.send(get("/stall.bin"));
            stalled.input().readNBytes(100); // then never read again
            for (int i = 0; i < 10; i++) {
                assertThat(fetch("/hello.txt").bodyText()).isEqualTo(Docroot.HELLO);
            }
        } finally {
            Files.delete(big);
        }
    }

    @Test
    @DisplayName("a 1 GiB file streams with a small heap")
    default void hugeFileStreams() throws IOException {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("the contract runs with a heap smaller than the file")
                .isLessThan(Docroot.HUGE_SIZE);
        Path huge = Docroot.createHuge(root());
        try (RawClient c = client()) {
            c.send(get("/huge.bin"));
            HttpResponse head = readHeadOnly(c);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(Docroot.HUGE_SIZE));
            InputStream in = c.input();
            byte[] chunk = new byte[1 << 16];
            long offset = 0;
            while (offset < Docroot.HUGE_SIZE) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, Docroot.HUGE_SIZE - offset));
                assertThat(n).as("stream ended at " + offset).isPositive();
                for (int i = 0; i < n; i++) {
                    long at = offset + i;
                    long inStride = at % Docroot.HUGE_MARK_STRIDE;
                    int expected = inStride < 8 ? (int) ((at - inStride) >>> (8 * (7 - inStride))) & 0xff : 0;
                    if ((chunk[i] & 0xff) != expected) {
                        fail("byte " + at + " is " + (chunk[i] & 0xff) + ", expected " + expected);
                    }
                }
                offset += n;
            }
            // The connection is still usable, and a range near the end of the file works.
            HttpResponse tail = c.send(get(
                            "/huge.bin",
                            "Range: bytes=" + (Docroot.HUGE_SIZE - Docroot.HUGE_MARK_STRIDE) + "-"
                                    + (Docroot.HUGE_SIZE - Docroot.HUGE_MARK_STRIDE + 7)))
                    .read();
            assertThat(tail.status()).isEqualTo(206);
            assertThat(tail.body())
                    .isEqualTo(java.nio.ByteBuffer.allocate(8)
                            .putLong(Docroot.HUGE_SIZE - Docroot.HUGE_MARK_STRIDE)
                            .array());
        } finally {
            Files.delete(huge);
        }
    }

    /** Reads a response head and leaves the body on the stream. */
    private static HttpResponse readHeadOnly(RawClient c) {
        return c.readHead();
    }

    @Test
    @DisplayName("1,000 concurrent connections are served")
    default void thousandConcurrentConnections() {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                // Send at once: opening 1,000 connections can outlast the idle timeout, and an idle
                // connection is rightly closed. All 1,000 stay open until every response is read.
                clients.add(client().send(get("/hello.txt")));
            }
            for (RawClient c : clients) {
                assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
            }
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    @DisplayName("the descriptor count returns to its start after a mixed run")
    default void noDescriptorLeaks() throws Exception {
        Files.write(root().resolve("leak.bin"), new byte[4 << 20]);
        long before = settledDescriptorCount();
        for (int round = 0; round < 20; round++) {
            fetch("/hello.txt");
            fetch("/data.bin", "Range: bytes=1-2");
            fetch("/missing");
            fetch("/../secret.txt");
            exchange(request("HEAD", "/data.bin"));
            exchange("GET / HTTP/1.1\r\n\r\n");
            exchange("GET /hello.txt HTTP/1.0\r\n\r\n");
            try (RawClient c = client()) { // aborted mid-response with a file open
                c.send(get("/leak.bin"));
                c.input().readNBytes(100);
                c.socket().setSoLinger(true, 0);
            }
            try (RawClient c = client()) { // aborted mid-request
                c.send("GET /hello");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long after = openDescriptors();
        while (after > before && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = openDescriptors();
        }
        assertThat(after)
                .as("descriptors after the run (before: " + before + ")")
                .isLessThanOrEqualTo(before);
        Files.delete(root().resolve("leak.bin"));
    }
}
