package io.tinyalloc.bench.alloc;

import java.lang.foreign.Arena;

/**
 * {@code baseline:arena}: one {@link Arena#ofConfined()} per allocation, closed when the block
 * is freed. It measures what the JDK's own off-heap API costs when an application uses it
 * for blocks with individual lifetimes: creating and closing a confined arena, the JDK's
 * {@code malloc} and {@code free} under it (through {@code Unsafe.allocateMemory}), the
 * zeroing that every arena allocation does, and the address map of
 * {@link HandleBackedAllocator}.
 *
 * <p>A confined arena closes only in the thread that created it: this baseline does not
 * {@linkplain #freesFromAnyThread() free from any thread}, and the workloads that hand blocks
 * between threads do not run on it. Committed bytes are the resident set of the whole JVM:
 * the JDK keeps no count of arena memory.
 */
final class ArenaAllocator extends HandleBackedAllocator<Arena> {

    static final String NAME = "baseline:arena";

    ArenaAllocator() {
        super(NAME);
    }

    @Override
    Owned<Arena> open(long byteSize, long byteAlignment) {
        Arena arena = Arena.ofConfined();
        return new Owned<>(arena, arena.allocate(byteSize, byteAlignment).address());
    }

    /** @throws WrongThreadException if another thread than the allocating one frees the block */
    @Override
    void release(Arena arena) {
        arena.close();
    }

    @Override
    boolean zeroesOnAllocate() {
        return true;
    }

    @Override
    public boolean freesFromAnyThread() {
        return false;
    }

    /** Does nothing: every block's arena closes when the block is freed. */
    @Override
    public void close() {
    }
}
