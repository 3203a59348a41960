package io.tinyalloc.bench.trace;

/**
 * The allocator calls of a program, in the order it made them, as a log reader finds them:
 * what {@link ValgrindLineParser} tells a {@link TraceBuilder}, or the importer that writes
 * them to a trace file. Addresses are the program's own; each process has its own.
 *
 * <p>A method throws {@link IllegalArgumentException} for a call that contradicts the calls
 * before it; the reader adds where it was.
 */
interface AllocatorCalls {

    /** A line that is not an allocator call. */
    void ignoredLine();

    /**
     * An allocation.
     *
     * @param pid the process
     * @param kind {@link TraceOp#ALLOCATE}, {@link TraceOp#ALLOCATE_ZEROED} or {@link TraceOp#ALLOCATE_ALIGNED}
     * @param byteSize the size asked for
     * @param byteAlignment the alignment asked for, 0 unless aligned
     * @param address what it returned, 0 if it failed
     */
    void allocate(int pid, byte kind, long byteSize, long byteAlignment, long address);

    /**
     * A reallocation.
     *
     * @param pid the process
     * @param oldAddress the block, 0 for none
     * @param byteSize the new size
     * @param newAddress what it returned, 0 if it failed
     */
    void reallocate(int pid, long oldAddress, long byteSize, long newAddress);

    /**
     * A free.
     *
     * @param pid the process
     * @param address the block, 0 for none
     */
    void free(int pid, long address);
}
