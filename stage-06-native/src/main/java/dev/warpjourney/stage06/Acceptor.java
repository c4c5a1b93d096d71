package dev.warpjourney.stage06;

import java.io.IOException;

/**
 * The accepting side of an event loop: a listening socket in one thread's epoll set, accepted from until its backlog
 * is empty at each wake-up, and set aside for {@link Limits#ACCEPT_BACKOFF} when accept(2) fails rather than tried
 * again at once. What becomes of a new connection is its owner's {@link Target}: a serving {@link Loop} adopts it;
 * in accept mode HANDOFF the {@link HandoffAcceptor} passes it to the next loop.
 *
 * <p>Used by its owner's thread alone, but for {@link #close}, which a stop calls from any thread.
 */
final class Acceptor {
    /** What the owner does with each accepted connection (a descriptor, already non-blocking, with TCP_NODELAY). */
    interface Target {
        void take(int fd) throws IOException;
    }

    /** The owner's name, for the log lines of a failing accept. */
    private final String name;
    /**
     * The listening socket: stopped by {@link #stop} (a graceful stop takes no new connections), let go by
     * {@link #close} when its owner ends. In accept mode SHARED every loop has an Acceptor of its own on the same
     * listener, in its own epoll set: the last to let go closes it (see {@link Listener}). (A loop that fails
     * ends and stops it too, so the others stop taking connections; stage 02's one loop ended the server in that
     * case as well.)
     */
    private final Listener listener;
    /** The owner's epoll set and calls; the back-off takes EPOLLIN out of the listener's events and back. */
    private final NativeIo io;
    /** Set by {@link #close}: the listener is no longer in the owner's epoll set. */
    private boolean closed;

    private final Target target;
    /** Accepting is paused after a failed accept(2) until {@link #resumeAt} (System.nanoTime()). */
    private boolean paused;

    private long resumeAt;
    /** The current run of failed accepts: when it began (System.nanoTime()) and how many; 0 when none. */
    private long failingSince;

    private int failures;

    /** Adds {@code listener} to {@code io}'s epoll set; the owner maps its descriptor to this acceptor. */
    Acceptor(String name, Listener listener, NativeIo io, Target target) throws IOException {
        this.name = name;
        this.listener = listener;
        this.io = io;
        this.target = target;
        io.register(listener.fd, Linux.EPOLLIN);
    }

    int port() {
        return listener.port;
    }

    // tag::accept[]
    void accept() {
        while (true) {
            // tag::native-accept[]
            // Drain the backlog: after a burst of connects one wake-up accepts them all. One call each:
            // accept4 makes the socket non-blocking and close-on-exec as it returns it, where the JDK
            // makes accept, then fcntl three times and getsockname twice (stage 05's close table).
            int fd = io.accept(listener.fd);
            // end::native-accept[]
            if (fd == -Linux.EINTR || fd == -Linux.ECONNABORTED) {
                continue; // a signal, or a client that reset while queued: the next one
            }
            if (fd < 0 && fd != -Linux.EAGAIN) {
                failed(Linux.exception("accept4", fd));
                return;
            }
            if (fd < 0) {
                // The queue is empty. In accept mode SHARED this is the thundering herd: the listener is
                // in every loop's epoll set, so each new connection woke every loop, one of them took it
                // and the others' accept(2) failed here with EAGAIN: N-1 wake-ups and N-1 system calls
                // for nothing, and the CPU they cost is taken from the loops that have work. Kept as a
                // design to measure (the chapter counts the failed accepts); REUSEPORT avoids it.
                backlogEmptied();
                return;
            }
            try {
                target.take(fd); // TCP_NODELAY came with it, from the listener (see Listener.open)
            } catch (IOException | RuntimeException | Error e) {
                io.linux.close(fd); // an Error: that connection is lost, nothing else
                if (!(e instanceof IOException)) {
                    Failures.unexpected(e);
                }
            }
        }
    }

    /**
     * A failed accept(2) leaves the connection in the backlog and the listener readable: trying
     * again at the next wake-up fails again at once, and the loop spins at 100% CPU. So the
     * listener's events are taken away for {@link Limits#ACCEPT_BACKOFF}, and the
     * deadline check puts it back; one line is logged when the failures begin, one when the
     * backlog has been emptied again (not at the first accept that works: the file cache's reaper
     * gives descriptors back one at a time, and each would end an episode and start the next, in
     * two lines). Out of descriptors (EMFILE, ENFILE) is the usual cause, out of socket
     * buffers or memory the others. An accept that fails for one connection's sake costs a pause
     * too, never a refusal: {@link #accept} retries ECONNABORTED (a client that reset while queued),
     * and the clients in the backlog simply wait.
     */
    private void failed(IOException e) {
        if (listener.isStopped()) {
            setInterest(0); // stopped on purpose (EINVAL now): its owner lets it go at its next turn
            return;
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
            setInterest(Linux.EPOLLIN);
        }
    }

    private void setInterest(int events) {
        if (!closed) {
            io.interest(listener.fd, events);
        }
    }

    /** From any thread: no new connections (the kernel refuses them from now on). See {@link Listener#stop}. */
    void stop() {
        listener.stop();
    }

    /**
     * On the owner's thread, once it stops accepting for good: the listener leaves its epoll set, and the last
     * acceptor to let go closes it.
     */
    void close() {
        if (!closed) {
            closed = true;
            io.deregister(listener.fd);
            listener.release(io.linux);
        }
    }
}
