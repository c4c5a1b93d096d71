package dev.warpjourney.stage03;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server as its users see it: start it with a {@link Config}, ask its port, stop it. The work
 * is done by its event {@link Loop}, which owns the listening socket, the selector and every
 * connection.
 */
public final class Server implements AutoCloseable {

    /** The document root's files: Main names the root in its start-up line. */
    private final StaticFiles files;
    /** The one event loop: created with the server, stopped by {@link #shutdown} or {@link #close}. */
    private final Loop loop;

    private Server(Config config) throws IOException {
        Path root = config.root();
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            throw new IOException("document root is not a readable directory: " + root);
        }
        this.files = new StaticFiles(root);
        this.loop = new Loop(config, files);
    }

    /** Binds, then starts the loop thread. */
    public static Server start(Config config) throws IOException {
        Server server = new Server(config);
        server.loop.start();
        return server;
    }

    public int port() {
        return loop.port();
    }

    public String selectorName() {
        return loop.selectorName();
    }

    StaticFiles files() {
        return files;
    }

    /** For tests that drive a {@link Connection} by hand. */
    Loop loop() {
        return loop;
    }

    /**
     * Graceful stop: no new connections, idle ones closed, responses in flight finished
     * (each now ends with Connection: close). Waits at most {@code grace}.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        loop.drain(System.nanoTime() + grace.toNanos());
        if (!loop.awaitStopped(grace.toMillis() + 1000)) {
            close();
        }
    }

    /** Immediate stop: every connection is closed. */
    @Override
    public void close() {
        loop.close();
    }
}
