package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Idle and request-head timeouts, one slow client at a time. */
public interface TimeoutContract extends ContractFixture {

    @Test
    default void idleKeepAliveConnectionIsClosed() {
        try (RawClient c = client()) {
            assertThat(c.send(get("/hello.txt")).read().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.closedByServer((int) IDLE_TIMEOUT.toMillis() * 3))
                    .as("closed after the idle timeout")
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(IDLE_TIMEOUT.minusMillis(500));
        }
    }

    @Test
    @DisplayName("a request head that does not arrive in time gets 408 or a close")
    default void slowRequestHeadTimesOut() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
            byte[] rest = c.readUntilClosed(); // within the client's 10 s read timeout
            String text = new String(rest, StandardCharsets.ISO_8859_1);
            if (!text.isEmpty()) {
                assertThat(text).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
            }
        }
    }

    @Test
    @DisplayName("a client trickling a header line every second cannot keep its request open")
    default void slowlorisCannotExtendTheHeaderTimeout() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
            long t0 = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 10 && !closed; i++) {
                closed = c.drainUntilClosed(500); // a 408 and a close (or just a close) end the wait
                if (!closed) {
                    try {
                        c.send("X-Slow-" + i + ": 1\r\n");
                    } catch (UncheckedIOException e) {
                        closed = true; // the server has already closed: exactly what we want
                    }
                }
            }
            if (!closed) {
                closed = c.drainUntilClosed((int) HEADER_TIMEOUT.toMillis() * 3);
            }
            assertThat(closed).as("the server closed the trickling connection").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(HEADER_TIMEOUT.multipliedBy(4));
        }
    }

    @Test
    @DisplayName("empty lines before a request start its head's deadline: a client sending one every 400 ms is cut")
    default void emptyLinesCannotHoldAConnectionOpen() {
        try (RawClient c = client()) {
            long t0 = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 4 && !closed; i++) { // four lines: within the cap, so only the deadline can end it
                try {
                    c.send("\r\n");
                } catch (UncheckedIOException e) {
                    closed = true;
                }
                closed = closed || c.drainUntilClosed(400);
            }
            if (!closed) {
                closed = c.drainUntilClosed((int) HEADER_TIMEOUT.toMillis() * 2);
            }
            // Before the fix each empty line re-armed the idle timer: the connection lived until IDLE_TIMEOUT and more.
            assertThat(closed).as("closed by the head's deadline").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(HEADER_TIMEOUT.plusMillis(1500));
        }
    }

    @Test
    @DisplayName("more empty lines before a request than the server skips get 400 and a close")
    default void tooManyEmptyLinesAre400() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("\r\n".repeat(50) + get("/hello.txt")).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer(5000)).isTrue();
        }
        try (RawClient c = client()) {
            assertThat(c.send("\r\n\n" + get("/hello.txt")).read().status())
                    .as("two empty lines are skipped")
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a Content-Length body trickled a byte at a time cannot hold the connection past the header timeout")
    default void aTrickledBodyCannotHoldTheConnection() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
                    .read();
            assertThat(r.status()).isEqualTo(200);
            long t0 = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 15 && !closed; i++) { // 6 s of a byte every 400 ms, past IDLE_TIMEOUT too
                try {
                    c.send("x");
                } catch (UncheckedIOException e) {
                    closed = true;
                }
                closed = closed || c.drainUntilClosed(400);
            }
            // Before the fix every byte re-armed the idle timer: the connection outlived IDLE_TIMEOUT.
            assertThat(closed).as("closed while the body trickled").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(HEADER_TIMEOUT.plusMillis(1500));
        }
    }
}
