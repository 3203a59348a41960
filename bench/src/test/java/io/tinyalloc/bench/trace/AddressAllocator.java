package io.tinyalloc.bench.trace;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A thread-safe allocator of addresses without memory, giving the last freed address out
 * first, so that a recording sees addresses reused, across threads too.
 */
final class AddressAllocator implements Allocator {

    private static final long FIRST_ADDRESS = 0x5500_0000_0000L;
    private static final long SPACING = 48;

    private final Deque<Long> freed = new ArrayDeque<>();
    private long next = FIRST_ADDRESS;

    @Override
    public synchronized long allocate(long byteSize) {
        return freed.isEmpty() ? next += SPACING : freed.pop();
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        return allocate(byteSize);
    }

    @Override
    public long allocateZeroed(long byteSize) {
        return allocate(byteSize);
    }

    @Override
    public synchronized long reallocate(long address, long byteSize) {
        long moved = allocate(byteSize);
        free(address);
        return moved;
    }

    @Override
    public synchronized void free(long address) {
        if (address != 0) {
            freed.push(address);
        }
    }

    @Override
    public long usableSize(long address) {
        return 0;
    }

    @Override
    public MemorySegment allocateSegment(long byteSize, long byteAlignment) {
        return MemorySegment.ofAddress(allocate(byteSize));
    }

    @Override
    public void free(MemorySegment segment) {
        free(segment.address());
    }

    @Override
    public AllocatorStats stats() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
        return "addresses";
    }

    @Override
    public void close() {
    }
}
