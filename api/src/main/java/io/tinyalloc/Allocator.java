package io.tinyalloc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A thread-safe off-heap memory allocator: {@code malloc}/{@code free} for the JVM.
 *
 * <p>Memory is handed out as plain {@code long} addresses, so that the hot path allocates
 * nothing on the Java heap, or as {@link MemorySegment}s for callers who want bounds checks.
 * Blocks are not initialized unless obtained with {@link #allocateZeroed(long)}. Every block
 * is aligned to at least {@value #MIN_BYTE_ALIGNMENT} bytes, or 8 when its usable size is 8.
 *
 * <p>An allocator maps its own memory from the operating system and gives it back: empty pages
 * are purged after the configured delay, and {@link #close()} releases everything. Any method
 * called after {@code close()} throws {@link IllegalStateException}.
 *
 * {@snippet lang = java :
 * try (Allocator allocator = TinyAlloc.create()) {
 *     long address = allocator.allocate(64);
 *     try {
 *         MemorySegment.ofAddress(address).reinterpret(64).fill((byte) 0);
 *     } finally {
 *         allocator.free(address);
 *     }
 * }
 * }
 *
 * <p>FFM code that works with {@link Arena}s adopts tinyalloc through {@link #ofConfined()}
 * and {@link #ofShared()}:
 *
 * {@snippet lang = java :
 * try (Arena arena = allocator.ofConfined()) {
 *     MemorySegment buffer = arena.allocate(4096);   // bounded, zeroed, freed when the arena closes
 * }
 * }
 *
 * @see TinyAlloc
 */
public interface Allocator extends AutoCloseable {

    /** The alignment, in bytes, that every block of 16 bytes or more has without asking. */
    long MIN_BYTE_ALIGNMENT = 16;

    /**
     * Allocates a block of at least {@code byteSize} bytes, aligned to
     * {@value #MIN_BYTE_ALIGNMENT} bytes (8 for blocks of 8 bytes). A {@code byteSize} of zero
     * returns a unique address that must be freed like any other.
     *
     * @param byteSize the number of bytes wanted
     * @return the address of the block, never 0
     * @throws IllegalArgumentException if {@code byteSize < 0}
     * @throws AllocationFailedException if the memory cannot be obtained
     * @throws IllegalStateException if this allocator is closed
     */
    long allocate(long byteSize);

    /**
     * Allocates a block of at least {@code byteSize} bytes whose address is a multiple of
     * {@code byteAlignment}.
     *
     * @param byteSize the number of bytes wanted
     * @param byteAlignment the alignment wanted, a power of two
     * @return the address of the block, never 0
     * @throws IllegalArgumentException if {@code byteSize < 0}, or if {@code byteAlignment} is
     *         not a power of two or is above the largest alignment the allocator supports (half
     *         its segment size: 2 MiB with the default 4 MiB segments)
     * @throws AllocationFailedException if the memory cannot be obtained
     * @throws IllegalStateException if this allocator is closed
     */
    long allocate(long byteSize, long byteAlignment);

    /**
     * Allocates a block of at least {@code byteSize} bytes, all of them zero.
     *
     * @param byteSize the number of bytes wanted
     * @return the address of the block, never 0
     * @throws IllegalArgumentException if {@code byteSize < 0}
     * @throws AllocationFailedException if the memory cannot be obtained
     * @throws IllegalStateException if this allocator is closed
     */
    long allocateZeroed(long byteSize);

    /**
     * Changes the size of a block, moving it if needed. The first
     * {@code min(byteSize, old size)} bytes are kept. A zero {@code address} allocates; the
     * old block must not be used after a call that returned a different address.
     *
     * @param address a block returned by this allocator and not yet freed, or 0
     * @param byteSize the number of bytes wanted
     * @return the address of the block, never 0
     * @throws IllegalArgumentException if {@code byteSize < 0}
     * @throws AllocationFailedException if the memory cannot be obtained; the old block is
     *         then left as it was
     * @throws IllegalStateException if this allocator is closed
     */
    long reallocate(long address, long byteSize);

    /**
     * Frees a block. Any thread may free a block, not only the one that allocated it.
     * Freeing 0 does nothing.
     *
     * @param address a block returned by this allocator and not yet freed, or 0
     * @throws IllegalStateException if this allocator is closed
     */
    void free(long address);

    /**
     * Returns the number of bytes that can be used at {@code address}: at least the size asked
     * for, often a little more (the size class of the block).
     *
     * @param address a block returned by this allocator and not yet freed
     * @return the usable size of the block in bytes
     * @throws IllegalStateException if this allocator is closed
     */
    long usableSize(long address);

    /**
     * Allocates a block and returns it as a segment of exactly {@code byteSize} bytes, with
     * the global scope: it is valid until freed with {@link #free(MemorySegment)}.
     *
     * @param byteSize the number of bytes wanted
     * @param byteAlignment the alignment wanted, a power of two
     * @return a native segment of {@code byteSize} bytes
     * @throws IllegalArgumentException if {@code byteSize < 0}, or if {@code byteAlignment} is
     *         not a power of two or is above the largest alignment the allocator supports (half
     *         its segment size: 2 MiB with the default 4 MiB segments)
     * @throws AllocationFailedException if the memory cannot be obtained
     * @throws IllegalStateException if this allocator is closed
     */
    MemorySegment allocateSegment(long byteSize, long byteAlignment);

    /**
     * Frees a segment obtained from {@link #allocateSegment(long, long)}.
     *
     * @param segment the segment to free; {@link MemorySegment#NULL} does nothing
     * @throws IllegalArgumentException if {@code segment} is not a native segment
     * @throws IllegalStateException if this allocator is closed
     */
    void free(MemorySegment segment);

    /**
     * Returns a snapshot of this allocator's counters. Figures are exact when no other thread
     * is allocating or freeing, and close to exact otherwise.
     *
     * @return the counters
     * @throws IllegalStateException if this allocator is closed
     */
    AllocatorStats stats();

    /**
     * Returns the blocks that are live now, grouped by where they were allocated as far as
     * {@code leak-detection} tracked them. tinyalloc also logs this report (SLF4J, logger
     * {@code io.tinyalloc}) when an allocator with leak detection on is closed with blocks live.
     *
     * @implSpec The default implementation reports the live totals of {@link #stats()} with no
     *           sites and the detection {@code off}.
     *
     * @return the live blocks and their allocation sites
     * @throws IllegalStateException if this allocator is closed
     */
    default LeakReport leaks() {
        AllocatorStats stats = stats();
        return new LeakReport(stats.liveBlocks(), stats.liveBytes(), "off", List.of());
    }

    /**
     * Returns the strategy combination of this allocator on one line, for logs and reports:
     * platform, size classes, lookup, purge policy, segment and page sizes, large cache.
     *
     * @return the strategy combination
     */
    String describe();

    /**
     * Returns a new confined arena whose segments come from this allocator. Segments are
     * zeroed, bounded, usable only by the thread that created the arena and only until it is
     * closed; closing the arena frees them all at once.
     *
     * @return a new confined arena
     * @throws IllegalStateException if this allocator is closed
     */
    default Arena ofConfined() {
        return AllocatorArena.confined(this);
    }

    /**
     * Returns a new shared arena whose segments come from this allocator. Segments are zeroed,
     * bounded, usable by any thread and only until the arena is closed; closing the arena frees
     * them all at once.
     *
     * @return a new shared arena
     * @throws IllegalStateException if this allocator is closed
     */
    default Arena ofShared() {
        return AllocatorArena.shared(this);
    }

    /**
     * Closes this allocator and gives all of its memory back to the operating system. Blocks
     * that are still live become invalid. Closing again does nothing.
     *
     * @implSpec Callers must make sure that no other thread uses the allocator or its memory
     * during or after {@code close()}.
     */
    @Override
    void close();
}
