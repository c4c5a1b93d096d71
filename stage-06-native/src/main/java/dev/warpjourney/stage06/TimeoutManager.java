package dev.warpjourney.stage06;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Warp's timeout manager ({@code Network.Wai.Handler.Warp.Timeout}), for model VTHREADS: one thread
 * for the whole server, not a timer per connection. It bounds the one wait that a read's SO_TIMEOUT
 * cannot: a blocking write to a client that has stopped reading (the JDK has no write timeout, and
 * a virtual thread parked in a write would wait for ever).
 *
 * <p>Each connection registers a {@link Handle}. Every period the manager sweeps them all: an
 * ACTIVE handle becomes INACTIVE; one still INACTIVE since the last sweep has shown no progress for
 * a whole period and is killed (its channel is closed, which ends the parked write with an
 * exception); PAUSED ones are left alone; CANCELED ones leave the list. A connection resumes its
 * handle when it starts writing, tickles it at every step of progress, pauses it when the response
 * is out and cancels it when it closes. So a stalled write dies between one and two periods after
 * its last progress: the imprecision Warp accepts, in return for a tickle that is one volatile write
 * and one thread per server however many connections there are.
 */
final class TimeoutManager {

    enum State {
        ACTIVE,
        INACTIVE,
        PAUSED,
        CANCELED
    }

    /** One connection's entry. Its owner tickles, pauses, resumes and cancels it; the manager sweeps it. */
    static final class Handle {
        private final AtomicReference<State> state = new AtomicReference<>(State.PAUSED);
        /** What a timeout closes; dropped on cancel, so that the list does not keep a closed connection alive. */
        private volatile Closeable target;

        private Handle(Closeable target) {
            this.target = target;
        }

        /** There was progress: the next sweep finds it active. */
        void tickle() {
            state.set(State.ACTIVE);
        }

        /** No timeout while the connection does something else (here: reads, which bound themselves). */
        void pause() {
            state.set(State.PAUSED);
        }

        /** A write begins: the timeout runs again. */
        void resume() {
            state.set(State.ACTIVE);
        }

        /** The connection has closed: the next sweep drops the handle. */
        void cancel() {
            state.set(State.CANCELED);
            target = null;
        }
    }

    private final Duration period;
    /**
     * Shared, mutable: every connection's thread adds its handle here, the manager's thread walks
     * the list and removes from it. A lock-free queue: a registration never waits for a sweep.
     */
    private final ConcurrentLinkedQueue<Handle> handles = new ConcurrentLinkedQueue<>();

    private final Thread thread;
    private volatile boolean stopped;

    TimeoutManager(String name, Duration period) {
        this.period = period;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    Handle register(Closeable target) {
        Handle h = new Handle(target);
        handles.add(h);
        return h;
    }

    private void run() {
        while (!stopped) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            sweep();
        }
    }

    // tag::sweep[]
    /** One pass over every handle: O(connections) once per period, nothing per request. */
    void sweep() {
        for (Iterator<Handle> it = handles.iterator(); it.hasNext(); ) {
            Handle h = it.next();
            switch (h.state.get()) {
                // A tickle that lands between the read and the swap counts for this sweep: the
                // connection was active, and has a whole period to show it again.
                case ACTIVE -> h.state.compareAndSet(State.ACTIVE, State.INACTIVE);
                case INACTIVE -> {
                    // No progress since the last sweep. The swap loses to a pause (the write ended).
                    if (h.state.compareAndSet(State.INACTIVE, State.CANCELED)) {
                        it.remove();
                        kill(h.target);
                    }
                }
                case PAUSED -> {
                    // not writing: nothing to time
                }
                case CANCELED -> it.remove();
            }
        }
    }
    // end::sweep[]

    private static void kill(Closeable target) {
        if (target != null) {
            try {
                target.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }
}
