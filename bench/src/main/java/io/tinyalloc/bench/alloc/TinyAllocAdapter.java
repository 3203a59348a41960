package io.tinyalloc.bench.alloc;

import io.tinyalloc.Allocator;

/** tinyalloc under test: an {@link Allocator} from {@code TinyAlloc.create}. */
final class TinyAllocAdapter implements BenchAllocator {

    private final String name;
    private final Allocator allocator;

    TinyAllocAdapter(String name, Allocator allocator) {
        this.name = name;
        this.allocator = allocator;
    }

    @Override
    public long allocate(long byteSize) {
        return allocator.allocate(byteSize);
    }

    @Override
    public long allocateZeroed(long byteSize) {
        return allocator.allocateZeroed(byteSize);
    }

    @Override
    public long allocate(long byteSize, long byteAlignment) {
        return allocator.allocate(byteSize, byteAlignment);
    }

    @Override
    public long reallocate(long address, long byteSize) {
        return allocator.reallocate(address, byteSize);
    }

    @Override
    public void free(long address) {
        allocator.free(address);
    }

    @Override
    public long committedBytes() {
        return allocator.stats().committedBytes();
    }

    @Override
    public String committedBytesSource() {
        return "tinyalloc stats().committedBytes()";
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the strategy combination, one line */
    String describe() {
        return allocator.describe();
    }

    @Override
    public void close() {
        allocator.close();
    }
}
