package dev.warpjourney.stage06;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One event loop and everything it owns: its thread, its epoll set, the listening socket it
 * accepts from, and its connections with their deadlines. Its state is its thread's alone: other
 * threads only read its port, hand it connections ({@link #handOff}) and ask it to stop
 * ({@link #drain}, {@link #close}).
 *
 * <p>N of these, one per core, each stage 02's loop whole: its own thread, epoll
 * set, deadline queues, read buffer, reserve descriptor and connection count. A connection
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
 * listener in its own epoll set; with HANDOFF a {@link HandoffAcceptor}, a thread that serves
 * nothing, owns the listener and hands each connection to the next loop ({@link #handOff}).
 *
 * <p>Stage 06: the loop calls Linux itself ({@link NativeIo}) where stage 05's called a Selector. Its sockets are
 * descriptors, ints; what the selector's keys held (the attachment, the interest set) the loop holds in
 * {@link #owners}, an array indexed by descriptor, and in each {@link Connection}.
 */
final class Loop {

    /** This loop's epoll set, wake-up eventfd and native memory. Made by the constructor, closed when {@link #run} ends. */
    private final NativeIo io;
    // tag::native-owners[]
    /**
     * Who owns each descriptor in the epoll set, by its number: its {@link Connection}, or the {@link Acceptor};
     * null for a number that is not this loop's. What a SelectionKey's attachment was: epoll hands back the number
     * the loop registered (see {@link Linux#epollCtl}), and this array gives back the owner without a map or a box.
     * Descriptors are small numbers, the lowest free one first (POSIX), so it grows to the highest number the process
     * has had open at once, and no further.
     */
    private Object[] owners = new Object[1024];
    // end::native-owners[]
    /** This loop's name, and its thread's: stage06-loop-0, stage06-loop-1, ... */
    private final String name;
    /** Accepts for this loop; null on a loop that only gets connections handed over (accept mode HANDOFF). */
    private final Acceptor acceptor;
    /**
     * Shared, mutable: the one queue between two threads. The acceptor adds the descriptors it accepted
     * for this loop and wakes it (its eventfd); this loop registers them at its next wake-up. (epoll_ctl
     * could be called from another thread, but a Connection, its deadlines and the count are this loop's
     * alone, so they are created here.) Lock-free, and empty unless the accept mode is HANDOFF.
     */
    private final ConcurrentLinkedQueue<Integer> handoffs = new ConcurrentLinkedQueue<>();
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
     * connection. Native memory (the loop's {@link NativeIo}), so the kernel reads it where it is.
     */
    private final ByteBuffer writeBuffer;
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

    /** Open client connections. Up in a Connection's constructor, down in its close(); a drain ends at 0. */
    private int connections;
    /** Connections this loop has served, in all: how the tests see that connections spread over the loops. */
    private long opened;
    /** Taken by the constructor, released when {@link #run} ends; spent and taken again as files open and close. */
    private final ReserveDescriptor reserve;

    /**
     * Makes the epoll set, registers the listener (null: connections come by {@link #handOff}) and
     * takes the reserve; {@link #start} starts the thread.
     */
    Loop(String name, Config config, StaticFiles files, Listener listener) throws IOException {
        this.io = new NativeIo(config.jdkCosts());
        this.writeBuffer = io.writeBuffer;
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
                Limits.BODY_CACHE_BYTES / config.loops(),
                io.linux); // the loop's descriptors are opened natively: sendfile needs their numbers
        this.deadlines = new Deadlines(config);
        try {
            this.acceptor = listener == null ? null : new Acceptor(name, listener, io, this::adopt);
            if (acceptor != null) {
                own(listener.fd, acceptor);
            }
        } catch (IOException | RuntimeException e) {
            io.close();
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
        return "native-epoll"; // no SelectorProvider: the loop calls epoll itself
    }

    /** The loop's side of the kernel, for its connections' calls. */
    Io io() {
        return io;
    }

    /** Records who owns descriptor {@code fd} (null: nobody any more), growing the table when the number is new. */
    private void own(int fd, Object owner) {
        if (fd >= owners.length) {
            owners = Arrays.copyOf(owners, Math.max(fd + 1, owners.length * 2));
        }
        owners[fd] = owner;
    }

    /** A connection's socket is closed: its number may come back, as another connection's. */
    void disown(int fd) {
        owners[fd] = null;
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
                    if (acceptor != null) {
                        acceptor.close(); // on this thread, which alone calls accept4 on it (see Acceptor.close)
                    }
                    closeIdleConnections(); // once, at the start of a shutdown: not per wake-up
                }
                // Sleep until the nearest deadline, not a fixed tick: an idle server does not wake.
                int ready = io.await(millisToNearestDeadline(now));
                MemorySegment events = io.events;
                for (int i = 0; i < ready; i++) {
                    int fd = Linux.readyFd(events, i);
                    int ev = Linux.readyEvents(events, i);
                    Object owner = fd < owners.length ? owners[fd] : null;
                    if (owner instanceof Connection c) {
                        serve(c, ev);
                    } else if (owner instanceof Acceptor a) {
                        a.accept();
                    } else if (fd == io.wakeup) {
                        io.woken();
                        takeHandoffs();
                    }
                    // else: closed earlier in this same batch of events
                }
                expireDeadlines();
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!closing) {
                System.err.println(name + ": event loop failed: " + e);
            }
        } finally {
            closeEverything();
            stopped.countDown();
        }
    }

    /**
     * One connection's events. An error or a hang-up wakes whichever side it waits on, as the selector's ready set
     * did: the read or the write then fails, and says why.
     */
    private void serve(Connection c, int ev) {
        try {
            if ((ev & (Linux.EPOLLIN | Linux.EPOLLHUP | Linux.EPOLLERR)) != 0 && c.waitsToRead()) {
                c.onReadable();
            }
            if ((ev & (Linux.EPOLLOUT | Linux.EPOLLHUP | Linux.EPOLLERR)) != 0 && c.waitsToWrite()) {
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

    /** What is due at this wake-up: connections past their deadline, a paused accept, the cache's reaper. */
    private void expireDeadlines() {
        long now = System.nanoTime();
        if (acceptor != null) {
            acceptor.resumeIfDue(now);
        }
        FileCache.log(name, fileCache.reap(now)); // Warp's reaper, on this loop's own timer: a no-op until due
        deadlines.expire(now);
    }

    private int millisToNearestDeadline(long now) {
        long nearest = deadlines.nanosToNearest(now);
        if (draining) {
            nearest = Math.min(nearest, drainDeadline - now);
        }
        if (acceptor != null) {
            nearest = Math.min(nearest, acceptor.nanosToResume(now));
        }
        nearest = Math.min(
                nearest, fileCache.nanosToReap(now)); // an empty cache sets no timer: an idle server still sleeps
        // -1 is "for ever" to epoll_wait; a due deadline waits 0 ms, a later one at least the millisecond it is in.
        return nearest == Long.MAX_VALUE ? -1 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, nearest / 1_000_000 + 1));
    }
    // end::loop[]

    private void closeIdleConnections() {
        for (Object owner : owners.clone()) {
            if (owner instanceof Connection c && c.isIdle()) {
                c.closeIdle(); // shutting down: an idle keep-alive connection has nothing in flight
            }
        }
    }

    /** A new connection becomes this loop's: in its epoll set, counted, given a deadline. */
    private void adopt(int fd) throws IOException {
        io.register(fd, Linux.EPOLLIN);
        Connection c = new Connection(fd, io, this);
        own(fd, c);
        if (draining) {
            c.closeIdle(); // came in as the stop began: a graceful stop takes no new connections
        }
    }

    /**
     * From the acceptor's thread (accept mode HANDOFF): queue a connection for this loop and wake
     * it. The price of this design is here: every connection costs a second thread a wake-up of this
     * one, an eventfd write on the acceptor's side and a return from epoll_wait on this side, and
     * the socket crosses from one core's cache to another's. ({@code linux} is the caller's: its
     * scratch memory is its thread's.)
     */
    // tag::handoff[]
    void handOff(int fd, Linux linux) {
        handoffs.add(fd);
        if (ended) {
            // This loop has closed everything (or is doing so) and will not look at its queue again:
            // whatever is in it now, this socket included, is closed here, not leaked.
            Integer left;
            while ((left = handoffs.poll()) != null) {
                linux.close(left);
            }
            return;
        }
        io.wake();
    }

    /** On this loop's thread, after each wake-up: the connections the acceptor handed over become ours. */
    private void takeHandoffs() {
        Integer fd;
        while ((fd = handoffs.poll()) != null) {
            try {
                adopt(fd);
            } catch (IOException | RuntimeException | Error e) {
                io.close(fd);
                if (!(e instanceof IOException)) {
                    Failures.unexpected(e);
                }
            }
        }
    }
    // end::handoff[]

    /**
     * Graceful stop, from any thread: no new connections, idle ones closed, responses in flight
     * finished (each now ends with Connection: close), the rest closed at {@code deadline}
     * (System.nanoTime()). Returns at once; {@link #awaitStopped} waits.
     */
    void drain(long deadline) {
        drainDeadline = deadline;
        draining = true;
        if (acceptor != null) {
            acceptor.stop(); // stop accepting at once (see Acceptor.stop)
        }
        io.wake();
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
        io.wake();
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
        for (Object owner : owners.clone()) {
            if (owner instanceof Connection c) {
                c.close();
            }
        }
        Integer fd;
        while ((fd = handoffs.poll()) != null) {
            io.close(fd); // handed over, never served
        }
        fileCache.close(); // after the connections: no response sends from its descriptors any more
        if (acceptor != null) {
            acceptor.close();
        }
        io.close();
        reserve.release();
    }
}
