package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native floor answers what the Java floor answers, byte for byte: one response per request end, the responses to
 * pipelined requests together, and with --close a Connection: close and the end of the connection after each.
 */
@Timeout(60)
class NativeFloorTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void itAnswersTheJavaFloorsBytesToEachRequestPipelinedOrNot() throws Exception {
        Process floor = start(false);
        try (Socket s = new Socket("127.0.0.1", port)) {
            byte[] one = FloorServer.response(false);
            s.getOutputStream()
                    .write("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(s, one.length)).isEqualTo(one);
            // Three requests in one write, the last split across two writes: three responses, nothing more.
            s.getOutputStream()
                    .write("GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r"
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(read(s, 2 * one.length)).isEqualTo(concat(one, one));
            s.getOutputStream().write("\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(s, one.length)).isEqualTo(one);
            s.setSoTimeout(300);
            assertThat(s.getInputStream().available()).isZero();
            assertThat(readSome(s.getInputStream()))
                    .as("no response without a request end")
                    .isEmpty();
        } finally {
            stop(floor);
        }
    }

    @Test
    void withCloseItAnswersOnceAndEndsTheConnection() throws Exception {
        Process floor = start(true);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream()
                    .write("GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            byte[] all = s.getInputStream().readAllBytes(); // to the end: the floor closed
            assertThat(all).isEqualTo(FloorServer.response(true));
            assertThat(new String(all, StandardCharsets.US_ASCII)).contains("\r\nConnection: close\r\n");
        } finally {
            stop(floor);
        }
    }

    private int port;

    private Process start(boolean close) throws Exception {
        Path corpus = Files.createDirectories(tmp.resolve("corpus"));
        Files.writeString(corpus.resolve("index.html"), Corpus.INDEX_HTML, StandardCharsets.US_ASCII);
        port = Launcher.freePort();
        List<String> cmd = new ArrayList<>(List.of(
                NativeFloor.build(REPO, tmp.resolve("work")).toString(),
                String.valueOf(port),
                corpus.resolve("index.html").toString()));
        if (close) {
            cmd.add("--close");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Launcher.answers(port)) {
            assertThat(p.isAlive()).as("the native floor started").isTrue();
            assertThat(System.nanoTime())
                    .as("the native floor answers within 10 s")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    private static byte[] read(Socket s, int n) throws IOException {
        s.setSoTimeout(5000);
        return s.getInputStream().readNBytes(n);
    }

    private static byte[] readSome(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // nothing more came
        }
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
