package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.get;
import static dev.warpjourney.testkit.Wire.imf;
import static dev.warpjourney.testkit.Wire.request;
import static dev.warpjourney.testkit.Wire.settledDescriptorCount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Soak: a long mixed run against the in-process server, then the process must look as it did
 * before: the same open descriptors, about the same live heap, no more native memory of the stage's own
 * ({@link #nativeBytes}), and a loop that still answers.
 */
public interface SoakContract extends ContractFixture {

    /**
     * About 100,000 requests: enough that a leak of one descriptor in a thousand requests, or of
     * a few dozen bytes per request, shows; small enough for well under a minute per stage on a
     * busy two-core machine (most are pipelined on kept-alive connections).
     */
    int SOAK_REQUESTS = 100_000;

    int SOAK_CLIENTS = 4;
    /** A generous bound on the whole run: a hung connection fails the soak rather than the build. */
    Duration SOAK_BOUND = Duration.ofSeconds(100);
    /**
     * Live heap after GC may differ by this much from the start: the JDK and the JIT keep a few
     * lazily built tables and caches (class data, string concat shapes, NIO buffer caches) that the
     * warm-up may not have filled completely. A per-request leak of 40 bytes over 100,000 requests
     * is 4 MB and fails.
     */
    long HEAP_TOLERANCE = 4L << 20;

    int SOAK_BIG_FILE = 1 << 20;

    @Test
    @Tag(HEAVY)
    @Timeout(180)
    @DisplayName("soak: 100,000 mixed requests; descriptors and live heap return to their start, the loop lives")
    default void soak() throws Exception {
        Path big = root().resolve("soak.bin");
        byte[] bigBytes = new byte[SOAK_BIG_FILE];
        Arrays.fill(bigBytes, (byte) 's');
        Files.write(big, bigBytes);
        try {
            String etag = etagOf("/data.bin");
            runMix(2_000, etag); // warm-up: classes loaded, code compiled, caches filled
            // Collect first, on both sides: a channel dropped without close() is closed by its
            // cleaner when collected, and would make the counts depend on when GC last ran.
            long heapBefore = Wire.liveHeap();
            long fdBefore = settledDescriptorCount();
            long nativeBefore = nativeBytes();
            long t0 = System.nanoTime();
            AtomicLong done = runMix(SOAK_REQUESTS, etag);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            long heapAfter = Wire.liveHeap();
            long fdAfter = Wire.descriptorsBackTo(fdBefore);
            long nativeAfter = nativeBytes();
            System.out.printf(
                    "soak: %d requests in %d ms with %d clients; descriptors %d -> %d; live heap %d KiB -> %d KiB "
                            + "(%+d KiB, tolerance %d KiB); the stage's native memory %d -> %d bytes%n",
                    done.get(),
                    took.toMillis(),
                    SOAK_CLIENTS,
                    fdBefore,
                    fdAfter,
                    heapBefore >> 10,
                    heapAfter >> 10,
                    (heapAfter - heapBefore) >> 10,
                    HEAP_TOLERANCE >> 10,
                    nativeBefore,
                    nativeAfter);
            SoftAssertions soft = new SoftAssertions(); // report every figure that is off, not just the first
            soft.assertThat(done.get()).isGreaterThanOrEqualTo(SOAK_REQUESTS);
            soft.assertThat(fdAfter)
                    .as("open descriptors after the soak (before: " + fdBefore + ")")
                    .isLessThanOrEqualTo(fdBefore);
            soft.assertThat(heapAfter)
                    .as("live heap after the soak (before: " + heapBefore + ")")
                    .isLessThan(heapBefore + HEAP_TOLERANCE);
            soft.assertThat(nativeAfter)
                    .as("the stage's own native memory after the soak (before: " + nativeBefore + ")")
                    .isLessThanOrEqualTo(nativeBefore);
            // The loop is alive.
            soft.assertThat(fetch("/hello.txt").body()).isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
            soft.assertAll();
        } finally {
            Files.delete(big);
        }
    }

    /** Runs about {@code total} requests from {@link #SOAK_CLIENTS} clients; returns how many were made. */
    private AtomicLong runMix(int total, String etag) throws Exception {
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + SOAK_BOUND.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(SOAK_CLIENTS)) {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < SOAK_CLIENTS; i++) {
                int client = i;
                clients.add(pool.submit(() -> {
                    int round = 0;
                    while (done.get() < total) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError(
                                    "soak ran past " + SOAK_BOUND + " after " + done.get() + " requests");
                        }
                        done.addAndGet(soakRound(client, round++, etag));
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        }
        return done;
    }

    /**
     * One round of the mix, about a hundred requests: keep-alive pipelined bursts of valid GETs,
     * HEADs, ranges, conditionals and misses, one malformed request, and clients that vanish
     * mid-request and mid-response. Every answer is checked byte for byte.
     */
    private int soakRound(int client, int round, String etag) throws IOException {
        int made = 0;
        byte[] data = Docroot.data();
        try (RawClient c = client()) {
            for (int burst = 0; burst < 8; burst++) {
                int at = (client * 977 + round * 131 + burst * 17) % (Docroot.DATA_SIZE - 16);
                c.send(get("/hello.txt")
                        + request("HEAD", "/data.bin")
                        + get("/data.bin", "Range: bytes=" + at + "-" + (at + 15))
                        + get("/data.bin", "If-None-Match: " + etag)
                        + get("/data.bin", "If-Modified-Since: " + imf(Docroot.MTIME))
                        + get("/missing-" + round)
                        + get("/dir")
                        + get("/dir/")
                        + get("/data.bin", "Range: bytes=-" + (burst + 1))
                        + get("/data.bin", "If-Match: \"stale\"")
                        + get("/empty.txt")
                        + get("/data.bin"));
                expect(c.read(), 200, Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
                expect(c.readHead(), 200, new byte[0]);
                expect(c.read(), 206, Arrays.copyOfRange(data, at, at + 16));
                expect(c.read(), 304, new byte[0]);
                expect(c.read(), 304, new byte[0]);
                expect(c.read(), 404, null);
                expect(c.read(), 301, null);
                expect(c.read(), 200, "<p>dir index\n".getBytes(StandardCharsets.UTF_8));
                expect(c.read(), 206, Arrays.copyOfRange(data, data.length - burst - 1, data.length));
                expect(c.read(), 412, null);
                expect(c.read(), 200, new byte[0]);
                expect(c.read(), 200, data);
                made += 12;
            }
        }
        try (RawClient c = client()) { // malformed: 400 and close
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad Field: y\r\n\r\n");
            HttpResponse r = c.read();
            expect(r, 400, null);
            if (!r.closes() || c.readUntilClosed().length != 0) {
                throw new AssertionError("a malformed request did not end with a close: " + r);
            }
            made++;
        }
        try (RawClient c = client()) { // vanishes mid-request
            c.send("GET /data.bin HTTP/1.1\r\nHost: x\r\nRa");
            made++;
        }
        try (RawClient c = client()) { // vanishes mid-response, with a reset, a file open on the server
            c.send(get("/soak.bin"));
            c.input().readNBytes(1000);
            c.socket().setSoLinger(true, 0);
            made++;
        }
        return made;
    }

    private static void expect(HttpResponse r, int status, byte[] body) {
        if (r.status() != status || (body != null && !Arrays.equals(r.body(), body))) {
            throw new AssertionError(
                    "expected " + status + (body == null ? "" : " with " + body.length + " bytes") + ", got " + r);
        }
    }
}
