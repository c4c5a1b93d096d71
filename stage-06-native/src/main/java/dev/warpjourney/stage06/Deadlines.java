package dev.warpjourney.stage06;

import java.io.IOException;

/**
 * A loop's deadlines: its connections waiting on each kind (request head, idle, lingering close), one
 * {@link TimeoutQueue} per kind, ordered by deadline because every connection in a queue has the same timeout.
 *
 * <p>A connection says which phase it has entered, and the verb starts the timeout that goes with it:
 * {@link #awaitRequest}, {@link #awaitHead}, {@link #awaitProgress}, {@link #linger}; {@link #cancel} when it
 * closes. Warp's timeout manager hands each connection the same kind of verbs: tickle (there was activity: restart
 * the timer), pause and resume (no timer while the application computes a response) and cancel. Ours restart the
 * connection's one timer too, each with its phase's timeout; none pauses it, as a response is computed on the loop's
 * thread, where no deadline can fire meanwhile.
 *
 * <p>One per loop, for its life, used by its thread alone.
 */
final class Deadlines {
    // tag::deadlines[]
    private final TimeoutQueue header;
    private final TimeoutQueue idle;
    private final TimeoutQueue linger = new TimeoutQueue(Limits.LINGER_TIMEOUT.toNanos());
    // end::deadlines[]

    Deadlines(Config config) {
        this.header = new TimeoutQueue(config.requestHeaderTimeout().toNanos());
        this.idle = new TimeoutQueue(config.idleTimeout().toNanos());
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
    void cancel(Connection c) {
        if (c.queue != null) {
            c.queue.remove(c);
        }
    }

    /**
     * Acts on every connection whose deadline has passed. Looks at the head of each queue only: O(expired
     * connections), not O(open connections).
     */
    void expire(long now) {
        for (TimeoutQueue q : new TimeoutQueue[] {header, idle, linger}) {
            Connection c;
            while ((c = q.first()) != null && now - c.deadline > 0) {
                q.remove(c);
                try {
                    c.onTimeout();
                } catch (IOException | RuntimeException | Error e) {
                    c.close();
                    if (!(e instanceof IOException)) {
                        Failures.unexpected(e);
                    }
                }
            }
        }
    }

    /** Nanoseconds until the nearest deadline (negative when one has passed); Long.MAX_VALUE when there is none. */
    long nanosToNearest(long now) {
        long nearest = Long.MAX_VALUE;
        for (TimeoutQueue q : new TimeoutQueue[] {header, idle, linger}) {
            Connection c = q.first();
            if (c != null) {
                nearest = Math.min(nearest, c.deadline - now);
            }
        }
        return nearest;
    }
}
