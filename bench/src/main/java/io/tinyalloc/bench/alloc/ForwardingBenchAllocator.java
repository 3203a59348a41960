package io.tinyalloc.bench.alloc;

/**
 * A {@link BenchAllocator} that passes every call to another one: the base of decorators that
 * watch the calls (sample the footprint, count frees) and override only the ones they watch.
 */
public abstract class ForwardingBenchAllocator implements BenchAllocator {

    /** The allocator that does the work. */
    protected final BenchAllocator delegate;

    /**
     * @param delegate the allocator that does the work; closed with this one
     */
    protected ForwardingBenchAllocator(BenchAllocator delegate) {
        this.delegate = delegate;
    }

    @Override
    public long allocate(long byteSize) {
        return delegate.allocate(byteSize);
    }

    @Override
    public long allocateZeroed(long byteSize) {
        return delegate.allocateZeroed(byteSize);
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        return delegate.allocate(byteSize, byteAlignment);
    }

    @Override
    public long reallocate(long address, long byteSize) {
        return delegate.reallocate(address, byteSize);
    }

    @Override
    public void free(long address) {
        delegate.free(address);
    }

    @Override
    public boolean freesFromAnyThread() {
        return delegate.freesFromAnyThread();
    }

    @Override
    public long committedBytes() {
        return delegate.committedBytes();
    }

    @Override
    public String committedBytesSource() {
        return delegate.committedBytesSource();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
