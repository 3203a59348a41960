package io.tinyalloc.bench.trace;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import java.lang.foreign.MemorySegment;

/**
 * An allocator with no memory that returns the address it was told to: the program's own, as
 * a log recorded it. {@link ValgrindImport} puts a {@code TracingAllocator} in front of it and
 * makes the program's calls again, so that imported traces are written by the one writer of
 * the format.
 */
final class ScriptedAllocator implements Allocator {

    private long nextAddress;

    /**
     * Sets what the next allocation or reallocation returns.
     *
     * @param address the address the program got
     */
    void returnNext(long address) {
        nextAddress = address;
    }

    @Override
    public long allocate(long byteSize) {
        return nextAddress;
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        return nextAddress;
    }

    @Override
    public long allocateZeroed(long byteSize) {
        return nextAddress;
    }

    @Override
    public long reallocate(long address, long byteSize) {
        return nextAddress;
    }

    @Override
    public void free(long address) {
        // nothing to free: there is no memory
    }

    @Override
    public long usableSize(long address) {
        throw new UnsupportedOperationException("a scripted allocator has no blocks");
    }

    @Override
    public MemorySegment allocateSegment(long byteSize, long byteAlignment) {
        throw new UnsupportedOperationException("a scripted allocator has no memory");
    }

    @Override
    public void free(MemorySegment segment) {
        // nothing to free: there is no memory
    }

    @Override
    public AllocatorStats stats() {
        throw new UnsupportedOperationException("a scripted allocator has no stats");
    }

    @Override
    public String describe() {
        return "scripted";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
