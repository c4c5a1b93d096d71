package dev.warpjourney.stage06;

import static dev.warpjourney.testkit.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warpjourney.testkit.RawClient;
import java.io.Closeable;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Warp's timeout manager, sweep by sweep, and what it is for: a write to a client that stopped reading. */
class TimeoutManagerTest {

    /** A manager whose thread never runs: the test sweeps by hand. */
    private final TimeoutManager manager = new TimeoutManager("test-timeouts", Duration.ofDays(1));

    private static final class Target implements Closeable {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void aWriteWithoutProgressIsKilledAtTheSecondSweep() {
        Target t = new Target();
        TimeoutManager.Handle h = manager.register(t);
        h.resume();
        manager.sweep(); // active -> inactive
        assertThat(t.closed).hasValue(0);
        manager.sweep(); // still inactive: killed
        assertThat(t.closed).hasValue(1);
        manager.sweep();
        assertThat(t.closed).as("killed once, then off the list").hasValue(1);
    }

    @Test
    void progressBetweenSweepsKeepsItAlive() {
        Target t = new Target();
        TimeoutManager.Handle h = manager.register(t);
        h.resume();
        for (int i = 0; i < 10; i++) {
            manager.sweep();
            h.tickle();
        }
        assertThat(t.closed).hasValue(0);
    }

    @Test
    void pausedAndCancelledHandlesAreNeverKilled() {
        Target paused = new Target();
        Target cancelled = new Target();
        manager.register(paused); // registered paused: a connection that only reads
        TimeoutManager.Handle c = manager.register(cancelled);
        c.resume();
        manager.sweep();
        c.cancel(); // closed by its owner between sweeps
        for (int i = 0; i < 5; i++) {
            manager.sweep();
        }
        assertThat(paused.closed).hasValue(0);
        assertThat(cancelled.closed).hasValue(0);
    }

    @TempDir
    Path root;

    @Test
    @Timeout(60)
    void aClientThatStopsReadingIsCutOffWithinTwoIdleTimeouts() throws Exception {
        int size = 64 << 20; // far more than the socket buffers on both sides hold
        Files.write(root.resolve("big.bin"), new byte[size]);
        Duration idle = Duration.ofSeconds(1);
        Server server = Server.start(new Config("127.0.0.1", 0, root, Duration.ofSeconds(10), idle)
                .with(Config.Model.VTHREADS, 1, Config.Accept.REUSEPORT));
        try (RawClient c = new RawClient(server.port())) {
            c.socket().setReceiveBufferSize(64 << 10);
            c.send(get("/big.bin"));
            InputStream in = c.input();
            in.readNBytes(1000); // then stop: the server's write parks, with the file still open
            Thread.sleep(idle.multipliedBy(3).toMillis()); // killed between one and two periods after the last progress
            long got = 1000;
            try {
                byte[] chunk = new byte[1 << 16];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    got += n;
                }
            } catch (SocketException e) {
                // reset: also an end
            }
            assertThat(got)
                    .as("bytes received before the server cut the stalled response")
                    .isLessThan(size);
        } finally {
            server.close();
        }
    }
}
