package dev.warpjourney.stage02;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One event loop and everything it owns: its thread, its selector, the listening socket it
 * accepts from, and its connections with their deadlines. Its state is its thread's alone: other
 * threads only read its port and ask it to stop ({@link #drain}, {@link #close}).
 *
 * <p>Stage 02: one thread, one epoll selector, every socket. The kernel keeps the interest list
 * between calls, and a wake-up returns only the ready descriptors; deadlines live in
 * {@link TimeoutQueue}s, so a wake-up looks at the nearest ones only. What a wake-up costs now
 * depends on the connections that are ready, not on how many are open. Still one thread, so still
 * one core: the bottleneck that stage 03 removes.
 */
final class Loop {

    /** Every socket of this loop. Opened by the constructor, closed when {@link #run} ends. */
    private final Selector selector;
    /**
     * The listening socket and its key. Bound by the constructor; closed by {@link #drain} (a
     * graceful stop takes no new connections) or when {@link #run} ends. The accept back-off
     * takes OP_ACCEPT out of the key's interest set and puts it back.
     */
    private final ServerSocketChannel listener;

    private final SelectionKey listenerKey;
    /** The document root's files, from the {@link Server}; it keeps no state between requests. */
    private final StaticFiles files;
    /** Runs {@link #run}: started by {@link #start}, ends when a stop has closed every connection. */
    private final Thread thread;
    /** Counted down once {@link #run} has closed everything: what a stop waits for. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The connections' deadlines, by kind: see {@link Deadlines}. */
    private final Deadlines deadlines;
    /**
     * One read buffer for the whole loop: only the connection being served needs one, and borrows it for one wake-up.
     */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(Limits.READ_BUFFER_SIZE);

    /**
     * Set once, by {@link #drain} on another thread: stop when no connection is left, or at drainDeadline
     * (System.nanoTime()).
     */
    private volatile boolean draining;

    private volatile long drainDeadline;
    /** Set once, by {@link #close} on another thread: stop at the next wake-up, closing every connection. */
    private volatile boolean closing;

    /**
     * Open client connections (the selector's keys also count the listener, and cancelled keys
     * linger). Up in a Connection's constructor, down in its close(); a drain ends at 0.
     */
    private int connections;
    /** Accepting is paused after a failed accept(2) until {@link #acceptResumeAt} (System.nanoTime()). */
    private boolean acceptPaused;

    private long acceptResumeAt;
    /** The current run of failed accepts: when it began (System.nanoTime()) and how many; 0 when none. */
    private long acceptFailingSince;

    private int acceptFailures;
    /** Taken by the constructor, released when {@link #run} ends; spent and taken again as files open and close. */
    private final ReserveDescriptor reserve;

    /** Opens the selector, binds the listener and takes the reserve; {@link #start} starts the thread. */
    Loop(Config config, StaticFiles files) throws IOException {
        // tag::selector[]
        // Epoll is the JDK's default on Linux (sun.nio.ch.EPollSelectorProvider). Another provider,
        // chosen with -Djava.nio.channels.spi.SelectorProvider, is taken and named in the start-up
        // line: the journey also runs this stage on sun.nio.ch.PollSelectorProvider, so that epoll's
        // share of the stage's gain can be told apart from the other three moves'.
        SelectorProvider provider = SelectorProvider.provider();
        this.selector = provider.openSelector();
        // end::selector[]
        this.files = files;
        this.deadlines = new Deadlines(config);
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
        this.reserve = new ReserveDescriptor();
        this.thread = Thread.ofPlatform().name("stage02-loop").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    String selectorName() {
        return selector.provider().getClass().getName();
    }

    StaticFiles files() {
        return files;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    /** Bytes this loop's connections keep between reads (unfinished heads, requests pipelined behind a slow write). */
    private long keptBytes;

    /** A connection keeps {@code delta} more bytes (less, when negative) between reads. */
    void keptBytes(int delta) {
        keptBytes += delta;
    }

    /**
     * Whether a connection may keep {@code bytes} more between reads without passing {@link Limits#KEPT_BYTES_BUDGET}.
     */
    boolean mayKeep(int bytes) {
        return keptBytes + bytes <= Limits.KEPT_BYTES_BUDGET;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
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

    /** The descriptor this loop holds back for a file that would not open otherwise. */
    ReserveDescriptor reserve() {
        return reserve;
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
                        } catch (RuntimeException | Error e) {
                            // A bug, or an Error in this connection's work (out of memory, a stack
                            // overflow): this connection is closed, and its buffers with it; the loop,
                            // its listener and every other connection carry on.
                            c.close();
                            Failures.unexpected(e);
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

    /** What is due at this wake-up: connections past their deadline, a paused accept, the cache's reaper. */
    private void expireDeadlines() {
        long now = System.nanoTime();
        if (acceptPaused && now - acceptResumeAt >= 0) {
            resumeAccepting();
        }
        deadlines.expire(now);
    }

    private long millisToNearestDeadline(long now) {
        long nearest = deadlines.nanosToNearest(now);
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
                // A file's body can follow its head in a second write (sendfile); without TCP_NODELAY that write
                // would wait for the ACK of the first (Nagle + delayed ACK, ~40 ms).
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                key.attach(new Connection(ch, key, this));
            } catch (IOException | RuntimeException | Error e) {
                closeQuietly(ch); // the client reset in between, or an Error: that connection is lost, nothing else
                if (!(e instanceof IOException)) {
                    Failures.unexpected(e);
                }
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
            return; // closed on purpose: drain() stops accepting that way
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
            // drain() has closed the listener: nothing to pause or resume
        }
    }

    private static void closeQuietly(Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    /**
     * Graceful stop, from any thread: no new connections, idle ones closed, responses in flight
     * finished (each now ends with Connection: close), the rest closed at {@code deadline}
     * (System.nanoTime()). Returns at once; {@link #awaitStopped} waits.
     */
    void drain(long deadline) {
        drainDeadline = deadline;
        draining = true;
        try {
            // Stop accepting at once: closing from another thread is safe, the key is simply cancelled.
            // The descriptor itself is released at the loop's next select, which the wakeup brings.
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        selector.wakeup();
    }

    /** Waits for {@link #run} to end; false if it has not within {@code millis}. */
    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Immediate stop, from any thread: every connection is closed. Waits for the loop (at most 5 s) unless called on
     * it.
     */
    void close() {
        closing = true;
        selector.wakeup();
        try {
            if (Thread.currentThread() != thread && thread.isAlive()) {
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
            reserve.release();
        } catch (IOException | ClosedSelectorException e) {
            // closing anyway
        }
    }
}
