package dev.warpjourney.stage01;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
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
 * Stage 01: one thread, one poll(2) selector, every socket.
 *
 * <p>Every wake-up hands the kernel the whole list of descriptors and gets it back scanned
 * (that is what poll(2) does), then walks every connection to check its deadline. Both costs
 * grow with the number of connections, idle or not: the bottleneck that stage 02 removes.
 */
public final class Server implements AutoCloseable {

    /** The JDK's poll(2)-based selector; there is no select(2)-based one on Linux. */
    public static final String POLL_SELECTOR = "sun.nio.ch.PollSelectorProvider";

    /** What the reserve descriptor is open on: any file will do, this one always exists. */
    private static final Path RESERVE = Path.of("/dev/null");

    private final ServerSocketChannel listener;
    private final SelectionKey listenerKey;
    private final Selector selector;
    private final StaticFiles files;
    private final Thread loop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    final long headerTimeoutNanos;
    final long idleTimeoutNanos;

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
        SelectorProvider provider = SelectorProvider.provider();
        if (!provider.getClass().getName().equals(POLL_SELECTOR)) {
            // The property must be set before the first NIO call of the JVM; Main does that.
            throw new IllegalStateException("stage 01 needs -Djava.nio.channels.spi.SelectorProvider="
                    + POLL_SELECTOR + ", got " + provider.getClass().getName());
        }
        this.selector = provider.openSelector();
        // end::selector[]
        this.files = new StaticFiles(root);
        this.headerTimeoutNanos = config.requestHeaderTimeout().toNanos();
        this.idleTimeoutNanos = config.idleTimeout().toNanos();
        this.listener = provider.openServerSocketChannel();
        try {
            listener.bind(new InetSocketAddress(config.host(), config.port()));
            listener.configureBlocking(false);
            this.listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw e;
        }
        restoreReserve();
        this.loop = Thread.ofPlatform().name("stage01-loop").unstarted(this::run);
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

    // tag::loop[]
    private void run() {
        try {
            while (true) {
                long now = System.nanoTime();
                if (closing || (draining && (connections == 0 || now > drainDeadline))) {
                    break;
                }
                // Wake at least once a second so that deadlines are checked even when nothing happens
                // (sooner while accepting is paused: its end is a deadline too).
                selector.select(acceptPaused ? Math.clamp((acceptResumeAt - now) / 1_000_000 + 1, 1, 1000) : 1000);
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
                            System.err.println("stage01: closing a connection after an unexpected error: " + e);
                            c.close();
                        }
                    }
                }
                expireDeadlines();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                System.err.println("stage01: event loop failed: " + e);
            }
        } finally {
            closeEverything();
            stopped.countDown();
        }
    }

    /** Naive: walks every registered connection on every wake-up, O(connections) each time. */
    private void expireDeadlines() {
        long now = System.nanoTime();
        if (acceptPaused && now - acceptResumeAt >= 0) {
            resumeAccepting();
        }
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            if (key.attachment() instanceof Connection c && key.isValid()) {
                if (draining && c.isIdle()) {
                    c.closeIdle(); // shutting down: an idle keep-alive connection has nothing in flight
                } else if (now - c.deadline > 0) {
                    try {
                        c.onTimeout();
                    } catch (IOException | RuntimeException e) {
                        c.close();
                    }
                }
            }
        }
    }
    // end::loop[]

    // tag::accept[]
    private void accept() {
        SocketChannel ch;
        try {
            ch = listener.accept(); // one per wake-up: poll(2) will report the rest
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
            System.err.println("stage01: accept failed (" + e.getMessage() + "), retrying every "
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
            System.err.println("stage01: accepting again after " + acceptFailures + " failed attempts in "
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
