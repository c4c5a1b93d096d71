package dev.warpjourney.stage06;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Iterator;
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
    /** The listener's only selector. Opened by the constructor, closed when {@link #run} ends. */
    private final Selector selector;

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

    HandoffAcceptor(String name, ServerSocketChannel listener, Loop[] loops) throws IOException {
        this.selector = SelectorProvider.provider().openSelector();
        this.loops = loops;
        try {
            this.acceptor = new Acceptor(name, listener, selector, this::handOff);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e; // Server closes the listener it gave
        }
        this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
    }

    // tag::round-robin[]
    /** Round-robin: the loops take turns, whatever each is busy with. */
    private void handOff(SocketChannel ch) {
        loops[next].handOff(ch);
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
                // 0 would mean "block forever" to select(): a paused accept wakes it at least 1 ms later.
                selector.select(wait == Long.MAX_VALUE ? 0 : Math.max(1, wait / 1_000_000 + 1));
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid() && key.isAcceptable()) {
                        acceptor.accept();
                    }
                }
                acceptor.resumeIfDue(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!stopping) {
                System.err.println(thread.getName() + ": event loop failed: " + e);
            }
        } finally {
            acceptor.close();
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            stopped.countDown();
        }
    }

    /** Graceful stop, from any thread: no new connections. Returns at once; {@link #awaitStopped} waits. */
    void drain() {
        stopping = true;
        acceptor.close();
        selector.wakeup();
    }

    /** Waits for {@link #run} to end; false if it has not within {@code millis}. */
    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Immediate stop, from any thread: the same as {@link #drain}, as it serves no connection; waits (at most 5 s). */
    void close() {
        drain();
        if (thread.getState() == Thread.State.NEW) {
            try {
                selector.close(); // never started: nothing runs to close it
            } catch (IOException ignored) {
                // nothing more to release
            }
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
