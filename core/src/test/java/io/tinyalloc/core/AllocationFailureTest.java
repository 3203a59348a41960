package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that cannot be satisfied fail with {@link AllocationFailedException} naming the size,
 * leave nothing behind, and leave the allocator usable. Sizes near {@code Long.MAX_VALUE} also
 * check that rounding a size up to a class, a page or an alignment cannot overflow into a small
 * block.
 */
class AllocationFailureTest {

    private Allocator allocator;

    @BeforeEach
    void createAllocator() {
        allocator = TestEngines.create();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {Long.MAX_VALUE / 2, Long.MAX_VALUE, Long.MAX_VALUE - 7, 1L << 62, 1L << 47})
    void anAbsurdSizeFailsWithTheSizeInTheMessageAndTheAllocatorStillWorks(long size) {
        AllocatorStats before = allocator.stats();
        assertFailsFor(size, () -> allocator.allocate(size), "allocate");
        assertFailsFor(size, () -> allocator.allocateZeroed(size), "allocateZeroed");
        assertFailsFor(size, () -> allocator.allocate(size, 4096), "allocate aligned");
        assertFailsFor(size, () -> allocator.allocateSegment(size, 16), "allocateSegment");
        assertFailsFor(size, () -> allocator.reallocate(0, size), "reallocate(0, n)");
        AllocatorStats after = allocator.stats();
        assertEquals(before.liveBlocks(), after.liveBlocks(), "failed allocations left blocks: " + after);
        assertEquals(before.liveBytes(), after.liveBytes(), "failed allocations left bytes: " + after);
        assertStillWorks();
    }

    @Test
    void aFailedReallocateLeavesTheOldBlockAsItWas() {
        long address = allocator.allocate(1000);
        Patterns.fill(address, 1000, 42);
        long huge = Long.MAX_VALUE / 2;
        assertFailsFor(huge, () -> allocator.reallocate(address, huge), "reallocate(block, n)");
        assertEquals(-1, Patterns.firstMismatch(address, 1000, 42), "the block changed");
        assertEquals(1, allocator.stats().liveBlocks());
        allocator.free(address);
        assertStillWorks();
    }

    @Test
    void aSizeNoMappingCanHonourFailsWithAnAlignmentToo() {
        long huge = Long.MAX_VALUE / 4;
        assertFailsFor(huge, () -> allocator.allocate(huge, 1L << 20), "allocate(2^61, 1 MiB)");
        assertStillWorks();
    }

    private static void assertFailsFor(long size, Executable call, String what) {
        AllocationFailedException e = assertThrows(AllocationFailedException.class, call, what + "(" + size + ")");
        assertEquals(size, e.requestedByteSize(), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(size)),
                what + " threw '" + e.getMessage() + "' (expected: a message that names " + size + ")");
    }

    private void assertStillWorks() {
        long small = allocator.allocate(64);
        long large = allocator.allocate(1 << 20);
        Patterns.fill(small, 64, 1);
        Patterns.fill(large, 1 << 20, 2);
        assertEquals(-1, Patterns.firstMismatch(small, 64, 1));
        allocator.free(small);
        allocator.free(large);
        assertEquals(0, allocator.stats().liveBlocks());
    }
}
