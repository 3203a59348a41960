package io.tinyalloc;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * A thread-safe allocator of made-up addresses, no memory behind them, that gives the most
 * recently freed address out first: threads that race get each other's addresses, which is
 * what the ordering of a trace must survive.
 */
class FakeAllocator implements Allocator {

    private static final long FIRST_ADDRESS = 0x7f00_0000_0000L;
    private static final long SPACING = 64;

    private final Deque<Long> freed = new ArrayDeque<>();
    private final Set<Long> live = new HashSet<>();
    private long next = FIRST_ADDRESS;
    boolean closed;

    @Override
    public synchronized long allocate(long byteSize) {
        checkOpen();
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize: " + byteSize);
        }
        long address = freed.isEmpty() ? next += SPACING : freed.pop();
        live.add(address);
        return address;
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
        checkOpen();
        if (address != 0) {
            if (!live.remove(address)) {
                throw new IllegalArgumentException("free of 0x" + Long.toHexString(address) + ", not live");
            }
            freed.push(address);
        }
    }

    @Override
    public long usableSize(long address) {
        return 0;
    }

    @Override
    public MemorySegment allocateSegment(long byteSize, long byteAlignment) {
        return MemorySegment.ofAddress(allocate(byteSize, byteAlignment));
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
        return "fake";
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized int liveCount() {
        return live.size();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Already closed");
        }
    }
}
