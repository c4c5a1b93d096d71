package dev.warpjourney.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The slowloris scenario: N connections each send a request line and a Host header, then one more
 * header line every few seconds and never the blank line that ends the head. A server that keeps a
 * slot, a thread or a buffer per connection for as long as the client likes runs out; one with a
 * header timeout closes them. Meanwhile a probe client opens a fresh connection for each GET and
 * records how long the answer took: the figure a real visitor sees during the attack.
 *
 * <p>The harness's own client rather than slowhttptest: it records, per connection, when the
 * server closed it, which slowhttptest only reports in aggregate.
 */
final class Slowloris {
    private static final byte[] HEAD_START =
            "GET /index.html HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROBE = "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** Below the JDK's default listen backlog of 50, as in {@link IdleConnections}. */
    private static final int BATCH = 40;
    /** The longest the slow connections may take to open, all batches together. */
    private static final Duration OPEN_CAP = Duration.ofSeconds(30);
    /** A probe succeeds when a whole 200 response arrives within this: the robustness bound of issue 9. */
    static final Duration PROBE_DEADLINE = Duration.ofSeconds(1);
    /** A probe gives up after this; its latency is then recorded as this long. */
    private static final int PROBE_TIMEOUT_MS = 3000;
    /**
     * Pause between probes: at most about 100 fresh connections a second, so that the probe's
     * closed connections (TIME_WAIT on the client side) cannot exhaust the ephemeral ports.
     */
    private static final long PROBE_PAUSE_MS = 10;

    private Slowloris() {}

    /**
     * One round against one server.
     *
     * @param closedAfterMillis for each slow connection the server closed (EOF, reset, or an error
     *                          response followed by a close) within the hold, how long after it was opened
     * @param serverUtilization the server's CPU seconds per second over the hold (NaN if not read)
     */
    record Result(
            String server,
            int round,
            int requested,
            int opened,
            double holdSeconds,
            long trickleMillis,
            int probes,
            int probeOk,
            long probeP50Micros,
            long probeP99Micros,
            long probeMaxMicros,
            List<Long> closedAfterMillis,
            int stillOpen,
            int answered,
            double serverUtilization) {

        double probeSuccess() {
            return probes == 0 ? Double.NaN : probeOk / (double) probes;
        }

        Spread closedAfter() {
            return Spread.of(closedAfterMillis.stream().map(Long::doubleValue).toList());
        }

        Result withUtilization(double utilization) {
            return new Result(
                    server,
                    round,
                    requested,
                    opened,
                    holdSeconds,
                    trickleMillis,
                    probes,
                    probeOk,
                    probeP50Micros,
                    probeP99Micros,
                    probeMaxMicros,
                    closedAfterMillis,
                    stillOpen,
                    answered,
                    utilization);
        }
    }

    /** Opens {@code count} slow connections, trickles for {@code hold} while probing, and closes them all. */
    static Result run(String server, int round, int port, int count, Duration hold, Duration trickle)
            throws IOException, InterruptedException {
        List<Slow> slow = new ArrayList<>();
        List<Long> closedAfter = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            // A server that stops accepting would hold the opening for 10 s per batch: the opening
            // as a whole stops after OPEN_CAP, and slow_opened records how many it reached.
            long openDeadline = System.nanoTime() + OPEN_CAP.toNanos();
            for (int done = 0; done < count && System.nanoTime() < openDeadline; done += BATCH) {
                open(selector, port, Math.min(BATCH, count - done), slow, closedAfter, openDeadline);
            }
            Probe probe = new Probe(port);
            Thread prober = Thread.ofPlatform().name("slowloris-probe").start(probe);
            long start = System.nanoTime();
            long end = start + hold.toNanos();
            long nextTrickle = start + trickle.toNanos();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            int line = 0;
            try {
                while (System.nanoTime() < end) {
                    long wait = Math.max(1, (Math.min(end, nextTrickle) - System.nanoTime()) / 1_000_000);
                    selector.select(wait);
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey key = it.next();
                        it.remove();
                        Slow s = (Slow) key.attachment();
                        int r;
                        try {
                            buf.clear();
                            r = ((SocketChannel) key.channel()).read(buf);
                        } catch (IOException e) {
                            r = -1; // reset
                        }
                        if (r > 0) {
                            s.answered = true; // e.g. a 408: counted, and the close that follows is timed
                        }
                        if (r < 0) {
                            closed(s, key, closedAfter);
                        }
                    }
                    if (System.nanoTime() >= nextTrickle) {
                        line++;
                        byte[] header = ("X-Slow-" + line + ": " + line + "\r\n").getBytes(StandardCharsets.US_ASCII);
                        for (SelectionKey key : selector.keys()) {
                            Slow s = (Slow) key.attachment();
                            if (!s.open || !key.isValid()) {
                                continue;
                            }
                            try {
                                ((SocketChannel) key.channel()).write(ByteBuffer.wrap(header));
                            } catch (IOException e) {
                                closed(s, key, closedAfter); // broken pipe or reset: the server closed it
                            }
                        }
                        nextTrickle += trickle.toNanos();
                    }
                }
            } finally {
                probe.stop();
                prober.join(PROBE_TIMEOUT_MS + 2000L);
            }
            int stillOpen = (int) slow.stream().filter(s -> s.open).count();
            int answered = (int) slow.stream().filter(s -> s.answered).count();
            long[] lat = probe.latencies().stream()
                    .mapToLong(Long::longValue)
                    .sorted()
                    .toArray();
            return new Result(
                    server,
                    round,
                    count,
                    slow.size(),
                    hold.toMillis() / 1000.0,
                    trickle.toMillis(),
                    lat.length,
                    probe.ok(),
                    percentile(lat, 50),
                    percentile(lat, 99),
                    lat.length == 0 ? 0 : lat[lat.length - 1],
                    List.copyOf(closedAfter),
                    stillOpen,
                    answered,
                    Double.NaN);
        } finally {
            for (Slow s : slow) {
                try {
                    s.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static void closed(Slow s, SelectionKey key, List<Long> closedAfter) {
        if (s.open) {
            s.open = false;
            closedAfter.add((System.nanoTime() - s.openedAt) / 1_000_000);
        }
        key.cancel();
    }

    /** Connects a batch and sends each its first two lines; connections that fail to open are not counted as opened. */
    private static void open(
            Selector selector, int port, int n, List<Slow> slow, List<Long> closedAfter, long openDeadline)
            throws IOException {
        List<SelectionKey> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            Slow s = new Slow(ch);
            pending.add(ch.register(selector, SelectionKey.OP_CONNECT, s));
        }
        long deadline = Math.min(
                openDeadline, System.nanoTime() + Duration.ofSeconds(10).toNanos());
        Set<SelectionKey> waiting = new LinkedHashSet<>(pending);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            selector.select(100);
            for (SelectionKey key : List.copyOf(selector.selectedKeys())) {
                selector.selectedKeys().remove(key);
                Slow s = (Slow) key.attachment();
                if (key.isValid() && key.isConnectable()) {
                    waiting.remove(key);
                    try {
                        s.channel.finishConnect();
                        s.channel.write(ByteBuffer.wrap(HEAD_START)); // fits an empty socket buffer
                        s.openedAt = System.nanoTime();
                        s.open = true;
                        slow.add(s);
                        key.interestOps(SelectionKey.OP_READ);
                    } catch (IOException e) {
                        key.cancel();
                        s.channel.close();
                    }
                } else if (key.isValid() && key.isReadable()) { // an earlier batch's connection closed meanwhile
                    closedIfEof(s, key, closedAfter);
                }
            }
        }
        for (SelectionKey key : waiting) { // never connected within 10 s (or the cap): not counted as opened
            key.cancel();
            ((SocketChannel) key.channel()).close();
        }
    }

    private static void closedIfEof(Slow s, SelectionKey key, List<Long> closedAfter) {
        try {
            int r = ((SocketChannel) key.channel()).read(ByteBuffer.allocate(4096));
            if (r > 0) {
                s.answered = true;
            } else if (r < 0) {
                closed(s, key, closedAfter);
            }
        } catch (IOException e) {
            closed(s, key, closedAfter);
        }
    }

    private static final class Slow {
        final SocketChannel channel;
        long openedAt;
        boolean open;
        boolean answered;

        Slow(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** Fresh-connection GETs, one after another, until stopped. */
    private static final class Probe implements Runnable {
        private final int port;
        private final List<Long> latencies = new ArrayList<>();
        private volatile boolean stopped;
        private int ok;

        Probe(int port) {
            this.port = port;
        }

        void stop() {
            stopped = true;
        }

        synchronized List<Long> latencies() {
            return List.copyOf(latencies);
        }

        synchronized int ok() {
            return ok;
        }

        @Override
        public void run() {
            while (!stopped) {
                long t0 = System.nanoTime();
                boolean success = probeOnce();
                long micros = success
                        ? (System.nanoTime() - t0) / 1000
                        : Math.max((System.nanoTime() - t0) / 1000, PROBE_TIMEOUT_MS * 1000L);
                synchronized (this) {
                    latencies.add(micros);
                    if (success && micros <= PROBE_DEADLINE.toNanos() / 1000) {
                        ok++;
                    }
                }
                try {
                    Thread.sleep(PROBE_PAUSE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** True when a 200 with its whole body arrived before the timeout. */
        private boolean probeOnce() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MS);
                s.setSoTimeout(PROBE_TIMEOUT_MS);
                s.getOutputStream().write(PROBE);
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (head.length() < 8192
                        && !(head.length() >= 4
                                && head.substring(head.length() - 4).equals("\r\n\r\n"))) {
                    int b = in.read();
                    if (b < 0) {
                        return false;
                    }
                    head.append((char) b);
                }
                String h = head.toString().toLowerCase(Locale.ROOT);
                if (!h.startsWith("http/1.1 200")) {
                    return false;
                }
                int at = h.indexOf("content-length:");
                if (at < 0) {
                    return false;
                }
                long length =
                        Long.parseLong(h.substring(at + 15, h.indexOf('\r', at)).trim());
                return in.readNBytes((int) length).length == length;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /** Nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String fmt(double v, int decimals) {
        return Results.fmt(v, decimals);
    }

    static String csv(List<Result> results) {
        StringBuilder b =
                new StringBuilder("server,round,slow_requested,slow_opened,hold_s,trickle_interval_ms,probes,probe_ok,"
                        + "probe_success,probe_p50_us,probe_p99_us,probe_max_us,slow_closed_by_server,closed_after_min_ms,"
                        + "closed_after_p50_ms,closed_after_max_ms,slow_still_open,slow_answered,server_utilization\n");
        for (Result r : results) {
            Spread c = r.closedAfter();
            b.append(String.join(
                            ",",
                            r.server(),
                            String.valueOf(r.round()),
                            String.valueOf(r.requested()),
                            String.valueOf(r.opened()),
                            fmt(r.holdSeconds(), 1),
                            String.valueOf(r.trickleMillis()),
                            String.valueOf(r.probes()),
                            String.valueOf(r.probeOk()),
                            fmt(r.probeSuccess(), 4),
                            String.valueOf(r.probeP50Micros()),
                            String.valueOf(r.probeP99Micros()),
                            String.valueOf(r.probeMaxMicros()),
                            String.valueOf(r.closedAfterMillis().size()),
                            fmt(c.min(), 0),
                            fmt(c.median(), 0),
                            fmt(c.max(), 0),
                            String.valueOf(r.stillOpen()),
                            String.valueOf(r.answered()),
                            fmt(r.serverUtilization(), 3)))
                    .append('\n');
        }
        return b.toString();
    }

    /** Medians over rounds, per server, with the spread of the probe's p99 and success. */
    static String summaryCsv(List<Result> results) {
        StringBuilder b = new StringBuilder(
                "server,rounds,slow_requested,slow_opened,probe_success,probe_success_min,probe_success_max,"
                        + "probe_p50_us,probe_p99_us,probe_p99_min_us,probe_p99_max_us,slow_closed_by_server,closed_after_p50_ms,"
                        + "slow_still_open,hold_s\n");
        for (String server : results.stream().map(Result::server).distinct().toList()) {
            List<Result> mine =
                    results.stream().filter(r -> r.server().equals(server)).toList();
            Spread success = spread(mine, Result::probeSuccess);
            Spread p99 = spread(mine, r -> r.probeP99Micros());
            b.append(String.join(
                            ",",
                            server,
                            String.valueOf(mine.size()),
                            String.valueOf(mine.getFirst().requested()),
                            fmt(spread(mine, r -> r.opened()).median(), 0),
                            fmt(success.median(), 4),
                            fmt(success.min(), 4),
                            fmt(success.max(), 4),
                            fmt(spread(mine, r -> r.probeP50Micros()).median(), 0),
                            fmt(p99.median(), 0),
                            fmt(p99.min(), 0),
                            fmt(p99.max(), 0),
                            fmt(spread(mine, r -> r.closedAfterMillis().size()).median(), 0),
                            fmt(spread(mine, r -> r.closedAfter().median()).median(), 0),
                            fmt(spread(mine, r -> r.stillOpen()).median(), 0),
                            fmt(mine.getFirst().holdSeconds(), 1)))
                    .append('\n');
        }
        return b.toString();
    }

    private static Spread spread(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
        return Spread.of(rs.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    static String table(List<Result> results) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "slowloris (medians over rounds)%n%-16s %6s %6s %9s %11s %11s %8s %12s %6s%n",
                "server",
                "slow",
                "opened",
                "probe ok",
                "probe p50us",
                "probe p99us",
                "closed",
                "closed@p50ms",
                "open"));
        for (String line : summaryCsv(results).lines().skip(1).toList()) {
            String[] f = line.split(",", -1);
            b.append(String.format(
                    Locale.ROOT,
                    "%-16s %6s %6s %9s %11s %11s %8s %12s %6s%n",
                    f[0],
                    f[2],
                    f[3],
                    f[4],
                    f[7],
                    f[8],
                    f[11],
                    f[12],
                    f[13]));
        }
        return b.toString();
    }
}
