package io.tinyalloc.bench.trace;

import io.tinyalloc.bench.alloc.BenchAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A test allocator from a confined arena that records what it was asked; frees are counted, not reused. */
@SuppressWarnings("restricted")   // FFM downcalls and raw addresses are the point; the JVM runs with --enable-native-access
class CountingAllocator implements BenchAllocator {

    private static final long BLOCK_ALIGNMENT = 16;

    private final Arena arena = Arena.ofConfined();
    final List<Long> allocations = new ArrayList<>();
    private final Set<Long> live = new HashSet<>();
    int frees;
    /** A zeroed block for subclasses that misbehave on purpose. */
    final long block = arena.allocate(64, BLOCK_ALIGNMENT).address();

    @Override
    public long allocate(long byteSize) {
        allocations.add(byteSize);
        long address = arena.allocate(Math.max(1, byteSize), BLOCK_ALIGNMENT).address();
        live.add(address);
        return address;
    }

    @Override
    public long allocateZeroed(long byteSize) {
        return allocate(byteSize);
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        allocations.add(byteSize);
        long address = arena.allocate(Math.max(1, byteSize), byteAlignment).address();
        live.add(address);
        return address;
    }

    @Override
    public long reallocate(long address, long byteSize) {
        long moved = allocate(byteSize);
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(byteSize), 0,
                MemorySegment.ofAddress(moved).reinterpret(byteSize), 0, byteSize);
        free(address);
        return moved;
    }

    @Override
    public void free(long address) {
        live.remove(address);
        frees++;
    }

    int live() {
        return live.size();
    }

    @Override
    public long committedBytes() {
        return 0;
    }

    @Override
    public String committedBytesSource() {
        return "none";
    }

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public void close() {
        arena.close();
    }
}
