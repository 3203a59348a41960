package io.tinyalloc.bench.alloc;

/**
 * A C allocator through FFM downcalls. Each library is a subclass whose
 * {@link #functions()} returns a {@code static final} constant, so that in a JVM that uses one
 * library the calls inline down to the downcall stubs.
 */
abstract sealed class CAllocator implements BenchAllocator
        permits GlibcAllocator, JemallocAllocator, MimallocAllocator, TcmallocAllocator {

    private final String name;

    CAllocator(String name) {
        this.name = name;
    }

    abstract MallocFunctions functions();

    @Override
    public final long allocate(long byteSize) {
        return functions().mallocOrThrow(byteSize);
    }

    @Override
    public final long allocateZeroed(long byteSize) {
        return functions().callocOrThrow(byteSize);
    }

    @Override
    public final long allocate(long byteSize, long byteAlignment) {
        return functions().alignedAllocOrThrow(byteSize, byteAlignment);
    }

    @Override
    public final long reallocate(long address, long byteSize) {
        return functions().reallocOrThrow(address, byteSize);
    }

    @Override
    public final void free(long address) {
        functions().freeNow(address);
    }

    /** @return the library and how it is called, for reports */
    String describe() {
        return functions().library() + " malloc/free through critical FFM downcalls";
    }

    @Override
    public final String name() {
        return name;
    }

    /** Does nothing: a C allocator lives as long as the process. */
    @Override
    public final void close() {
    }
}
