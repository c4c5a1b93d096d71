package dev.warpjourney.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Slowloris at scale: a thousand connections that trickle header bytes and never finish their
 * request head must neither starve a fresh client nor outlive the header timeout.
 */
public interface SlowlorisContract extends ContractFixture {

    int SLOWLORIS_CONNECTIONS = 1000;
    int SLOWLORIS_ROUNDS = 2;
    /**
     * The attack's own server keeps idle connections this long: however slowly a stage accepts
     * 1,000 connections (stage 01's listen backlog of 50 drops SYNs, and a dropped SYN waits a
     * second), they are all still there when the requests start; then the header timeout applies.
     */
    Duration SLOWLORIS_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A robustness bound, not a latency goal: an unloaded server answers in well under a millisecond. */
    Duration FRESH_CLIENT_BOUND = Duration.ofSeconds(1);
    /**
     * Each trickling connection sends one more header byte this often: three drips inside the
     * header timeout, so a server that counted activity instead of the whole head would never
     * close them. (slowhttptest drips every 10 s against real timeouts; this is the same ratio.)
     */
    Duration TRICKLE_EVERY = Duration.ofMillis(500);
    /**
     * Connections are opened in batches this big with a short pause between: a stage with the
     * JDK's default listen backlog of 50 (stage 01) would drop the SYNs of a faster burst, and each
     * dropped SYN costs its client a second; that is a chapter of its own, not this test.
     */
    int CONNECT_BATCH = 25;

    long CONNECT_PAUSE_MILLIS = 10;

    @Test
    @Tag(HEAVY)
    @DisplayName("1,000 trickling connections: a fresh GET is answered within 1 s, and the header timeout closes them")
    default void slowlorisAtScale() throws Exception {
        try (StaticServer server = start(root(), HEADER_TIMEOUT, SLOWLORIS_IDLE_TIMEOUT)) {
            slowlorisRounds(server.port());
        }
    }

    private void slowlorisRounds(int port) throws Exception {
        List<Long> allProbes = new ArrayList<>();
        for (int round = 0; round < SLOWLORIS_ROUNDS; round++) {
            AtomicInteger trickling = new AtomicInteger();
            AtomicBoolean attackOver = new AtomicBoolean();
            List<Long> probes = Collections.synchronizedList(new ArrayList<>());
            Trickle attack = new Trickle(port, SLOWLORIS_CONNECTIONS, trickling);
            Thread prober = Thread.ofPlatform().name("slowloris-prober").start(() -> {
                // Probe only while nearly all of the attack is on: those are the answers that count.
                while (!attackOver.get()) {
                    if (trickling.get() >= SLOWLORIS_CONNECTIONS * 9 / 10) {
                        long t0 = System.nanoTime();
                        try (RawClient c = new RawClient(port, (int) FRESH_CLIENT_BOUND.toMillis() * 5)) {
                            HttpResponse r = c.send(Wire.get("/hello.txt")).read();
                            if (r.status() == 200 && r.bodyText().equals(Docroot.HELLO)) {
                                probes.add(System.nanoTime() - t0);
                            } else {
                                probes.add(Long.MAX_VALUE);
                            }
                        } catch (RuntimeException e) {
                            probes.add(Long.MAX_VALUE);
                        }
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Trickle.Result result;
            try {
                result = attack.run(HEADER_TIMEOUT.multipliedBy(4).plusSeconds(5));
            } finally {
                attackOver.set(true);
                prober.join(10_000);
                attack.close();
            }
            List<Long> got = new ArrayList<>(probes);
            System.out.printf(
                    "slowloris round %d: %d connections opened in %d ms, %d fresh GETs during the attack "
                            + "(median %.2f ms, max %.2f ms); the trickling connections closed %d ms after they started, "
                            + "%d left open%n",
                    round,
                    result.opened(),
                    result.openTime().toMillis(),
                    got.size(),
                    got.isEmpty() ? 0 : median(got) / 1e6,
                    got.isEmpty() ? 0 : Collections.max(got) / 1e6,
                    result.lastClose().toMillis(),
                    result.stillOpen());
            assertThat(result.opened())
                    .as("round " + round + ": connections opened")
                    .isEqualTo(SLOWLORIS_CONNECTIONS);
            assertThat(result.stillOpen())
                    .as("round " + round + ": trickling connections the server left open "
                            + "well past the header timeout of " + HEADER_TIMEOUT)
                    .isZero();
            assertThat(result.badReplies())
                    .as("round " + round + ": a trickler gets nothing or a 408")
                    .isEmpty();
            assertThat(result.lastClose())
                    .as("round " + round + ": when the last trickler was closed")
                    .isLessThan(HEADER_TIMEOUT.multipliedBy(3));
            assertThat(got)
                    .as("round " + round + ": fresh GETs made while 90% of the attack was on")
                    .hasSizeGreaterThanOrEqualTo(3);
            for (long nanos : got) {
                assertThat(nanos)
                        .as("round " + round + ": a fresh GET during the attack (ns); all: " + got)
                        .isLessThan(FRESH_CLIENT_BOUND.toNanos());
            }
            allProbes.addAll(got);
        }
        System.out.printf(
                "slowloris: %d fresh GETs in %d rounds, median %.2f ms, max %.2f ms%n",
                allProbes.size(), SLOWLORIS_ROUNDS, median(allProbes) / 1e6, Collections.max(allProbes) / 1e6);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The attacking side: one thread and one selector drive every trickling connection. */
    final class Trickle implements AutoCloseable {
        private static final byte[] START =
                "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII);
        /** Header bytes, repeated forever; never the empty line that would end the head. */
        private static final byte[] DRIP = "X-Slowloris: 1\r\n".getBytes(StandardCharsets.US_ASCII);

        /**
         * What the attack saw. {@code openTime} is how long connecting them all took; {@code lastClose}
         * is measured from when they all started their requests.
         */
        record Result(int opened, int stillOpen, List<String> badReplies, Duration openTime, Duration lastClose) {}

        private final int port;
        private final int count;
        private final AtomicInteger trickling;
        private final Selector selector;
        private final List<SocketChannel> channels = new ArrayList<>();

        Trickle(int port, int count, AtomicInteger trickling) throws IOException {
            this.port = port;
            this.count = count;
            this.trickling = trickling;
            this.selector = Selector.open();
        }

        /** A trickler's state: where it is in the drip, and what the server sent it. */
        private static final class Drip {
            int at;
            final StringBuilder received = new StringBuilder();
        }

        Result run(Duration limit) throws IOException {
            // Connect all first, silently, then start every request at once: the header timeout then
            // runs for all of them together, and the attack is at full strength while it lasts.
            long open = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (i % CONNECT_BATCH == CONNECT_BATCH - 1) {
                    try {
                        Thread.sleep(CONNECT_PAUSE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                channels.add(ch);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, new Drip());
            }
            Duration openTime = Duration.ofNanos(System.nanoTime() - open);
            long start = System.nanoTime();
            for (SelectionKey key : selector.keys()) {
                try {
                    ((SocketChannel) key.channel()).write(ByteBuffer.wrap(START));
                } catch (IOException e) {
                    // closed while the others connected: the read side reports it
                }
                trickling.incrementAndGet();
            }
            long deadline = start + limit.toNanos();
            long nextDrip = System.nanoTime();
            long lastClose = start;
            List<String> bad = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (trickling.get() > 0 && System.nanoTime() < deadline) {
                selector.select(10);
                for (SelectionKey key : selector.selectedKeys()) {
                    Drip d = (Drip) key.attachment();
                    buffer.clear();
                    int n;
                    try {
                        n = ((SocketChannel) key.channel()).read(buffer);
                    } catch (IOException e) {
                        n = -1; // reset: closed as well
                    }
                    if (n > 0) {
                        d.received.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
                    } else if (n < 0) {
                        lastClose = System.nanoTime();
                        closed(key, d, bad);
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - nextDrip >= 0) {
                    nextDrip += TRICKLE_EVERY.toNanos();
                    for (SelectionKey key : selector.keys()) {
                        Drip d = (Drip) key.attachment();
                        try {
                            ((SocketChannel) key.channel()).write(ByteBuffer.wrap(DRIP, d.at, 1));
                            d.at = (d.at + 1) % DRIP.length;
                        } catch (IOException e) {
                            // the server has closed; the read side reports it
                        }
                    }
                }
            }
            return new Result(count, trickling.get(), bad, openTime, Duration.ofNanos(lastClose - start));
        }

        private void closed(SelectionKey key, Drip d, List<String> bad) {
            String got = d.received.toString();
            if (!got.isEmpty()
                    && !(got.startsWith("HTTP/1.1 408 ")
                            && got.toLowerCase(Locale.ROOT).contains("connection: close"))) {
                bad.add(got);
            }
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // already gone
            }
            trickling.decrementAndGet();
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel ch : channels) {
                ch.close();
            }
            selector.close();
        }
    }
}
