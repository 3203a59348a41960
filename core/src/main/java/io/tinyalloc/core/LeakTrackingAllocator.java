package io.tinyalloc.core;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import io.tinyalloc.LeakReport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code leak-detection = all}: the engine, with the allocation site of every live block
 * tracked, for debugging. Every allocation walks the stack, so this is a mode to find a leak in,
 * not to run in production; being a wrapper, it costs the other modes nothing.
 */
final class LeakTrackingAllocator implements Allocator {

    private static final String DETECTION = "all";

    private final Allocator engine;
    private final LeakSites sites = new LeakSites(DETECTION);
    private volatile boolean closed;

    LeakTrackingAllocator(Allocator engine) {
        this.engine = engine;
    }

    @Override
    public long allocate(long byteSize) {
        return tracked(engine.allocate(byteSize));
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        return tracked(engine.allocate(byteSize, byteAlignment));
    }

    @Override
    public long allocateZeroed(long byteSize) {
        return tracked(engine.allocateZeroed(byteSize));
    }

    @Override
    public long reallocate(long address, long byteSize) {
        // Forgotten before the engine frees it, so that its next owner's entry is never the one removed.
        sites.forget(address);
        long moved;
        try {
            moved = engine.reallocate(address, byteSize);
        } catch (AllocationFailedException e) {
            tracked(address); // the block is left as it was, and live
            throw e;
        }
        return tracked(moved);
    }

    @Override
    public void free(long address) {
        sites.forget(address);
        engine.free(address);
    }

    @Override
    public long usableSize(long address) {
        return engine.usableSize(address);
    }

    @Override
    public MemorySegment allocateSegment(long byteSize, long byteAlignment) {
        MemorySegment segment = engine.allocateSegment(byteSize, byteAlignment);
        tracked(segment.address());
        return segment;
    }

    @Override
    public void free(MemorySegment segment) {
        sites.forget(segment.address());
        engine.free(segment);
    }

    @Override
    public AllocatorStats stats() {
        return engine.stats();
    }

    @Override
    public LeakReport leaks() {
        AllocatorStats stats = engine.stats();
        return sites.report(stats.liveBlocks(), stats.liveBytes());
    }

    @Override
    public String describe() {
        return engine.describe();
    }

    /** Arenas allocate through this wrapper, so that their blocks are tracked too. */
    @Override
    public Arena ofConfined() {
        checkOpen();
        return Allocator.super.ofConfined();
    }

    @Override
    public Arena ofShared() {
        checkOpen();
        return Allocator.super.ofShared();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("allocator is closed: " + engine.describe());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        EngineAllocator.reportLeaks(leaks());
        closed = true;
        engine.close();
    }

    @Override
    public String toString() {
        return engine.toString();
    }

    private long tracked(long address) {
        sites.track(address, engine.usableSize(address));
        return address;
    }
}
