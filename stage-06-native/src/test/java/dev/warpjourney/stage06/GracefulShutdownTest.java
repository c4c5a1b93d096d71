package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Server#shutdown}, in every design: the listener closes at once, an idle keep-alive
 * connection is closed, a response in flight finishes byte for byte (and its connection then
 * closes), and the loops end as soon as the last connection is gone, long before the grace period.
 */
class GracefulShutdownTest {

    private static final int BIG = 8 << 20;
    private static final Duration GRACE = Duration.ofSeconds(30);

    @TempDir
    Path root;

    /** Reads one response head byte by byte (so nothing after it is consumed) and returns it. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("head so far: " + sb).isNotNegative();
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static byte[] content() {
        byte[] content = new byte[BIG];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + (i >> 10));
        }
        return content;
    }

    /** Two loops for each accept mode, and the virtual threads. */
    static Config design(String name, Config base) {
        return switch (name) {
            case "vthreads" -> base.with(Config.Model.VTHREADS, base.loops(), Config.Accept.REUSEPORT);
            default -> base.with(Config.Model.LOOPS, 2, Config.Accept.valueOf(name.toUpperCase(Locale.ROOT)));
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"reuseport", "shared", "handoff", "vthreads"})
    @Timeout(60)
    void inFlightFinishesIdleClosesNewRefusedAndTheLoopEndsPromptly(String name) throws Exception {
        byte[] content = content();
        Files.write(root.resolve("big.bin"), content);
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Server server = Server.start(
                design(name, new Config("127.0.0.1", 0, root, Duration.ofSeconds(10), Duration.ofSeconds(60))));
        int port = server.port();
        try (Socket idle = new Socket("127.0.0.1", port);
                Socket busy = new Socket("127.0.0.1", port)) {
            idle.setSoTimeout(10_000);
            busy.setSoTimeout(10_000);
            OutputStream idleOut = idle.getOutputStream();
            idleOut.write("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream idleIn = idle.getInputStream();
            assertThat(readHead(idleIn)).startsWith("HTTP/1.1 200 ").doesNotContain("Connection: close");
            assertThat(idleIn.readNBytes(6)).isEqualTo("hello\n".getBytes(StandardCharsets.US_ASCII));

            busy.getOutputStream()
                    .write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream busyIn = busy.getInputStream();
            assertThat(readHead(busyIn)).startsWith("HTTP/1.1 200 ");
            byte[] first = busyIn.readNBytes(64 << 10); // the response is in flight; the rest waits in buffers

            long t0 = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.shutdown(GRACE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            // The idle connection is closed: an orderly end of stream, nothing else.
            assertThat(idleIn.read())
                    .as("the idle keep-alive connection is closed")
                    .isEqualTo(-1);

            // New connections are refused once the listener is gone.
            boolean refused = false;
            while (!refused && System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos()) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    Thread.sleep(20);
                } catch (SocketException e) {
                    // Refused, or reset: a connect that reached the listener's queue as it closed is reset.
                    refused = true;
                }
            }
            assertThat(refused)
                    .as("a new connection is refused during the drain")
                    .isTrue();

            // The response in flight completes exactly, and then its connection ends too.
            byte[] rest = busyIn.readNBytes(BIG - first.length);
            byte[] all = Arrays.copyOf(first, BIG);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertThat(rest).hasSize(BIG - first.length);
            assertThat(Arrays.equals(all, content))
                    .as("every byte of the response in flight")
                    .isTrue();
            assertThat(busyIn.read()).as("closed after its last response").isEqualTo(-1);
            busy.shutdownOutput(); // our FIN ends the server's lingering close

            stopped.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("the drain ends with the last connection, not the grace period")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            server.close();
        }
    }
}
