package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mix of good and bad clients at once, against a server on 127.0.0.1 that serves a
 * {@link Docroot} with {@link #BIG_FILE} in it. Each client picks at random, again and again:
 * a keep-alive pipeline of one to eight GETs whose every byte is checked (three times in eight), a
 * request cut by a reset, a large response reset half-read, garbage, a slow reader of a large
 * response, a half-close. The contract's faults section runs it on every stage; its {@link #main}
 * runs it against any server (nginx too), for the closing figures of the faults issue:
 *
 * <pre>
 * java -cp testkit.jar dev.warpjourney.testkit.FaultMix root BASE      # makes BASE/www, prints it
 * java -cp testkit.jar dev.warpjourney.testkit.FaultMix load PORT SECONDS [CLIENTS]
 * </pre>
 */
public final class FaultMix {

    /** A file large enough that its response does not fit in a socket's buffers: a reader can stall it. */
    public static final String BIG_FILE = "faults.bin";

    public static final int BIG_FILE_SIZE = 2 << 20;
    /**
     * How long a garbage client waits for the server to refuse it before it gives up: a server
     * that checks a head as it arrives answers at once; one that waits for the blank line holds
     * the connection until its header timeout (10 s), which no client of a real server waits out.
     */
    public static final int GARBAGE_PATIENCE_MILLIS = 2_000;

    private FaultMix() {}

    /** The large file's bytes: a pattern, so that a byte out of place shows. */
    public static byte[] bigFile() {
        byte[] bytes = new byte[BIG_FILE_SIZE];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("root")) {
            Path root = Docroot.create(Path.of(args[1]));
            Files.write(root.resolve(BIG_FILE), bigFile());
            System.out.println(root);
        } else if (args.length >= 3 && args[0].equals("load")) {
            int port = Integer.parseInt(args[1]);
            Duration time = Duration.ofSeconds(Long.parseLong(args[2]));
            int clients = args.length > 3 ? Integer.parseInt(args[3]) : 12;
            run(port, clients, Duration.ofSeconds(1), bigFile()); // warm-up
            Tally t = run(port, clients, time, bigFile());
            System.out.printf(
                    "good=%d good_per_s=%.0f faults=%d held=%d wrong=%d%n",
                    t.good().get(),
                    t.good().get() / (double) time.toSeconds(),
                    t.faults().get(),
                    t.held().get(),
                    t.wrong().size());
            t.wrong().stream().limit(5).forEach(w -> System.out.println("wrong: " + w));
        } else {
            System.err.println("usage: FaultMix root BASE | FaultMix load PORT SECONDS [CLIENTS]");
            System.exit(2);
        }
    }

    /** What the clients saw: good exchanges checked, faults made, and every good exchange that came back wrong. */
    public record Tally(AtomicLong good, AtomicLong faults, AtomicLong held, ConcurrentLinkedQueue<String> wrong) {}

    public static Tally run(int port, int clientCount, Duration time, byte[] big) throws Exception {
        Tally t = new Tally(new AtomicLong(), new AtomicLong(), new AtomicLong(), new ConcurrentLinkedQueue<>());
        long end = System.nanoTime() + time.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(clientCount)) {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                SplittableRandom random = new SplittableRandom(1000L + i);
                clients.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            switch (random.nextInt(8)) {
                                case 0, 1, 2 -> pipeline(port, random, t);
                                case 3 -> resetMidRequest(port, t);
                                case 4 -> resetHalfRead(port, t);
                                case 5 -> garbage(port, random, t);
                                case 6 -> slowReader(port, big, t);
                                default -> halfClose(port, t);
                            }
                        } catch (IOException | UncheckedIOException e) {
                            t.wrong.add("a good exchange failed: " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        }
        return t;
    }

    /** One to eight GETs in one write on a keep-alive connection: every response in order, byte for byte. */
    private static void pipeline(int port, SplittableRandom random, Tally t) {
        int n = 1 + random.nextInt(8);
        byte[] data = Docroot.data();
        try (RawClient c = new RawClient(port)) {
            StringBuilder batch = new StringBuilder();
            int[] at = new int[n];
            for (int i = 0; i < n; i++) {
                at[i] = random.nextInt(Docroot.DATA_SIZE - 16);
                batch.append(
                        i % 2 == 0
                                ? get("/hello.txt")
                                : get("/data.bin", "Range: bytes=" + at[i] + "-" + (at[i] + 15)));
            }
            c.send(batch.toString());
            for (int i = 0; i < n; i++) {
                HttpResponse r = c.read();
                byte[] want = i % 2 == 0
                        ? Docroot.HELLO.getBytes(StandardCharsets.UTF_8)
                        : Arrays.copyOfRange(data, at[i], at[i] + 16);
                if (r.status() != (i % 2 == 0 ? 200 : 206) || !Arrays.equals(r.body(), want)) {
                    t.wrong.add("pipelined response " + i + " of " + n + ": " + r);
                }
                t.good.incrementAndGet();
            }
        }
    }

    /** A request cut short, then a reset: the server drops it, and its buffer with it. */
    private static void resetMidRequest(int port, Tally t) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send("GET /data.bin HTTP/1.1\r\nHost: x\r\nRan");
            c.socket().setSoLinger(true, 0);
        }
        t.faults.incrementAndGet();
    }

    /** A large response read a little, then a reset, with the file open on the server. */
    private static void resetHalfRead(int port, Tally t) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send(get("/" + BIG_FILE));
            c.input().readNBytes(64 << 10);
            c.socket().setSoLinger(true, 0);
        }
        t.faults.incrementAndGet();
    }

    /** Bytes that are no HTTP at all: an error and a close, or just a close, never a hang. */
    private static void garbage(int port, SplittableRandom random, Tally t) {
        byte[] noise = new byte[1 + random.nextInt(300)];
        random.nextBytes(noise);
        noise[0] = (byte) (0x80 | noise[0]); // not a token character: nothing can make a request of it
        try (RawClient c = new RawClient(port, GARBAGE_PATIENCE_MILLIS)) {
            c.send(noise);
            byte[] answer = c.readRestAllowingReset();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            if (!text.isEmpty() && !text.startsWith("HTTP/1.1 400 ")) {
                t.wrong.add("garbage answered with " + text.lines().findFirst().orElse(""));
            }
        } catch (AssertionError stillOpen) {
            t.held.incrementAndGet(); // the server held it past the client's patience: it waits for a head that
            // cannot come
        }
        t.faults.incrementAndGet();
    }

    /** A reader that takes its time: the response arrives whole all the same. */
    private static void slowReader(int port, byte[] big, Tally t) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send(get("/" + BIG_FILE, "Connection: close"));
            InputStream in = c.input();
            byte[] head = readHead(in);
            byte[] first = in.readNBytes(16 << 10);
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] rest = in.readAllBytes();
            byte[] body = new byte[first.length + rest.length];
            System.arraycopy(first, 0, body, 0, first.length);
            System.arraycopy(rest, 0, body, first.length, rest.length);
            if (!new String(head, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 ")
                    || !Arrays.equals(body, big)) {
                t.wrong.add("a slow reader got " + body.length + " bytes of " + big.length);
            }
        }
        t.good.incrementAndGet();
    }

    /** A request, then the client's half of the connection closed: the response still comes, whole. */
    private static void halfClose(int port, Tally t) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send(get("/hello.txt"));
            c.socket().shutdownOutput();
            HttpResponse r = c.read();
            if (r.status() != 200 || !r.bodyText().equals(Docroot.HELLO)) {
                t.wrong.add("after a half-close: " + r);
            }
        }
        t.good.incrementAndGet();
    }

    private static byte[] readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
