package io.tinyalloc.bench.alloc;

/**
 * An allocator under test, with {@code malloc}-style addresses: tinyalloc, a C allocator
 * reached through FFM downcalls, or a JDK or Netty way of getting off-heap memory behind the
 * same calls. Threaded workloads call one allocator from many threads at once: every
 * implementation is thread-safe, and a block may be freed by another thread than the one
 * that allocated it unless {@link #freesFromAnyThread()} says otherwise.
 *
 * <p>Obtained by name from {@link BenchAllocators#open(String)}.
 */
public interface BenchAllocator extends AutoCloseable {

    /**
     * Allocates a block of at least {@code byteSize} bytes.
     *
     * @param byteSize the size wanted, 0 or more
     * @return the address of the block, never 0
     * @throws OutOfMemoryError if the allocator returned NULL
     */
    long allocate(long byteSize);

    /**
     * Allocates a block of at least {@code byteSize} bytes, all of them zero.
     *
     * @param byteSize the size wanted, 0 or more
     * @return the address of the block, never 0
     * @throws OutOfMemoryError if the allocator returned NULL
     */
    long allocateZeroed(long byteSize);

    /**
     * Allocates a block of at least {@code byteSize} bytes at a multiple of {@code byteAlignment}.
     *
     * @param byteSize the size wanted, 0 or more
     * @param byteAlignment a power of two
     * @return the address of the block, never 0
     * @throws OutOfMemoryError if the allocator returned NULL
     */
    long allocate(long byteSize, long byteAlignment);

    /**
     * Resizes a block, moving it if needed, keeping its first {@code min(old, new)} bytes.
     *
     * @param address a live block of this allocator
     * @param byteSize the new size, more than 0
     * @return the address of the block, never 0
     * @throws OutOfMemoryError if the allocator returned NULL (the old block is then still live)
     */
    long reallocate(long address, long byteSize);

    /**
     * Frees a block.
     *
     * @param address a live block of this allocator
     */
    void free(long address);

    /**
     * Returns the memory this allocator holds from the operating system now, in bytes, as
     * told by {@link #committedBytesSource()}. May be slow (it may walk the allocator's state
     * or read {@code /proc}): never call it on a measured path.
     *
     * @implSpec The default is the resident set of the whole process: for allocators that count
     *         nothing of their own (the C libraries, {@code Unsafe}, arenas). An allocator with
     *         its own figure overrides this and {@link #committedBytesSource()} together.
     * @return the committed bytes
     */
    default long committedBytes() {
        return ProcessMemory.residentBytes();
    }

    /**
     * Says where {@link #committedBytes()} comes from, for reports: for example
     * {@code "stats().committedBytes()"} or {@code "mallinfo2 arena+hblkhd (whole process)"}.
     *
     * @implSpec The default names the resident set of the whole process, as
     *         {@link #committedBytes()} does by default.
     * @return a short description
     */
    default String committedBytesSource() {
        return ProcessMemory.RESIDENT_BYTES_SOURCE;
    }

    /**
     * Says whether a block may be freed or reallocated in another thread than the one that
     * allocated it; workloads that hand blocks between threads do not run on an allocator that
     * says no.
     *
     * @implSpec returns {@code true}
     * @return {@code true} if any thread may free any block
     */
    default boolean freesFromAnyThread() {
        return true;
    }

    /**
     * Returns the name this allocator was opened with, for example {@code baseline:glibc}.
     *
     * @return the name
     */
    String name();

    /** Releases what the allocator holds, if it can (C allocators cannot: this does nothing). */
    @Override
    void close();
}
