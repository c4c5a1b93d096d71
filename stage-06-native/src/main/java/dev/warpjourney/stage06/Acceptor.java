package dev.warpjourney.stage06;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The accepting side of an event loop: a listening socket in one thread's selector, accepted from until its backlog
 * is empty at each wake-up, and set aside for {@link Limits#ACCEPT_BACKOFF} when accept(2) fails rather than tried
 * again at once. What becomes of a new connection is its owner's {@link Target}: a serving {@link Loop} adopts it;
 * in accept mode HANDOFF the {@link HandoffAcceptor} passes it to the next loop.
 *
 * <p>Used by its owner's thread alone, but for {@link #close}, which a stop calls from any thread.
 */
final class Acceptor {
    /** What the owner does with each accepted connection (already non-blocking, with TCP_NODELAY). */
    interface Target {
        void take(SocketChannel ch) throws IOException;
    }

    /** The owner's name, for the log lines of a failing accept. */
    private final String name;
    /**
     * The listening socket: closed by {@link #close} (a graceful stop takes no new connections), or when its owner
     * ends. In accept mode SHARED every loop has an Acceptor of its own on the same listener, each with a key in its
     * own selector: a graceful stop closes it from every loop, which is safe. (A loop whose selector fails ends and
     * closes it too, so the others stop taking connections; stage 02's one loop ended the server in that case as well.)
     */
    private final ServerSocketChannel listener;
    /** The listener's key in the owner's selector; the back-off takes OP_ACCEPT out of its interest set and back. */
    private final SelectionKey key;

    private final Target target;
    /** Accepting is paused after a failed accept(2) until {@link #resumeAt} (System.nanoTime()). */
    private boolean paused;

    private long resumeAt;
    /** The current run of failed accepts: when it began (System.nanoTime()) and how many; 0 when none. */
    private long failingSince;

    private int failures;

    /** Registers {@code listener} with {@code selector}, the key's attachment being this acceptor. */
    Acceptor(String name, ServerSocketChannel listener, Selector selector, Target target)
            throws ClosedChannelException {
        this.name = name;
        this.listener = listener;
        this.target = target;
        this.key = listener.register(selector, SelectionKey.OP_ACCEPT, this);
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

    int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    // tag::accept[]
    void accept() {
        while (true) {
            SocketChannel ch;
            try {
                // Drain the backlog: after a burst of connects one wake-up accepts them all.
                ch = listener.accept();
            } catch (IOException e) {
                failed(e);
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
                // A file's body can follow its head in a second write (sendfile); without TCP_NODELAY that write
                // would wait for the ACK of the first (Nagle + delayed ACK, ~40 ms).
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                target.take(ch);
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
     * deadline check puts it back; one line is logged when the failures begin, one when the
     * backlog has been emptied again (not at the first accept that works: the file cache's reaper
     * gives descriptors back one at a time, and each would end an episode and start the next, in
     * two lines). Out of descriptors (EMFILE, ENFILE) is the usual cause, out of socket
     * buffers or memory the others. An accept that fails for one connection's sake costs a pause
     * too, never a refusal: the JDK already retries ECONNABORTED (a client that reset while queued),
     * and the clients in the backlog simply wait.
     */
    private void failed(IOException e) {
        if (!listener.isOpen()) {
            return; // closed on purpose: a stop stops accepting that way
        }
        long now = System.nanoTime();
        if (failures++ == 0) {
            failingSince = now;
            System.err.println(name + ": accept failed (" + e.getMessage() + "), retrying every "
                    + Limits.ACCEPT_BACKOFF.toMillis() + " ms until it works");
        }
        paused = true;
        resumeAt = now + Limits.ACCEPT_BACKOFF.toNanos();
        setInterest(0);
    }

    /** The backlog is empty: if accepts had been failing, that episode is over. */
    private void backlogEmptied() {
        if (failures > 0) {
            System.err.println(name + ": accepting again after " + failures + " failed attempts in "
                    + (System.nanoTime() - failingSince) / 1_000_000 + " ms");
            failures = 0;
        }
    }
    // end::accept[]

    /** Nanoseconds until a paused accept is tried again; Long.MAX_VALUE when none is paused. */
    long nanosToResume(long now) {
        return paused ? resumeAt - now : Long.MAX_VALUE;
    }

    /** Called at each wake-up: a pause that is over puts the listener back in the interest set. */
    void resumeIfDue(long now) {
        if (paused && now - resumeAt >= 0) {
            paused = false;
            setInterest(SelectionKey.OP_ACCEPT);
        }
    }

    private void setInterest(int ops) {
        try {
            key.interestOps(ops);
        } catch (CancelledKeyException e) {
            // the listener is closed: nothing to pause or resume
        }
    }

    /**
     * From any thread: no new connections. Closing is safe while another thread selects, the key is simply
     * cancelled; the descriptor itself is released at the next select of every selector it is registered with (in
     * accept mode SHARED, every loop's), which the stop's wake-ups bring.
     */
    void close() {
        closeQuietly(listener);
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
