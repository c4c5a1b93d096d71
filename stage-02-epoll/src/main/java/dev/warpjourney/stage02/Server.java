package dev.warpjourney.stage02;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stage 02: one thread, one epoll selector, every socket.
 *
 * <p>The kernel keeps the interest list between calls, and a wake-up returns only the ready
 * descriptors; deadlines live in {@link TimeoutQueue}s, so a wake-up looks at the nearest ones
 * only. What a wake-up costs now depends on the connections that are ready, not on how many
 * are open. Still one thread, so still one core: the bottleneck that stage 03 removes.
 */
public final class Server implements AutoCloseable {

    /** The JDK's default selector on Linux. */
    public static final String EPOLL_SELECTOR = "sun.nio.ch.EPollSelectorProvider";

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final StaticFiles files;
    private final Thread loop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    // tag::deadlines[]
    final TimeoutQueue header;
    final TimeoutQueue idle;
    final TimeoutQueue linger = new TimeoutQueue(Limits.LINGER_TIMEOUT.toNanos());
    // end::deadlines[]
    /** One read buffer for the whole loop: only the connection being served needs one. */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(Limits.READ_BUFFER_SIZE);

    private volatile boolean draining;
    private volatile long drainDeadline;
    private volatile boolean closing;

    private Server(Config config) throws IOException {
        Path root = config.root();
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            throw new IOException("document root is not a readable directory: " + root);
        }
        // tag::selector[]
        SelectorProvider provider = SelectorProvider.provider();
        if (!provider.getClass().getName().equals(EPOLL_SELECTOR)) {
            // Only if someone chose another provider with -Djava.nio.channels.spi.SelectorProvider.
            throw new IllegalStateException("stage 02 needs the epoll selector (" + EPOLL_SELECTOR
                    + "), got " + provider.getClass().getName());
        }
        this.selector = provider.openSelector();
        // end::selector[]
        this.files = new StaticFiles(root);
        this.header = new TimeoutQueue(config.requestHeaderTimeout().toNanos());
        this.idle = new TimeoutQueue(config.idleTimeout().toNanos());
        this.listener = provider.openServerSocketChannel();
        try {
            listener.bind(new InetSocketAddress(config.host(), config.port()), Limits.LISTEN_BACKLOG);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw e;
        }
        this.loop = Thread.ofPlatform().name("stage02-loop").unstarted(this::run);
    }

    /** Binds, then starts the loop thread. */
    public static Server start(Config config) throws IOException {
        Server server = new Server(config);
        server.loop.start();
        return server;
    }

    public int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    public String selectorName() {
        return selector.provider().getClass().getName();
    }

    StaticFiles files() {
        return files;
    }

    boolean isDraining() {
        return draining;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    // tag::loop[]
    private void run() {
        boolean drainStarted = false;
        try {
            while (true) {
                long now = System.nanoTime();
                if (closing || (draining && (selector.keys().isEmpty() || now > drainDeadline))) {
                    break;
                }
                if (draining && !drainStarted) {
                    drainStarted = true;
                    closeIdleConnections(); // once, at the start of a shutdown: not per wake-up
                }
                // Sleep until the nearest deadline, not a fixed tick: an idle server does not wake.
                selector.select(millisToNearestDeadline(now));
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        Connection c = (Connection) key.attachment();
                        try {
                            if (key.isReadable()) {
                                c.onReadable();
                            }
                            if (key.isValid() && key.isWritable()) {
                                c.onWritable();
                            }
                        } catch (IOException e) {
                            c.close(); // reset by peer, broken pipe: this client is gone, the others are not
                        } catch (RuntimeException e) {
                            System.err.println("stage02: closing a connection after an unexpected error: " + e);
                            c.close();
                        }
                    }
                }
                expireDeadlines();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                System.err.println("stage02: event loop failed: " + e);
            }
        } finally {
            closeEverything();
            stopped.countDown();
        }
    }

    /** Looks at the head of each queue only: O(expired connections), not O(open connections). */
    private void expireDeadlines() {
        long now = System.nanoTime();
        for (TimeoutQueue q : new TimeoutQueue[] {header, idle, linger}) {
            Connection c;
            while ((c = q.first()) != null && now - c.deadline > 0) {
                q.remove(c);
                try {
                    c.onTimeout();
                } catch (IOException | RuntimeException e) {
                    c.close();
                }
            }
        }
    }

    private long millisToNearestDeadline(long now) {
        long nearest = Long.MAX_VALUE;
        for (TimeoutQueue q : new TimeoutQueue[] {header, idle, linger}) {
            Connection c = q.first();
            if (c != null) {
                nearest = Math.min(nearest, c.deadline - now);
            }
        }
        if (draining) {
            nearest = Math.min(nearest, drainDeadline - now);
        }
        // 0 would mean "block forever" to select(): wait at least 1 ms when a deadline is due.
        return nearest == Long.MAX_VALUE ? 0 : Math.max(1, nearest / 1_000_000 + 1);
    }
    // end::loop[]

    private void closeIdleConnections() {
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            if (key.attachment() instanceof Connection c && key.isValid() && c.isIdle()) {
                c.close(); // shutting down: an idle keep-alive connection has nothing in flight
            }
        }
    }

    // tag::accept[]
    private void accept() {
        while (true) {
            try {
                // Drain the backlog: after a burst of connects one wake-up accepts them all.
                SocketChannel ch = listener.accept();
                if (ch == null) {
                    return;
                }
                ch.configureBlocking(false);
                // The head and the body go out in two writes; without TCP_NODELAY the second waits for
                // the ACK of the first (Nagle + delayed ACK, ~40 ms). Stage 05 sends them in one write.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                key.attach(new Connection(ch, key, this));
            } catch (IOException e) {
                // EMFILE and friends: a production server would stop accepting for a moment.
                System.err.println("stage02: accept failed: " + e);
                return;
            }
        }
    }
    // end::accept[]

    /**
     * Graceful stop: no new connections, idle ones closed, responses in flight finished
     * (each now ends with Connection: close). Waits at most {@code grace}.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        drainDeadline = System.nanoTime() + grace.toNanos();
        draining = true;
        selector.wakeup();
        try {
            // Stop accepting at once: closing from another thread is safe, the key is simply cancelled.
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (!stopped.await(grace.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            close();
        }
    }

    /** Immediate stop: every connection is closed. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            if (Thread.currentThread() != loop && loop.isAlive()) {
                stopped.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeEverything() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection c) {
                    c.close();
                }
            }
            listener.close();
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            // closing anyway
        }
    }
}
