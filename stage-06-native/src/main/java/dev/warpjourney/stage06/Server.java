package dev.warpjourney.stage06;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The server as its users see it: start it with a {@link Config}, ask its port, stop it. The work
 * is done, in model LOOPS, by N event {@link Loop}s (and, in accept mode HANDOFF, a
 * {@link HandoffAcceptor} that accepts for them); in model VTHREADS by a {@link BlockingServer}, a virtual thread per connection.
 */
public final class Server implements AutoCloseable {

    private final Config config;
    /** The document root's files: Main names the root in its start-up line. Shared by every loop: read-only. */
    private final StaticFiles files;
    /**
     * The serving loops (model LOOPS), created with the server, stopped by {@link #shutdown} or {@link #close}; empty
     * otherwise.
     */
    private final List<Loop> loops = new ArrayList<>();
    /** Accept mode HANDOFF: the thread that accepts for the loops; null otherwise. */
    private HandoffAcceptor acceptor;
    /** Model VTHREADS: the acceptor and its connections' virtual threads; null otherwise. */
    private BlockingServer blocking;

    private Server(Config config) throws IOException {
        Path root = config.root();
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            throw new IOException("document root is not a readable directory: " + root);
        }
        this.config = config;
        this.files = new StaticFiles(root);
        try {
            if (config.model() == Config.Model.VTHREADS) {
                blocking = new BlockingServer(config, files);
            } else {
                createLoops();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    // tag::loops[]
    private void createLoops() throws IOException {
        int n = config.loops();
        switch (config.accept()) {
            case REUSEPORT -> {
                // The first loop binds the port asked for (0: any free one), the others the port it got.
                loops.add(loop(loopName(0), Listener.open(config, config.port(), true, 1)));
                int port = loops.getFirst().port();
                for (int i = 1; i < n; i++) {
                    loops.add(loop(loopName(i), Listener.open(config, port, true, 1)));
                }
            }
            case SHARED -> {
                // One listener, in every loop's epoll set (see Loop.accept: the herd); the last loop to let go closes
                // it.
                Listener listener = Listener.open(config, config.port(), false, n);
                for (int i = 0; i < n; i++) {
                    try {
                        loops.add(loop(loopName(i), listener));
                    } catch (IOException | RuntimeException e) {
                        // The loops never made let go of their shares here, so that the loops made (closed by the
                        // constructor) and loop i (by loop) bring the count to zero and close the socket.
                        for (int unmade = i + 1; unmade < n; unmade++) {
                            release(listener);
                        }
                        throw e;
                    }
                }
            }
            case HANDOFF -> {
                for (int i = 0; i < n; i++) {
                    loops.add(loop(loopName(i), null));
                }
                Listener listener = Listener.open(config, config.port(), false, 1);
                try {
                    acceptor = new HandoffAcceptor(
                            "stage06-acceptor", listener, loops.toArray(Loop[]::new), config.jdkCosts());
                } catch (IOException | RuntimeException e) {
                    release(listener);
                    throw e;
                }
            }
        }
    }
    // end::loops[]

    /** A new loop; if it cannot be made (out of descriptors for its epoll set), the listener it was given is closed. */
    private Loop loop(String name, Listener listener) throws IOException {
        try {
            return new Loop(name, config, files, listener);
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                release(listener);
            }
            throw e;
        }
    }

    /** At start-up, a listener no loop will take: let go of it, with memory for the call. */
    private static void release(Listener listener) {
        try (Arena call = NativeMemory.confined()) {
            listener.release(new Linux(call));
        }
    }

    private static String loopName(int i) {
        return "stage06-loop-" + i;
    }

    /** Binds, then starts the loops' threads (or the acceptor of model VTHREADS). */
    public static Server start(Config config) throws IOException {
        Server server = new Server(config);
        server.loops.forEach(Loop::start);
        if (server.acceptor != null) {
            server.acceptor.start();
        }
        if (server.blocking != null) {
            server.blocking.start();
        }
        return server;
    }

    public int port() {
        if (blocking != null) {
            return blocking.port();
        }
        return acceptor != null ? acceptor.port() : loops.getFirst().port();
    }

    /** The model, loops, accept mode and selector, for the start-up line. */
    public String describe() {
        if (blocking != null) {
            return "model: vthreads, loops: " + config.loops() + " (sizes nothing here), accept: " + blocking.describe()
                    + composer();
        }
        return "model: loops, loops: " + loops.size() + ", accept: "
                + config.accept().name().toLowerCase(Locale.ROOT) + ", selector: " + selectorName() + composer();
    }

    /** The composer's three switches, as the command line spells them, and any JDK cost put back. */
    private String composer() {
        return ", bodies: " + Main.optionName(config.bodies()) + ", date: " + Main.optionName(config.dates())
                + ", heads: " + Main.optionName(config.heads())
                + (config.jdkCosts().isEmpty() ? "" : ", jdk-costs: " + Main.optionNames(config.jdkCosts()));
    }

    public String selectorName() {
        return blocking != null ? "none" : loops.getFirst().selectorName();
    }

    StaticFiles files() {
        return files;
    }

    /** The serving loops, for tests that drive a {@link Connection} by hand or count what each loop served. */
    List<Loop> loops() {
        return loops;
    }

    /**
     * Graceful stop: no new connections, idle ones closed, responses in flight finished
     * (each now ends with Connection: close). Waits at most {@code grace}: every loop drains at once,
     * against one deadline.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        if (blocking != null) {
            blocking.drain();
            blocking.awaitStopped(grace.toMillis());
            blocking.close(); // whatever is still open at the deadline is cut, and the timeout manager stops
            return;
        }
        if (acceptor != null) {
            // The acceptor first, and to its end: then nothing can be handed to a loop that has stopped.
            acceptor.drain();
            acceptor.awaitStopped(grace.toMillis() + 1000);
        }
        loops.forEach(loop -> loop.drain(deadline));
        boolean stopped = true;
        for (Loop loop : loops) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            stopped &= loop.awaitStopped(left + 1000);
        }
        if (!stopped) {
            close();
        }
    }

    /** Immediate stop: every connection is closed. */
    @Override
    public void close() {
        if (blocking != null) {
            blocking.close();
        }
        if (acceptor != null) {
            acceptor.close();
        }
        loops.forEach(Loop::close);
        files.close();
    }
}
