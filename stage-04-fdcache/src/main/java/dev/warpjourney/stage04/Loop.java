package dev.warpjourney.stage04;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One event loop and everything it owns: its thread, its selector, the listening socket it
 * accepts from, and its connections with their deadlines. Its state is its thread's alone: other
 * threads only read its port, hand it connections ({@link #handOff}) and ask it to stop
 * ({@link #drain}, {@link #close}).
 *
 * <p>N of these, one per core, each stage 02's loop whole: its own thread, epoll
 * selector, deadline queues, read buffer, reserve descriptor and connection count. A connection
 * lives and dies on the loop that took it, so nothing on the request path is shared between
 * threads, and nothing on it takes a lock or waits for another core's cache line: the loops scale
 * as far as the kernel and the memory bus let them. (One selector shared by N threads would need
 * a lock around every registration and every selected-key set; Warp's single IO manager had the
 * same problem, and GHC's parallel IO manager, Mio, the same answer: one event manager per core.)
 * What the loops share is read-only ({@link StaticFiles}, {@link Config}) or named where it is
 * declared: the listener in accept mode SHARED, the hand-off queue in mode HANDOFF.
 *
 * <p>Who accepts ({@link Config.Accept}): with REUSEPORT each loop owns a listener of its own on
 * the common port; with SHARED every loop registers the one listener in its own selector; with
 * HANDOFF one more Loop, the acceptor, owns the listener and serves nothing: it hands each
 * connection it accepts to the next loop ({@code handoffTargets}).
 *
 * <p>A connection tells its loop which phase it has entered, and the loop starts the timeout that
 * goes with it: {@link #awaitRequest}, {@link #awaitHead}, {@link #awaitProgress}, {@link #linger};
 * {@link #cancelDeadline} when it closes. Warp's timeout manager hands each connection the same
 * kind of verbs: tickle (there was activity: restart the timer), pause and resume (no timer while
 * the application computes a response) and cancel. Ours restart the connection's one timer too, each
 * with its phase's timeout; none pauses it, as a response is computed on the loop's thread, where
 * no deadline can fire meanwhile.
 */
final class Loop {

    /** What the reserve descriptor is open on: any file will do, this one always exists. */
    private static final Path RESERVE = Path.of("/dev/null");

    /** Every socket of this loop. Opened by the constructor, closed when {@link #run} ends. */
    private final Selector selector;
    /** This loop's name, and its thread's: stage04-loop-0, ..., or stage04-acceptor. */
    private final String name;
    /**
     * The listening socket and this loop's key for it; both null on a loop that only gets
     * connections handed over. Bound by {@link #listen}; closed by {@link #drain} (a graceful stop
     * takes no new connections) or when {@link #run} ends. The accept back-off takes OP_ACCEPT out of
     * the key's interest set and puts it back. In accept mode SHARED the listener is shared by every
     * loop, each with a key of its own in its own selector: a graceful stop closes it from every loop,
     * which is safe. (A loop whose selector fails ends and closes it too, so the others stop taking
     * connections; stage 02's one loop ended the server in that case as well.)
     */
    private final ServerSocketChannel listener;

    private final SelectionKey listenerKey;
    /** The acceptor's loops, which it hands each new connection to in turn; null on a loop that serves. */
    private final Loop[] handoffTargets;

    private int nextTarget;
    /**
     * Shared, mutable: the one queue between two threads. The acceptor adds connections it accepted
     * for this loop and wakes its selector; this loop registers them at its next wake-up. (A channel
     * can be registered from another thread, but its Connection, deadlines and count are this loop's
     * alone, so they are created here.) Lock-free, and empty unless the accept mode is HANDOFF.
     */
    private final ConcurrentLinkedQueue<SocketChannel> handoffs = new ConcurrentLinkedQueue<>();
    /** The document root's files, from the {@link Server}; it keeps no state between requests. */
    private final StaticFiles files;
    /**
     * What this loop remembers of the document root: lookups and open descriptors, its own, used by
     * its thread alone (so neither a lock nor an atomic count). Why one per loop and not one for the
     * server: a shared cache would put a lock, or atomic counts, on every request of every loop, and
     * its entries' cache lines would bounce between cores. The price: a file served by N loops is
     * looked up and opened N times, and held open N times (the descriptor budget is split between
     * the loops, see {@link FileCache#channelBudget}). Reaped on this loop's timer; closed by {@link #run}'s end.
     */
    private final FileCache fileCache;
    /** Runs {@link #run}: started by {@link #start}, ends when a stop has closed every connection. */
    private final Thread thread;
    /** Counted down once {@link #run} has closed everything: what a stop waits for. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /**
     * The connections waiting on each kind of deadline (request head, idle, lingering close), which
     * the deadline verbs below move them between. Each lives as long as the loop.
     */
    // tag::deadlines[]
    private final TimeoutQueue header;

    private final TimeoutQueue idle;
    private final TimeoutQueue linger = new TimeoutQueue(Limits.LINGER_TIMEOUT.toNanos());
    // end::deadlines[]
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
    /** Set once, on this loop's thread, before it empties its handoff queue for the last time: see {@link #handOff}. */
    private volatile boolean ended;

    /**
     * Open client connections (the selector's keys also count the listener, and cancelled keys
     * linger). Up in a Connection's constructor, down in its close(); a drain ends at 0.
     */
    private int connections;
    /** Connections this loop has served, in all: how the tests see that connections spread over the loops. */
    private long opened;
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
     * descriptor for the same kind of reason.) Taken by the constructor, released when {@link #run}
     * ends; null while spent.
     */
    private FileChannel reserve;

    /**
     * Opens the selector, registers the listener (null: connections come by {@link #handOff}) and
     * takes the reserve; {@link #start} starts the thread. With {@code handoffTargets}, this loop is
     * the acceptor: it accepts for those loops and serves nothing (so it holds no reserve).
     */
    Loop(String name, Config config, StaticFiles files, ServerSocketChannel listener, Loop[] handoffTargets)
            throws IOException {
        // tag::selector[]
        // Epoll is the JDK's default on Linux (sun.nio.ch.EPollSelectorProvider). Another provider,
        // chosen with -Djava.nio.channels.spi.SelectorProvider, is taken and named in the start-up
        // line (stage 02's chapter measures epoll alone that way; every loop here uses the same one).
        SelectorProvider provider = SelectorProvider.provider();
        this.selector = provider.openSelector();
        // end::selector[]
        this.name = name;
        this.files = files;
        this.fileCache = new FileCache(
                files,
                Limits.FILE_CACHE_ENTRIES,
                FileCache.channelBudget(config.loops()),
                Limits.FILE_CACHE_WINDOW,
                Limits.FILE_CACHE_REAP_PERIOD,
                null);
        this.header = new TimeoutQueue(config.requestHeaderTimeout().toNanos());
        this.idle = new TimeoutQueue(config.idleTimeout().toNanos());
        this.listener = listener;
        this.handoffTargets = handoffTargets;
        try {
            this.listenerKey = listener == null ? null : listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e; // Server closes the listener it gave
        }
        if (handoffTargets == null) {
            restoreReserve();
        }
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    /**
     * A bound, non-blocking listening socket on {@code port} of the configured host, from the
     * selector provider the loops use (a channel registers only with a selector of its own provider).
     */
    // tag::reuseport[]
    static ServerSocketChannel listen(Config config, int port, boolean reusePort) throws IOException {
        ServerSocketChannel listener = SelectorProvider.provider().openServerSocketChannel();
        try {
            if (reusePort) {
                // SO_REUSEPORT (Linux 3.9), set before bind: every socket with it, of the same user, may
                // bind the same address and port, and each gets an accept queue of its own. The kernel
                // spreads new connections over the queues by a hash of the addresses and ports, so one
                // loop's accept never races another's: no loop is woken for a connection it will not
                // get (compare SHARED), and no thread stands between the kernel and the loop (compare
                // HANDOFF). N processes can share a port the same way: that is prefork. The price: a
                // port held by another SO_REUSEPORT socket of the same user (another stage left running) is
                // joined, not refused as "in use"; a socket without the option still makes bind fail.
                listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            listener.bind(new InetSocketAddress(config.host(), port), Limits.LISTEN_BACKLOG);
            listener.configureBlocking(false);
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }
    // end::reuseport[]

    void start() {
        thread.start();
    }

    int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    /** Connections this loop has served in all. Written by the loop's thread: read it once the loop has stopped. */
    long connectionsOpened() {
        return opened;
    }

    String selectorName() {
        return selector.provider().getClass().getName();
    }

    StaticFiles files() {
        return files;
    }

    FileCache fileCache() {
        return fileCache;
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
        opened++;
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

    /**
     * Out of descriptors (EMFILE, ENFILE), socket buffers (ENOBUFS) or memory (ENOMEM): the JDK gives us strerror's
     * text only.
     */
    static boolean isOutOfResources(IOException e) {
        String m = e.getMessage();
        return m != null
                && (m.contains("Too many open files")
                        || m.contains("No buffer space available")
                        || m.contains("Cannot allocate memory"));
    }

    /** Accepted, or a response is out: the client has the idle timeout to begin its next request. */
    void awaitRequest(Connection c) {
        idle.add(c, System.nanoTime());
    }

    /** A request's first byte has come: its whole head must follow within the header timeout (no Slowloris). */
    void awaitHead(Connection c) {
        header.add(c, System.nanoTime());
    }

    /**
     * Waiting on the client mid-exchange (body bytes to drop, room to write): each step restarts the idle timeout,
     * Warp's tickle.
     */
    void awaitProgress(Connection c) {
        idle.add(c, System.nanoTime());
    }

    /** Our FIN is out: what the client still sends is dropped until the lingering close times out. */
    void linger(Connection c) {
        linger.add(c, System.nanoTime());
    }

    /** The connection is closed: it must never time out. */
    void cancelDeadline(Connection c) {
        if (c.queue != null) {
            c.queue.remove(c);
        }
    }

    // tag::loop[]
    private void run() {
        boolean drainStarted = false;
        try {
            while (true) {
                long now = System.nanoTime();
                if (closing || (draining && ((connections == 0 && handoffs.isEmpty()) || now > drainDeadline))) {
                    break;
                }
                if (draining && !drainStarted) {
                    drainStarted = true;
                    closeIdleConnections(); // once, at the start of a shutdown: not per wake-up
                }
                // Sleep until the nearest deadline, not a fixed tick: an idle server does not wake.
                selector.select(millisToNearestDeadline(now));
                takeHandoffs();
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
                            unexpected(e);
                        }
                    }
                }
                expireDeadlines();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                System.err.println(name + ": event loop failed: " + e);
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
        fileCache.reap(now); // Warp's reaper, on this loop's own timer: a no-op until its period is up
        for (TimeoutQueue q : new TimeoutQueue[] {header, idle, linger}) {
            Connection c;
            while ((c = q.first()) != null && now - c.deadline > 0) {
                q.remove(c);
                try {
                    c.onTimeout();
                } catch (IOException | RuntimeException | Error e) {
                    c.close();
                    if (!(e instanceof IOException)) {
                        unexpected(e);
                    }
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
        nearest = Math.min(
                nearest, fileCache.nanosToReap(now)); // an empty cache sets no timer: an idle server still sleeps
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
                // The queue is empty. In accept mode SHARED this is the thundering herd: the listener is
                // in every loop's epoll set, so each new connection woke every loop, one of them took it
                // and the others' accept(2) failed here with EAGAIN: N-1 wake-ups and N-1 system calls
                // for nothing, and the CPU they cost is taken from the loops that have work. Kept as a
                // design to measure (the chapter counts the failed accepts); REUSEPORT avoids it.
                backlogEmptied();
                return;
            }
            try {
                ch.configureBlocking(false);
                // The head and the body go out in two writes; without TCP_NODELAY the second waits for
                // the ACK of the first (Nagle + delayed ACK, ~40 ms). Stage 05 sends them in one write.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (handoffTargets == null) {
                    adopt(ch);
                } else {
                    // The acceptor serves nothing: round-robin, each loop gets every Nth connection.
                    handoffTargets[nextTarget].handOff(ch);
                    nextTarget = (nextTarget + 1) % handoffTargets.length;
                }
            } catch (IOException | RuntimeException | Error e) {
                closeQuietly(ch); // the client reset in between, or an Error: that connection is lost, nothing else
                if (!(e instanceof IOException)) {
                    unexpected(e);
                }
            }
        }
    }

    /** A new connection becomes this loop's: registered with its selector, counted, given a deadline. */
    private void adopt(SocketChannel ch) throws IOException {
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        Connection c = new Connection(ch, key, this);
        key.attach(c);
        if (draining) {
            c.closeIdle(); // came in as the stop began: a graceful stop takes no new connections
        }
    }

    /**
     * A failed accept(2) leaves the connection in the backlog and the listener readable: trying
     * again at the next wake-up fails again at once, and the loop spins at 100% CPU. So the
     * listener leaves the selector's interest set for {@link Limits#ACCEPT_BACKOFF}, and the
     * deadline check puts it back; one line is logged when the failures begin, one when the
     * backlog has been emptied again (not at the first accept that works: the file cache's reaper
     * gives descriptors back one at a time, and each would end an episode and start the next, in
     * two lines). Out of descriptors (EMFILE, ENFILE) is the usual cause, out of socket
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
            System.err.println(name + ": accept failed (" + e.getMessage() + "), retrying every "
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

    /** The backlog is empty: if accepts had been failing, that episode is over. */
    private void backlogEmptied() {
        if (acceptFailures > 0) {
            System.err.println(name + ": accepting again after " + acceptFailures + " failed attempts in "
                    + (System.nanoTime() - acceptFailingSince) / 1_000_000 + " ms");
            acceptFailures = 0;
        }
    }
    // end::accept[]

    /**
     * From the acceptor's thread (accept mode HANDOFF): queue a connection for this loop and wake
     * it. The price of this design is here: every connection costs a second thread a wake-up of this
     * one, an eventfd write on the acceptor's side and a return from epoll_wait on this side, and
     * the socket crosses from one core's cache to another's. (The JDK coalesces wake-ups that come
     * before the loop has woken, so a burst costs one.)
     */
    // tag::handoff[]
    void handOff(SocketChannel ch) {
        handoffs.add(ch);
        if (ended) {
            // This loop has closed everything (or is doing so) and will not look at its queue again:
            // whatever is in it now, this socket included, is closed here, not leaked.
            SocketChannel left;
            while ((left = handoffs.poll()) != null) {
                closeQuietly(left);
            }
            return;
        }
        selector.wakeup();
    }

    /** On this loop's thread, after each wake-up: the connections the acceptor handed over become ours. */
    private void takeHandoffs() {
        SocketChannel ch;
        while ((ch = handoffs.poll()) != null) {
            try {
                adopt(ch);
            } catch (IOException | RuntimeException | Error e) {
                closeQuietly(ch);
                if (!(e instanceof IOException)) {
                    unexpected(e);
                }
            }
        }
    }
    // end::handoff[]

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
            // The descriptor itself is released at the next select of every selector it is registered
            // with (in accept mode SHARED, every loop's), which the wakeups bring.
            if (listener != null) {
                listener.close();
            }
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
        if (thread.getState() == Thread.State.NEW) {
            closeEverything(); // never started (a later loop failed to bind): nothing runs to close it
            stopped.countDown();
            return;
        }
        selector.wakeup();
        try {
            if (Thread.currentThread() != thread && thread.isAlive()) {
                stopped.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kinds of unexpected error already reported: each is logged once, so that a client that can cause one cannot flood
     * the log.
     */
    private static final java.util.Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Reports an error that closed one connection, the first time its kind occurs. */
    static void unexpected(Throwable e) {
        if (REPORTED.size() < 64 && REPORTED.add(e.getClass().getName())) {
            System.err.println("stage04: closing a connection after an unexpected error (logged once per kind): " + e);
        }
    }

    private void closeEverything() {
        ended = true;
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection c) {
                    c.close();
                }
            }
            SocketChannel ch;
            while ((ch = handoffs.poll()) != null) {
                closeQuietly(ch); // handed over, never served
            }
            fileCache.close(); // after the connections: no response sends from its descriptors any more
            if (listener != null) {
                listener.close();
            }
            selector.close();
            releaseReserve();
        } catch (IOException | ClosedSelectorException e) {
            // closing anyway
        }
    }
}
