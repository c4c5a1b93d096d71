package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The slowloris client against a small server with a 700 ms header timeout. */
class SlowlorisTest {

    /** Answers a whole head with the 151-byte page and closes; closes a head not complete within 700 ms. */
    private static ServerSocket server() throws IOException {
        ServerSocket listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return listener;
    }

    private static void serve(Socket s) {
        try (s) {
            long deadline = System.nanoTime() + Duration.ofMillis(700).toNanos();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return; // header timeout: close
                }
                s.setSoTimeout((int) left);
                int b;
                try {
                    b = in.read();
                } catch (SocketTimeoutException e) {
                    return;
                }
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            String body = "x".repeat(151);
            s.getOutputStream()
                    .write(("HTTP/1.1 200 OK\r\nContent-Length: 151\r\nConnection: close\r\n\r\n" + body)
                            .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the client went away
        }
    }

    @Test
    @Timeout(60)
    void recordsWhenTheServerClosedTheSlowConnectionsAndWhatTheProbeSaw() throws Exception {
        try (ServerSocket listener = server()) {
            Slowloris.Result r = Slowloris.run(
                    "toy", 1, listener.getLocalPort(), 100, Duration.ofSeconds(3), Duration.ofMillis(300));
            assertThat(r.opened()).isEqualTo(100);
            assertThat(r.closedAfterMillis()).hasSize(100);
            assertThat(r.stillOpen()).isZero();
            assertThat(r.closedAfter().min()).isBetween(600.0, 2000.0); // the 700 ms timeout, not the 3 s hold
            assertThat(r.probes()).isGreaterThan(10);
            assertThat(r.probeOk()).isEqualTo(r.probes());
            assertThat(r.probeSuccess()).isEqualTo(1.0);
            assertThat(r.probeP99Micros()).isPositive().isLessThan(1_000_000);
            String csv = Slowloris.csv(java.util.List.of(r));
            assertThat(csv.lines().toList().get(1)).startsWith("toy,1,100,100,3.0,300,");
            assertThat(Slowloris.summaryCsv(java.util.List.of(r))
                            .lines()
                            .toList()
                            .get(1))
                    .startsWith("toy,1,100,100,1.0000,");
        }
    }

    @Test
    @Timeout(60)
    void aServerThatNeverAnswersFailsEveryProbeAndKeepsEverySlowConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            java.util.List<Socket> accepted = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        accepted.add(listener.accept()); // accepts, reads nothing, answers nothing
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Slowloris.Result r = Slowloris.run(
                    "mute", 1, listener.getLocalPort(), 20, Duration.ofSeconds(4), Duration.ofMillis(500));
            assertThat(r.opened()).isEqualTo(20);
            assertThat(r.stillOpen()).isEqualTo(20);
            assertThat(r.closedAfterMillis()).isEmpty();
            assertThat(r.probes()).isPositive();
            assertThat(r.probeOk()).isZero();
            assertThat(r.probeP50Micros()).isGreaterThanOrEqualTo(3_000_000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
