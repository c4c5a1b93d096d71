package dev.warpjourney.stage06;

/**
 * Connections waiting on one kind of deadline, oldest first.
 *
 * <p>Every connection in a queue got the same timeout when it was added, so appending at the
 * tail keeps the queue sorted by deadline: the loop looks at the head only, and touching a
 * connection is an unlink and an append. Checking timeouts costs O(expired), not O(connections):
 * with 10,000 idle connections and one active, a wake-up no longer visits the 10,000.
 * (Warp sweeps every connection once per period instead, marking them inactive; a timer wheel is
 * the other classic. All three avoid a walk per wake-up.)
 */
// tag::queue[]
final class TimeoutQueue {
    final long timeoutNanos;
    private Connection head;
    private Connection tail;

    TimeoutQueue(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Moves {@code c} to the tail of this queue (out of any other), with deadline now + timeout. */
    void add(Connection c, long now) {
        if (c.queue != null) {
            c.queue.remove(c);
        }
        c.deadline = now + timeoutNanos;
        c.queue = this;
        c.prev = tail;
        c.next = null;
        if (tail == null) {
            head = c;
        } else {
            tail.next = c;
        }
        tail = c;
    }

    void remove(Connection c) {
        if (c.prev == null) {
            head = c.next;
        } else {
            c.prev.next = c.next;
        }
        if (c.next == null) {
            tail = c.prev;
        } else {
            c.next.prev = c.prev;
        }
        c.prev = null;
        c.next = null;
        c.queue = null;
    }

    /** The connection whose deadline is nearest, or null. */
    Connection first() {
        return head;
    }
}
// end::queue[]
