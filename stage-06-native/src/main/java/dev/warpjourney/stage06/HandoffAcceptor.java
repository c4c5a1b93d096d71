package dev.warpjourney.stage06;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Accept mode HANDOFF: one more thread, which owns the listener and serves nothing. It accepts each connection and
 * hands it to the serving loops in turn ({@link Loop#handOff}), round-robin, each loop getting every Nth. The price of
 * the design is on the loops' side: every connection wakes a second thread.
 *
 * <p>Its state is its thread's, but for the stop flags, which other threads set.
 */
final class HandoffAcceptor {
    /** The listener's only epoll set, and this thread's calls. Made by the constructor, closed when {@link #run} ends. */
    private final NativeIo io;

    private final Acceptor acceptor;
    /** The serving loops, fixed for the server's life. */
    private final Loop[] loops;
    /** The loop that gets the next connection. */
    private int next;

    private final Thread thread;
    /** Counted down once {@link #run} has closed everything: what a stop waits for. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set once, by {@link #drain} or {@link #close} on another thread: stop at the next wake-up. */
    private volatile boolean stopping;

    HandoffAcceptor(String name, Listener listener, Loop[] loops, Set<Config.JdkCost> jdkCosts) throws IOException {
        this.io = new NativeIo(jdkCosts);
        this.loops = loops;
        try {
            this.acceptor = new Acceptor(name, listener, io, this::handOff);
        } catch (IOException | RuntimeException e) {
            io.close();
            throw e; // Server closes the listener it gave
        }
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    // tag::round-robin[]
    /** Round-robin: the loops take turns, whatever each is busy with. */
    private void handOff(int fd) {
        loops[next].handOff(fd, io.linux);
        next = (next + 1) % loops.length;
    }
    // end::round-robin[]

    void start() {
        thread.start();
    }

    int port() {
        return acceptor.port();
    }

    private void run() {
        try {
            while (!stopping) {
                long now = System.nanoTime();
                long wait = acceptor.nanosToResume(now);
                // -1 is "for ever" to epoll_wait: a paused accept wakes it at least 1 ms later.
                int ready = io.await(wait == Long.MAX_VALUE ? -1 : (int) Math.max(1, wait / 1_000_000 + 1));
                for (int i = 0; i < ready; i++) {
                    if (Linux.readyFd(io.events, i) == io.wakeup) {
                        io.woken(); // a stop: the loop's condition says so
                    } else if (!stopping) {
                        acceptor.accept();
                    }
                }
                acceptor.resumeIfDue(System.nanoTime());
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!stopping) {
                System.err.println(thread.getName() + ": event loop failed: " + e);
            }
        } finally {
            acceptor.close();
            io.close();
            stopped.countDown();
        }
    }

    /** Graceful stop, from any thread: no new connections. Returns at once; {@link #awaitStopped} waits. */
    void drain() {
        stopping = true;
        acceptor.stop();
        io.wake();
    }

    /** Waits for {@link #run} to end; false if it has not within {@code millis}. */
    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Immediate stop, from any thread: the same as {@link #drain}, as it serves no connection; waits (at most 5 s). */
    void close() {
        drain();
        if (thread.getState() == Thread.State.NEW) {
            acceptor.close(); // never started: nothing runs to close it
            io.close();
            stopped.countDown();
            return;
        }
        try {
            if (Thread.currentThread() != thread) {
                stopped.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
