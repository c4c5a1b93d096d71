package dev.warpjourney.stage06;

import java.util.concurrent.locks.ReentrantLock;

/**
 * How a {@link FileCache} keeps its users apart. A loop's cache has one user, the loop's thread, and needs nothing
 * ({@link #NONE}); model VTHREADS shares one cache between all its virtual threads, behind one lock
 * ({@link #locked}). Two implementations rather than a lock that may be null, so the cache reads the same either way
 * (and a loop's cache pays a call that the JIT inlines to nothing).
 */
interface Guard {
    void lock();

    void unlock();

    /** For a cache used by one thread alone. */
    Guard NONE = new Guard() {
        @Override
        public void lock() {}

        @Override
        public void unlock() {}
    };

    /** For a cache shared between threads: a ReentrantLock, on which a virtual thread parks without pinning its carrier. */
    static Guard locked() {
        ReentrantLock lock = new ReentrantLock();
        return new Guard() {
            @Override
            public void lock() {
                lock.lock();
            }

            @Override
            public void unlock() {
                lock.unlock();
            }
        };
    }
}
