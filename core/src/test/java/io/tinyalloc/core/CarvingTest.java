package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyalloc.Allocator;
import org.junit.jupiter.api.Test;

/**
 * How much of a fresh page an allocation touches ({@code Heap.extend}): an OS page of small
 * blocks, a few blocks of about an OS page each (so that such a class does not take the slow
 * path for every allocation), one block of anything larger. Each test fails if carving touches
 * more than that (the footprint grows) or fewer blocks of the middle sizes (the slow path comes
 * back for each of them). Committed bytes count a page up to the end of what it carved, rounded
 * up to OS pages ({@code StatsCollector}).
 */
class CarvingTest {

    private static final long OS_PAGE = TestEngines.osPageByteSize();
    private static final SizeClassTable TABLE = SizeClassTable.of(TestEngines.sizeClasses(TestEngines.Recipe.DEFAULT),
            TestEngines.Recipe.DEFAULT.pageByteSizes().stream().mapToLong(Long::longValue).toArray());

    /** The block size of another class with pages of the same size: its segment is the one the class will use. */
    private static long neighbourOf(long blockByteSize) {
        int sizeClass = TABLE.classOf(blockByteSize);
        for (int other = 0; other < TABLE.count(); other++) {
            if (other != sizeClass && TABLE.pageKind(other) == TABLE.pageKind(sizeClass)) {
                return TABLE.blockByteSize(other);
            }
        }
        throw new AssertionError("no other class shares the pages of the " + blockByteSize + "-byte class");
    }

    /** The stride of the class that serves {@code blockByteSize}, from the table the engine uses. */
    private static long strideOf(long blockByteSize) {
        return TABLE.blockStride(TABLE.classOf(blockByteSize));
    }

    @Test
    void blocksOfAQuarterOsPageAreCarvedAnOsPageAtATime() {
        assertCarves(OS_PAGE / 4, OS_PAGE);
    }

    @Test
    void blocksOfAboutAnOsPageAreCarvedSeveralAtATimeWithinTheBudget() {
        long blockByteSize = OS_PAGE;
        long stride = strideOf(blockByteSize);
        long blocks = Math.min(Heap.MIN_CARVED_BLOCKS, Heap.MAX_CARVED_OS_PAGES * OS_PAGE / stride);
        assertCarves(blockByteSize, Bits.alignUp(blocks * stride, OS_PAGE));
    }

    @Test
    void blocksAboveTheBudgetAreCarvedOneAtATime() {
        long blockByteSize = 4 * OS_PAGE;
        assertCarves(blockByteSize, Bits.alignUp(strideOf(blockByteSize), OS_PAGE));
    }

    /**
     * Allocates one block of {@code blockByteSize} (a class size of the default table) once a
     * segment of its page size exists, and checks what the fresh page of its class committed;
     * then checks that the rest of the carved blocks come without touching more.
     */
    private static void assertCarves(long blockByteSize, long expectedByteSize) {
        try (Allocator allocator = TestEngines.create(TestEngines.Recipe.DEFAULT)) {
            allocator.free(allocator.allocate(neighbourOf(blockByteSize))); // maps a segment of its page size
            long before = allocator.stats().committedBytes();
            allocator.allocate(blockByteSize);
            long carved = allocator.stats().committedBytes() - before;
            assertEquals(expectedByteSize, carved, "committed by the first " + blockByteSize + "-byte block");
            long carvedBlocks = carved / strideOf(blockByteSize);
            for (long i = 1; i < carvedBlocks; i++) {
                allocator.allocate(blockByteSize);
            }
            assertEquals(before + carved, allocator.stats().committedBytes(),
                    "the " + carvedBlocks + " blocks carved at once touched more");
        }
    }
}
