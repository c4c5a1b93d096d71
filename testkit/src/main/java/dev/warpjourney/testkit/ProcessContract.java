package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stage as a process of its own ({@link ServerProcess}): what it does when it runs out of
 * descriptors, and when it is told to stop.
 */
public interface ProcessContract extends ContractFixture {

    /**
     * The child's descriptor limit: the JVM needs a few dozen for itself, which leaves the server
     * room for some tens of connections before accept fails with EMFILE.
     */
    int NOFILE_LIMIT = 96;
    /** How long the exhausted server's CPU time is watched. */
    Duration EXHAUSTED_WINDOW = Duration.ofSeconds(2);
    /** An idle server uses next to nothing; one that spins on a ready listener uses a whole core (1.0). */
    double MAX_EXHAUSTED_CPU = 0.2;
    /** "Log once per episode": a handful of lines, not one per wake-up. */
    int MAX_EXHAUSTED_STDERR_LINES = 5;

    /** A small heap and serial GC keep the child cheap; its behaviour does not depend on either. */
    List<String> CHILD_JVM = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @Test
    @Tag(HEAVY)
    @DisplayName("out of descriptors: no spinning, no flood on stderr, and it serves again once clients leave")
    default void descriptorExhaustion() throws Exception {
        List<RawClient> clients = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(
                mainClass(),
                root(),
                List.of("prlimit", "--nofile=" + NOFILE_LIMIT + ":" + NOFILE_LIMIT, "--"),
                CHILD_JVM)) {
            long fdsAtStart = server.openDescriptors();
            for (int i = 0; i < 3; i++) { // warm up the request path before descriptors run out
                assertThat(getOn(server.port(), 10_000))
                        .as("descriptors at start: " + fdsAtStart + ", stderr: " + server.stderr())
                        .isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
            }
            // Open kept-alive connections, each with one answered request, until one is not answered:
            // the server could not accept it.
            int served = 0;
            boolean exhausted = false;
            while (!exhausted && clients.size() < NOFILE_LIMIT + 50) {
                RawClient c = new RawClient(server.port(), 1000);
                clients.add(c);
                try {
                    // A redirect needs no descriptor beyond the connection's own (a file would need one
                    // more, and near the limit its open could fail instead of the accept).
                    HttpResponse r = c.send(get("/dir")).read();
                    assertThat(r.status()).as(r.toString()).isEqualTo(301);
                    served++;
                } catch (UncheckedIOException e) {
                    exhausted = true; // not accepted (or closed at once): the server is out of descriptors
                }
            }
            assertThat(exhausted)
                    .as("the server ran out of descriptors under a limit of " + NOFILE_LIMIT)
                    .isTrue();
            // A few more wait in the listen backlog: the listener stays ready all along.
            for (int i = 0; i < 5; i++) {
                clients.add(new RawClient(server.port(), 1000).send(get("/dir")));
            }
            Thread.sleep(300); // the first accept failure happens now; measure the steady state after it
            int linesBefore = server.stderr().size();
            long cpu0 = server.cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(EXHAUSTED_WINDOW.toMillis());
            double cpu = (double) (server.cpuNanos() - cpu0) / (System.nanoTime() - t0);
            List<String> lines = server.stderr();
            System.out.printf(
                    "descriptor exhaustion: %d connections served under --nofile=%d; CPU while exhausted "
                            + "%.3f of a core over %d ms; %d stderr lines in all, %d during the window: %s%n",
                    served,
                    NOFILE_LIMIT,
                    cpu,
                    EXHAUSTED_WINDOW.toMillis(),
                    lines.size(),
                    lines.size() - linesBefore,
                    lines.subList(0, Math.min(lines.size(), MAX_EXHAUSTED_STDERR_LINES)));
            assertThat(cpu).as("CPU used by the exhausted server (cores)").isLessThan(MAX_EXHAUSTED_CPU);
            assertThat(lines).as("stderr of the exhausted server").hasSizeLessThanOrEqualTo(MAX_EXHAUSTED_STDERR_LINES);

            clients.forEach(RawClient::close);
            clients.clear();
            // Descriptors come back; the server resumes by itself and serves a fresh client exactly.
            assertThat(getOn(server.port(), 10_000)).isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
            assertThat(server.process().isAlive()).isTrue();
            assertThat(server.stderr())
                    .as("stderr after recovery")
                    .hasSizeLessThanOrEqualTo(MAX_EXHAUSTED_STDERR_LINES);
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    @Tag(HEAVY)
    @DisplayName("a small heap flooded with long missing paths and unfinished heads: the server lives and answers")
    default void smallHeapSurvivesFloods() throws Exception {
        try (ServerProcess server = ServerProcess.start(mainClass(), root(), List.of(), CHILD_JVM)) {
            assertThat(getOn(server.port(), 10_000)).isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
            // 8,000 missing paths of 8 KB each, pipelined: 64 MB of keys if a cache kept them all (the
            // heap is 64 MiB). A cache that keeps long paths ran its loop out of memory, and the dead
            // loop closed its listener: every later connect was refused while the process lived on.
            String filler = "a".repeat(8_000);
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<?>> senders = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int sender = t;
                    senders.add(pool.submit(() -> {
                        try (RawClient c = new RawClient(server.port(), 30_000)) {
                            for (int burst = 0; burst < 40; burst++) {
                                StringBuilder b = new StringBuilder();
                                for (int i = 0; i < 50; i++) {
                                    b.append(get("/" + sender + "-" + burst + "-" + i + "-" + filler));
                                }
                                c.send(b.toString());
                                for (int i = 0; i < 50; i++) {
                                    assertThat(c.read().status()).isEqualTo(404);
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : senders) {
                    f.get();
                }
            }
            assertThat(getOn(server.port(), 10_000))
                    .as("answers after the long paths; stderr: " + server.stderr())
                    .isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
            // 1,200 connections, each with 20 KB of a head that does not end: 24 MB held until the
            // header timeout, unless the server bounds what it keeps (and refuses the rest with 503).
            List<RawClient> slow = new ArrayList<>();
            try {
                String unfinished = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(20_000);
                for (int i = 0; i < 1_200; i++) {
                    RawClient c = new RawClient(server.port(), 10_000);
                    slow.add(c);
                    try {
                        c.send(unfinished);
                    } catch (UncheckedIOException e) {
                        // refused (503 and a close): what a bounded server does with the rest
                    }
                }
                assertThat(getOn(server.port(), 10_000))
                        .as("answers beside the unfinished heads; stderr: " + server.stderr())
                        .isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
            } finally {
                slow.forEach(RawClient::close);
            }
            assertThat(String.join("\n", server.stderr()))
                    .as("no loop died")
                    .doesNotContain("event loop failed")
                    .doesNotContain("Exception in thread");
        }
    }

    private static byte[] getOn(int port, int timeoutMillis) {
        try (RawClient c = new RawClient(port, timeoutMillis)) {
            HttpResponse r = c.send(get("/hello.txt")).read();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            return r.body();
        }
    }

    /** Big enough to stay in flight while read slowly (socket buffers hold a few MiB at most). */
    int SHUTDOWN_FILE_SIZE = 16 << 20;
    /** Slow readers take about 2 s for the file, well inside a stage's shutdown grace (10 s in Limits). */
    int SLOW_READ_BLOCK = 64 << 10;

    long SLOW_READ_PAUSE_MILLIS = 8;
    /** A generous bound for "at once" on a busy machine, and well under any stage's shutdown grace. */
    Duration DRAIN_CLOSE_BOUND = Duration.ofSeconds(2);

    @Test
    @Tag(HEAVY)
    @DisplayName(
            "SIGTERM under load: every response in flight completes byte-exact, new connections are refused, exit 0")
    default void gracefulShutdownUnderLoad() throws Exception {
        Path file = root().resolve("shutdown.bin");
        byte[] content = new byte[SHUTDOWN_FILE_SIZE];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 131 + (i >> 12));
        }
        Files.write(file, content);
        List<RawClient> clients = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(mainClass(), root(), List.of(), CHILD_JVM);
                ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            // Three slow readers of the big file, and one that pipelines the big file and five small ones.
            for (int i = 0; i < 4; i++) {
                RawClient c = new RawClient(server.port());
                clients.add(c);
                c.send(get("/shutdown.bin") + (i == 3 ? get("/hello.txt").repeat(5) : ""));
            }
            List<Future<String>> results = new ArrayList<>();
            List<CountDownLatch> started = new ArrayList<>();
            for (RawClient c : clients) {
                CountDownLatch inFlight = new CountDownLatch(1);
                started.add(inFlight);
                results.add(readers.submit(() -> readSlowly(c, content, inFlight)));
            }
            for (CountDownLatch l : started) {
                assertThat(l.await(10, TimeUnit.SECONDS))
                        .as("every response is in flight")
                        .isTrue();
            }

            server.process().destroy(); // SIGTERM on Linux
            long signalled = System.nanoTime();

            // New connections are refused once the listener is closed (at once, in the shutdown hook).
            boolean refused = false;
            while (!refused
                    && System.nanoTime() - signalled < Duration.ofSeconds(3).toNanos()) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
                    Thread.sleep(50);
                } catch (ConnectException e) {
                    refused = true;
                }
            }
            assertThat(refused).as("a new connection is refused after SIGTERM").isTrue();

            for (int i = 0; i < results.size(); i++) {
                String problem = results.get(i).get(30, TimeUnit.SECONDS);
                assertThat(problem).as("client " + i).isEmpty();
            }
            assertThat(server.process().waitFor(20, TimeUnit.SECONDS))
                    .as("the server exits")
                    .isTrue();
            assertThat(server.process().exitValue())
                    .as("exit status after a clean drain")
                    .isZero();
            System.out.printf(
                    "graceful shutdown: 4 clients drained, exit %d, %d ms after SIGTERM; stderr %s%n",
                    server.process().exitValue(), (System.nanoTime() - signalled) / 1_000_000, server.stderr());
        } finally {
            clients.forEach(RawClient::close);
            Files.deleteIfExists(file);
        }
    }

    /**
     * Reads the response head and the first block, signals that the response is in flight, then
     * reads the rest slowly and checks every byte; then reads any further pipelined responses. The
     * stream must end with a close right after a complete response, and straight after one that
     * says Connection: close. Returns "" when all is well, or what went wrong.
     */
    private static String readSlowly(RawClient c, byte[] content, CountDownLatch inFlight)
            throws IOException, InterruptedException {
        HttpResponse head = c.readHead();
        if (head.status() != 200 || !String.valueOf(content.length).equals(head.header("Content-Length"))) {
            inFlight.countDown();
            return "unexpected head " + head;
        }
        InputStream in = c.input();
        byte[] block = new byte[SLOW_READ_BLOCK];
        int offset = 0;
        boolean first = true;
        while (offset < content.length) {
            int n = in.read(block, 0, Math.min(block.length, content.length - offset));
            if (n < 0) {
                inFlight.countDown();
                return "the big response was cut at byte " + offset + " of " + content.length;
            }
            if (!Arrays.equals(block, 0, n, content, offset, offset + n)) {
                inFlight.countDown();
                return "wrong bytes near offset " + offset;
            }
            offset += n;
            if (first && offset >= SLOW_READ_BLOCK) {
                first = false;
                inFlight.countDown();
            }
            Thread.sleep(SLOW_READ_PAUSE_MILLIS);
        }
        inFlight.countDown();
        boolean closes = head.closes();
        while (!closes) {
            // Either the connection ends here, or another complete response follows.
            long done = System.nanoTime();
            in.mark(1);
            int b = in.read();
            if (b < 0) {
                return closedPromptly(done);
            }
            in.reset();
            HttpResponse next = c.read();
            if (next.status() != 200 || !next.bodyText().equals(Docroot.HELLO)) {
                return "unexpected pipelined response " + next;
            }
            closes = next.closes();
        }
        long done = System.nanoTime();
        byte[] rest = c.readUntilClosed();
        return rest.length == 0
                ? closedPromptly(done)
                : rest.length + " bytes after a response that said Connection: close";
    }

    /**
     * A draining server has nothing left to do on a connection whose response is complete: it
     * closes it then, not when the grace period runs out.
     */
    private static String closedPromptly(long responseDone) {
        long millis = (System.nanoTime() - responseDone) / 1_000_000;
        return millis < DRAIN_CLOSE_BOUND.toMillis()
                ? ""
                : "the connection was closed " + millis + " ms after its last response, not at once";
    }

    /**
     * A thread stack far smaller than the default (1 MiB) but ample for serving one request. A
     * keep-alive loop that recurses once per pipelined request in a read overflows it; a loop
     * that is a loop does not care how many requests one read delivers.
     */
    String SMALL_STACK = "-Xss256k";

    @Test
    @Tag(HEAVY)
    @DisplayName("10,000 pipelined requests with a 256 KiB thread stack: the keep-alive loop is a loop")
    default void deepPipelineWithASmallStack() throws Exception {
        List<String> jvm = new ArrayList<>(CHILD_JVM);
        jvm.add(SMALL_STACK);
        try (ServerProcess server = ServerProcess.start(mainClass(), root(), List.of(), jvm);
                RawClient c = new RawClient(server.port())) {
            try {
                Wire.assertShortestPipeline(c, ConnectionContract.DEEP_PIPELINE);
            } catch (AssertionError | UncheckedIOException e) {
                throw new AssertionError("deep pipeline failed; the server's stderr: " + server.stderr(), e);
            }
            assertThat(server.stderr()).as("stderr").isEmpty();
        }
    }
}
