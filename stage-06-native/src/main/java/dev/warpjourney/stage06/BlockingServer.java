package dev.warpjourney.stage06;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Model VTHREADS: no event loop in our code at all. An acceptor takes each connection from the
 * listener and starts a virtual thread for it, which runs plain blocking code
 * ({@link BlockingConnection}): read a request, answer it, loop. Where a read or a write cannot go
 * on, the JDK parks the virtual thread, registers its socket with one of its own pollers and gives
 * the carrier thread to another virtual thread; the poller unparks it when the socket is ready.
 * This is Warp's own design, a lightweight thread per connection over the runtime's IO manager.
 *
 * <p>The JDK's pollers ({@code sun.nio.ch.Poller}) are that IO manager, the counterpart of GHC's.
 * Each is an epoll instance with one-shot registrations (as in GHC's parallel IO manager, Mio): a
 * parked thread's descriptor is polled at most once, then unregistered. A descriptor goes to the
 * read poller {@code fd % jdk.readPollers} (a power of two). {@code jdk.pollerMode} says who runs
 * them: 1 (SYSTEM_THREADS), one platform thread per poller, blocked in epoll_wait; 2
 * (VTHREAD_POLLERS, the Linux default since JDK 22), the pollers are themselves virtual threads on
 * the same carriers as the connections, polling without blocking and yielding between polls, and
 * one platform "MasterPoller" thread waits on their epoll descriptors while they have nothing to do.
 * By default there are min(highestOneBit(CPUs), 32) read pollers in mode 2 (a quarter as many in
 * mode 1), one write poller, and one carrier thread per CPU
 * ({@code jdk.virtualThreadScheduler.parallelism}). So {@code --loops} sizes nothing here: the
 * JVM's flags do (the journey passes both; {@code jcmd PID Thread.vthread_pollers} lists them).
 *
 * <p>Shared between threads, each named where it is declared: the set of open connections, the
 * reserve descriptor, the stop flags, the timeout manager's list, and the file cache. The file
 * cache is the one lock of ours on the request path (a connection's start and end touch the
 * concurrent set); the JDK's scheduler and pollers are shared by design.
 */
final class BlockingServer {

    private final Config config;
    /** The document root's files: read-only, shared by every connection. */
    private final StaticFiles files;
    /**
     * Shared, mutable: what the server remembers of the document root (see {@link FileCache}). This
     * model has no loop to own a cache, and a virtual thread may run on any carrier, so there is one
     * cache for every connection, behind one lock: each lookup, each descriptor taken and given back
     * takes it, and a miss holds it while it looks the file up (a few microseconds of system calls).
     * The alternatives: a cache per carrier cannot be had (a virtual thread moves between carriers
     * between two reads), and none at all costs what stage 03 costs. With 2 cores the lock is rarely
     * contended; at many cores a concurrent map with atomic counts is what would replace it.
     */
    private final FileCache fileCache;

    private final DateCache dates;
    /**
     * Warp's reaper, a thread of its own in this model (no loop has a timer): runs {@link FileCache#reap} each period.
     */
    private final Thread reaper;
    /** A blocking listener: the acceptor's accept() parks it on a poller until a client connects. */
    private final ServerSocketChannel listener;
    /** Accepts, and starts a virtual thread per connection; ends when the listener closes. */
    private final Thread acceptor;
    /**
     * Bounds writes to clients that stopped reading. Its period is the idle timeout, so a stalled
     * write is cut between one and two idle timeouts after its last progress (model LOOPS: exactly
     * one), the granularity of Warp's manager too; a closed connection's handle goes at the next sweep.
     */
    private final TimeoutManager writeTimeouts;
    /**
     * Shared, mutable: every open connection, added by the acceptor and removed by the connection's
     * own thread, so that a stop can find the idle ones and a drain knows when it is over.
     */
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    /**
     * Bytes the connections' buffers have grown by, all together (model LOOPS counts per loop:
     * Limits.KEPT_BYTES_BUDGET).
     */
    private final java.util.concurrent.atomic.AtomicLong grownBytes = new java.util.concurrent.atomic.AtomicLong();
    /** The server's one reserve descriptor, for every connection (see {@link ReserveDescriptor}). */
    private final ReserveDescriptor reserve;
    /** Set once, by {@link #drain} or {@link #close}: connections end instead of waiting for another request. */
    private volatile boolean draining;
    /** Set once the acceptor has ended: from then on no connection is added, and an empty set means stopped. */
    private volatile boolean acceptorDone;
    /** Counted down when the acceptor has ended and no connection is left: what a stop waits for. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The current run of failed accepts (the acceptor's alone): when it began and how many; 0 when none. */
    private long acceptFailingSince;

    private int acceptFailures;

    BlockingServer(Config config, StaticFiles files) throws IOException {
        this.config = config;
        this.files = files;
        this.dates = new DateCache(config.dates());
        this.fileCache = new FileCache(
                files,
                Limits.FILE_CACHE_ENTRIES,
                FileCache.channelBudget(1),
                Limits.FILE_CACHE_WINDOW,
                Limits.FILE_CACHE_REAP_PERIOD,
                Guard.locked(),
                config.bodies(),
                Limits.BODY_CACHE_BYTES);
        this.reaper = Thread.ofVirtual().name("stage06-file-reaper").unstarted(this::reapLoop);
        this.listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(config.host(), config.port()), Limits.LISTEN_BACKLOG);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        this.reserve = new ReserveDescriptor();
        this.writeTimeouts = new TimeoutManager("stage06-timeouts", config.idleTimeout());
        this.acceptor = Thread.ofVirtual().name("stage06-acceptor").unstarted(this::acceptLoop);
    }

    void start() {
        writeTimeouts.start();
        reaper.start();
        acceptor.start();
    }

    /**
     * Sleeps until the next pass is due (a period when the cache is empty), reaps, until {@link #close} interrupts it.
     */
    private void reapLoop() {
        long period = Limits.FILE_CACHE_REAP_PERIOD.toNanos();
        try {
            while (true) {
                long due = fileCache.nanosToReap(System.nanoTime());
                Thread.sleep(Duration.ofNanos(Math.clamp(due, 1_000_000L, period)));
                FileCache.log(Thread.currentThread().getName(), fileCache.reap(System.nanoTime()));
            }
        } catch (InterruptedException e) {
            // the server is closing
        }
    }

    int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    /** For the start-up line: the acceptor, and how the JDK will park the connections. */
    String describe() {
        String parallelism = System.getProperty(
                "jdk.virtualThreadScheduler.parallelism",
                String.valueOf(Runtime.getRuntime().availableProcessors()));
        String pollers = System.getProperty("jdk.readPollers", "default");
        String mode = System.getProperty("jdk.pollerMode", "default");
        return "one acceptor thread, selector: none (virtual threads on " + parallelism
                + " carriers park on the JDK's pollers: jdk.readPollers " + pollers + ", jdk.pollerMode " + mode + ")";
    }

    Config config() {
        return config;
    }

    StaticFiles files() {
        return files;
    }

    /** The Date header's bytes, shared by every connection (see {@link DateCache}). */
    DateCache dates() {
        return dates;
    }

    FileCache fileCache() {
        return fileCache;
    }

    TimeoutManager writeTimeouts() {
        return writeTimeouts;
    }

    boolean isDraining() {
        return draining;
    }

    // tag::acceptor[]
    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel ch;
                try {
                    ch = listener.accept(); // parks this virtual thread on a read poller until a client connects
                } catch (ClosedChannelException e) {
                    return; // drain() or close() closed the listener
                } catch (IOException e) {
                    if (!listener.isOpen()) {
                        return;
                    }
                    // Out of descriptors, buffers or memory: the client waits in the backlog. In this
                    // model the back-off is simply a sleeping acceptor (a loop must instead take its
                    // listener out of the selector and set itself a deadline, see Loop.acceptFailed).
                    acceptFailed(e);
                    Thread.sleep(Limits.ACCEPT_BACKOFF);
                    continue;
                }
                acceptSucceeded();
                BlockingConnection c;
                try {
                    // A file's body can follow its head in a second write (sendfile): Nagle would delay it.
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c = new BlockingConnection(ch, this);
                } catch (IOException e) {
                    closeQuietly(ch); // the client reset in between: that connection is lost, nothing else
                    continue;
                }
                connections.add(c); // before it runs: a stop that follows will find it
                Thread.startVirtualThread(c);
            }
        } catch (InterruptedException e) {
            // close(): stop accepting
        } finally {
            acceptorDone = true;
            if (draining) {
                // The acceptor adds no connection from here on: the idle ones can be closed now.
                for (BlockingConnection c : connections) {
                    c.closeIfIdle();
                }
            }
            if (connections.isEmpty()) {
                stopped.countDown();
            }
        }
    }
    // end::acceptor[]

    /** Logs once per run of failures (see Loop.acceptFailed: the same policy). */
    private void acceptFailed(IOException e) {
        if (acceptFailures++ == 0) {
            acceptFailingSince = System.nanoTime();
            System.err.println("stage06-acceptor: accept failed (" + e.getMessage() + "), retrying every "
                    + Limits.ACCEPT_BACKOFF.toMillis() + " ms until it works");
        }
    }

    private void acceptSucceeded() {
        if (acceptFailures > 0) {
            System.err.println("stage06-acceptor: accepting again after " + acceptFailures + " failed attempts in "
                    + (System.nanoTime() - acceptFailingSince) / 1_000_000 + " ms");
            acceptFailures = 0;
        }
    }

    /** Whether a connection's buffer may grow by {@code bytes}; if so, they are counted until {@link #shrunk}. */
    boolean mayGrow(int bytes) {
        if (grownBytes.addAndGet(bytes) <= Limits.KEPT_BYTES_BUDGET) {
            return true;
        }
        grownBytes.addAndGet(-bytes);
        return false;
    }

    /** A connection that grew its buffer by {@code bytes} has closed. */
    void shrunk(int bytes) {
        grownBytes.addAndGet(-bytes);
    }

    void connectionClosed(BlockingConnection c) {
        connections.remove(c);
        reserve.restore();
        if (acceptorDone && connections.isEmpty()) {
            stopped.countDown();
        }
    }

    /** The descriptor this server holds back for a file that would not open otherwise. */
    ReserveDescriptor reserve() {
        return reserve;
    }

    /**
     * Graceful stop, from any thread: no new connections, idle ones closed, responses in flight
     * finished (each now ends with Connection: close). Returns at once; {@link #awaitStopped} waits,
     * and {@link #close} cuts what is left.
     */
    void drain() {
        draining = true;
        closeQuietly(listener); // the acceptor's accept() fails, and it closes the idle connections on its way out
    }

    /** Waits for the acceptor and every connection to end; false if they have not within {@code millis}. */
    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Immediate stop, from any thread: every connection is closed. Waits for them (at most 5 s). */
    void close() {
        draining = true;
        closeQuietly(listener);
        if (acceptor.getState() == Thread.State.NEW) {
            stopped.countDown(); // never started: no connection either
        }
        acceptor.interrupt(); // in case it sleeps in an accept back-off
        for (BlockingConnection c : connections) {
            c.abort(); // a parked read or write fails at once, and the connection's thread ends
        }
        writeTimeouts.stop();
        reaper.interrupt();
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fileCache.close(); // after the connections: no response sends from its descriptors any more
        reserve.release();
    }

    private static void closeQuietly(Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
