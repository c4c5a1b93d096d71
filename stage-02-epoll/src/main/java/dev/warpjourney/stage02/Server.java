package dev.warpjourney.stage02;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.FileChannel;
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

    /** What the reserve descriptor is open on: any file will do, this one always exists. */
    private static final Path RESERVE = Path.of("/dev/null");

    private final ServerSocketChannel listener;
    private final SelectionKey listenerKey;
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

    /** Open client connections (the selector's keys also count the listener, and cancelled keys linger). */
    private int connections;
    /** Accepting is paused after a failed accept(2) until {@link #acceptResumeAt} (System.nanoTime()). */
    private boolean acceptPaused;
    private long acceptResumeAt;
    /** The current run of failed accepts: when it began (System.nanoTime()) and how many; 0 when none. */
    private long acceptFailingSince;
    private int acceptFailures;
    /**
     * One descriptor held in reserve. Under a descriptor limit every accepted connection costs one
     * and serving it costs one more, for the file: without a reserve the last connection accepted
     * could only get a 503. With it, that file opens in the reserve's place, and accept(2) is what
     * fails first: the server stops taking clients it could not serve. (libuv keeps a reserve
     * descriptor for the same kind of reason.) Null while spent.
     */
    private FileChannel reserve;

    private Server(Config config) throws IOException {
        Path root = config.root();
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            throw new IOException("document root is not a readable directory: " + root);
        }
        // tag::selector[]
        // Epoll is the JDK's default on Linux (sun.nio.ch.EPollSelectorProvider). Another provider,
        // chosen with -Djava.nio.channels.spi.SelectorProvider, is taken and named in the start-up
        // line: the journey also runs this stage on sun.nio.ch.PollSelectorProvider, so that epoll's
        // share of the stage's gain can be told apart from the other three moves'.
        SelectorProvider provider = SelectorProvider.provider();
        this.selector = provider.openSelector();
        // end::selector[]
        this.files = new StaticFiles(root);
        this.header = new TimeoutQueue(config.requestHeaderTimeout().toNanos());
        this.idle = new TimeoutQueue(config.idleTimeout().toNanos());
        this.listener = provider.openServerSocketChannel();
        try {
            listener.bind(new InetSocketAddress(config.host(), config.port()), Limits.LISTEN_BACKLOG);
            listener.configureBlocking(false);
            this.listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw e;
        }
        restoreReserve();
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

    void connectionOpened() {
        connections++;
    }

    void connectionClosed() {
        connections--;
    }

    /** Gives the reserve descriptor back to the process so that a file can open; false if it is spent. */
    boolean releaseReserve() {
        if (reserve == null) {
            return false;
        }
        closeQuietly(reserve);
        reserve = null;
        return true;
    }

    /** Takes the reserve again once it is spent and a descriptor has come back (a file or a connection closed). */
    void restoreReserve() {
        if (reserve == null) {
            try {
                reserve = FileChannel.open(RESERVE);
            } catch (IOException e) {
                // still out of descriptors: the next one to come back will do
            }
        }
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
                if (closing || (draining && (connections == 0 || now > drainDeadline))) {
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
        if (acceptPaused && now - acceptResumeAt >= 0) {
            resumeAccepting();
        }
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
        if (acceptPaused) {
            nearest = Math.min(nearest, acceptResumeAt - now);
        }
        // 0 would mean "block forever" to select(): wait at least 1 ms when a deadline is due.
        return nearest == Long.MAX_VALUE ? 0 : Math.max(1, nearest / 1_000_000 + 1);
    }
    // end::loop[]

    private void closeIdleConnections() {
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            if (key.attachment() instanceof Connection c && key.isValid() && c.isIdle()) {
                c.closeIdle(); // shutting down: an idle keep-alive connection has nothing in flight
            }
        }
    }

    // tag::accept[]
    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                // Drain the backlog: after a burst of connects one wake-up accepts them all.
                ch = listener.accept();
            } catch (IOException e) {
                acceptFailed(e);
                return;
            }
            if (ch == null) {
                return;
            }
            acceptSucceeded();
            try {
                ch.configureBlocking(false);
                // The head and the body go out in two writes; without TCP_NODELAY the second waits for
                // the ACK of the first (Nagle + delayed ACK, ~40 ms). Stage 05 sends them in one write.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                key.attach(new Connection(ch, key, this));
            } catch (IOException e) {
                closeQuietly(ch); // the client reset in between: that connection is lost, nothing else
            }
        }
    }

    /**
     * A failed accept(2) leaves the connection in the backlog and the listener readable: trying
     * again at the next wake-up fails again at once, and the loop spins at 100% CPU. So the
     * listener leaves the selector's interest set for {@link Limits#ACCEPT_BACKOFF}, and the
     * deadline check puts it back; one line is logged when the failures begin, one when an
     * accept works again. Out of descriptors (EMFILE, ENFILE) is the usual cause, out of socket
     * buffers or memory the others. An accept that fails for one connection's sake costs a pause
     * too, never a refusal: the JDK already retries ECONNABORTED (a client that reset while queued),
     * and the clients in the backlog simply wait.
     */
    private void acceptFailed(IOException e) {
        if (!listener.isOpen()) {
            return; // closed on purpose: shutdown() stops accepting that way
        }
        long now = System.nanoTime();
        if (acceptFailures++ == 0) {
            acceptFailingSince = now;
            System.err.println("stage02: accept failed (" + e.getMessage() + "), retrying every "
                    + Limits.ACCEPT_BACKOFF.toMillis() + " ms until it works");
        }
        acceptPaused = true;
        acceptResumeAt = now + Limits.ACCEPT_BACKOFF.toNanos();
        setListenerInterest(0);
    }

    private void resumeAccepting() {
        acceptPaused = false;
        setListenerInterest(SelectionKey.OP_ACCEPT);
    }

    private void acceptSucceeded() {
        if (acceptFailures > 0) {
            System.err.println("stage02: accepting again after " + acceptFailures + " failed attempts in "
                    + (System.nanoTime() - acceptFailingSince) / 1_000_000 + " ms");
            acceptFailures = 0;
        }
    }
    // end::accept[]

    private void setListenerInterest(int ops) {
        try {
            listenerKey.interestOps(ops);
        } catch (CancelledKeyException e) {
            // shutdown() has closed the listener: nothing to pause or resume
        }
    }

    /** Out of descriptors (EMFILE, ENFILE), socket buffers (ENOBUFS) or memory (ENOMEM): the JDK gives us strerror's text only. */
    static boolean isOutOfResources(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("Too many open files") || m.contains("No buffer space available")
                || m.contains("Cannot allocate memory"));
    }

    private static void closeQuietly(Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    /**
     * Graceful stop: no new connections, idle ones closed, responses in flight finished
     * (each now ends with Connection: close). Waits at most {@code grace}.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        drainDeadline = System.nanoTime() + grace.toNanos();
        draining = true;
        try {
            // Stop accepting at once: closing from another thread is safe, the key is simply cancelled.
            // The descriptor itself is released at the loop's next select, which the wakeup brings.
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        selector.wakeup();
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
            releaseReserve();
        } catch (IOException | ClosedSelectorException e) {
            // closing anyway
        }
    }
}
