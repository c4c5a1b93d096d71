package dev.warpjourney.stage06;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
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
 * <p>Who accepts ({@link Config.Accept}): with REUSEPORT each loop's {@link Acceptor} owns a
 * listener of its own on the common port; with SHARED every loop's Acceptor registers the one
 * listener in its own selector; with HANDOFF a {@link HandoffAcceptor}, a thread that serves
 * nothing, owns the listener and hands each connection to the next loop ({@link #handOff}).
 */
final class Loop {

    /** Every socket of this loop. Opened by the constructor, closed when {@link #run} ends. */
    private final Selector selector;
    /** This loop's name, and its thread's: stage06-loop-0, stage06-loop-1, ... */
    private final String name;
    /** Accepts for this loop; null on a loop that only gets connections handed over (accept mode HANDOFF). */
    private final Acceptor acceptor;
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
    /** The connections' deadlines, by kind: see {@link Deadlines}. */
    private final Deadlines deadlines;
    /**
     * One read buffer for the whole loop: only the connection being served needs one, and borrows it for one wake-up.
     */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(Limits.READ_BUFFER_SIZE);
    // tag::composer-loop[]
    /**
     * The loop's response buffer, lent like the read buffer: a response head is composed into it
     * and written from it at once; only a head the socket did not take whole is copied out, to the
     * connection. Direct, so the kernel reads it where it is (the JDK copies a heap buffer into a
     * direct one of its own at every write).
     */
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(Limits.WRITE_BUFFER_SIZE);
    /** The request being handled: one object, refilled by the parser for each request this loop reads. */
    private final Request request = new Request();
    /** The Date header's bytes, remade once a second at most. */
    private final DateCache dates;
    // end::composer-loop[]
    /** A cached file's 200 head: pre-composed (the default), or composed for each response (to measure what that saves). */
    private final Config.Heads heads;

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
    /** Taken by the constructor, released when {@link #run} ends; spent and taken again as files open and close. */
    private final ReserveDescriptor reserve;

    /**
     * Opens the selector, registers the listener (null: connections come by {@link #handOff}) and
     * takes the reserve; {@link #start} starts the thread.
     */
    Loop(String name, Config config, StaticFiles files, ServerSocketChannel listener) throws IOException {
        // tag::selector[]
        // Epoll is the JDK's default on Linux (sun.nio.ch.EPollSelectorProvider). Another provider,
        // chosen with -Djava.nio.channels.spi.SelectorProvider, is taken and named in the start-up
        // line (stage 02's chapter measures epoll alone that way; every loop here uses the same one).
        SelectorProvider provider = SelectorProvider.provider();
        this.selector = provider.openSelector();
        // end::selector[]
        this.name = name;
        this.files = files;
        this.dates = new DateCache(config.dates());
        this.heads = config.heads();
        this.fileCache = new FileCache(
                files,
                Limits.FILE_CACHE_ENTRIES,
                FileCache.channelBudget(config.loops()),
                Limits.FILE_CACHE_WINDOW,
                Limits.FILE_CACHE_REAP_PERIOD,
                Guard.NONE,
                config.bodies(),
                Limits.BODY_CACHE_BYTES / config.loops());
        this.deadlines = new Deadlines(config);
        try {
            this.acceptor = listener == null ? null : new Acceptor(name, listener, selector, this::adopt);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e; // Server closes the listener it gave
        }
        this.reserve = new ReserveDescriptor();
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    int port() {
        return acceptor.port();
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

    Deadlines deadlines() {
        return deadlines;
    }

    FileCache fileCache() {
        return fileCache;
    }

    ByteBuffer writeBuffer() {
        return writeBuffer;
    }

    Request request() {
        return request;
    }

    DateCache dates() {
        return dates;
    }

    Config.Heads heads() {
        return heads;
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
                    if (key.attachment() instanceof Acceptor a) {
                        a.accept();
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
                System.err.println(name + ": event loop failed: " + e);
            }
        } finally {
            closeEverything();
            stopped.countDown();
        }
    }

    /** What is due at this wake-up: connections past their deadline, a paused accept, the cache's reaper. */
    private void expireDeadlines() {
        long now = System.nanoTime();
        if (acceptor != null) {
            acceptor.resumeIfDue(now);
        }
        FileCache.log(name, fileCache.reap(now)); // Warp's reaper, on this loop's own timer: a no-op until due
        deadlines.expire(now);
    }

    private long millisToNearestDeadline(long now) {
        long nearest = deadlines.nanosToNearest(now);
        if (draining) {
            nearest = Math.min(nearest, drainDeadline - now);
        }
        if (acceptor != null) {
            nearest = Math.min(nearest, acceptor.nanosToResume(now));
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
                    Failures.unexpected(e);
                }
            }
        }
    }
    // end::handoff[]

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
        if (acceptor != null) {
            acceptor.close(); // stop accepting at once (see Acceptor.close)
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
            if (acceptor != null) {
                acceptor.close();
            }
            selector.close();
            reserve.release();
        } catch (IOException | ClosedSelectorException e) {
            // closing anyway
        }
    }
}
