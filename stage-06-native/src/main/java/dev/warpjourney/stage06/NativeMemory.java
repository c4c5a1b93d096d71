package dev.warpjourney.stage06;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every arena this stage allocates native memory from, counted: what the process holds outside the Java heap on
 * this stage's account, which the collector does not see and a heap dump does not show. The soak (testkit's
 * SoakContract) checks that it returns to where it started, as it checks descriptors and the heap.
 *
 * <p>Two lifetimes are used: a loop's arena ({@link #shared}), made with the loop and closed when it ends, and a call's
 * ({@link #confined}), closed when the call returns (a start-up, a lookup's open, a wake-up). Nothing is allocated
 * per request.
 */
final class NativeMemory implements Arena {
    /** Bytes allocated from arenas not yet closed, in the whole process. */
    private static final AtomicLong LIVE = new AtomicLong();

    private final Arena arena;
    /** What this arena has allocated: given back to {@link #LIVE} when it closes. */
    private final AtomicLong bytes = new AtomicLong();

    private NativeMemory(Arena arena) {
        this.arena = arena;
    }

    /** For a loop: any thread may use its memory (the loop's, and another's during its start and stop). */
    static NativeMemory shared() {
        return new NativeMemory(Arena.ofShared());
    }

    /** For one call, on one thread: use it in a try-with-resources block. */
    static NativeMemory confined() {
        return new NativeMemory(Arena.ofConfined());
    }

    /** Native bytes this stage's open arenas hold now, in the whole process. */
    static long live() {
        return LIVE.get();
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment segment = arena.allocate(byteSize, byteAlignment);
        bytes.addAndGet(byteSize);
        LIVE.addAndGet(byteSize);
        return segment;
    }

    @Override
    public MemorySegment.Scope scope() {
        return arena.scope();
    }

    @Override
    public void close() {
        arena.close(); // throws if already closed, or closed from the wrong thread: then nothing is given back twice
        LIVE.addAndGet(-bytes.getAndSet(0));
    }
}
