package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.KiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import io.tinyalloc.Allocator;
import io.tinyalloc.AllocatorStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Single-call properties over the whole size range, with QuickTheories: a failure prints the
 * smallest falsifying values and the seed ({@code -DQT_SEED=...} replays it). One allocator
 * serves every example, so that examples run on pages that earlier ones filled and emptied.
 */
class AllocatorPropertiesTest {

    private static final int EXAMPLES = 400;
    private static final byte DIRTY = (byte) 0xA5;

    private static Allocator allocator;

    @BeforeAll
    static void createAllocator() {
        allocator = TestEngines.create();
    }

    @AfterAll
    static void closeAllocator() {
        allocator.close();
    }

    @AfterEach
    void nothingLeaks() {
        AllocatorStats stats = allocator.stats();
        assertEquals(0, stats.liveBlocks(), "live blocks after the property: " + stats);
        assertEquals(0, stats.liveBytes(), "live bytes after the property: " + stats);
    }

    @Test
    void usableSizeIsAtLeastTheSizeAskedAndTheWholeOfItCanBeWritten() {
        qt().withExamples(EXAMPLES).forAll(Ops.byteSizes()).checkAssert(size -> {
            long address = allocator.allocate(size);
            long usable = allocator.usableSize(address);
            try {
                assertTrue(usable >= size, "usableSize " + usable + " < " + size);
                Patterns.fill(address, usable, size);
                assertEquals(-1, Patterns.firstMismatch(address, usable, size));
            } finally {
                allocator.free(address);
            }
        });
    }

    @Test
    void alignedAllocationsAreAlignedAsAsked() {
        int maxShift = Long.numberOfTrailingZeros(TestEngines.Recipe.DEFAULT.maxByteAlignment());
        Gen<Long> alignments = Generate.range(0, maxShift).map(shift -> 1L << shift);
        qt().withExamples(EXAMPLES).forAll(Generate.longRange(0, 64 * KiB), alignments).checkAssert((size, alignment) -> {
            long address = allocator.allocate(size, alignment);
            try {
                assertEquals(0, address % alignment, "allocate(" + size + ", " + alignment + ") = 0x"
                        + Long.toHexString(address));
                long usable = allocator.usableSize(address);
                assertTrue(usable >= size, "usableSize " + usable + " < " + size);
                Patterns.fill(address, usable, alignment);
            } finally {
                allocator.free(address);
            }
        });
    }

    @Test
    void reallocateKeepsTheCommonPrefix() {
        qt().withExamples(EXAMPLES).forAll(Ops.byteSizes(), Ops.byteSizes()).checkAssert((from, to) -> {
            long address = allocator.allocate(from);
            Patterns.fill(address, from, from);
            long moved = allocator.reallocate(address, to);
            try {
                long kept = Math.min(from, to);
                long mismatch = Patterns.firstMismatch(moved, kept, from);
                assertEquals(-1, mismatch, () -> "reallocate(" + from + " -> " + to + "): "
                        + Patterns.describeMismatch(moved, mismatch, from));
                assertTrue(allocator.usableSize(moved) >= to);
            } finally {
                allocator.free(moved);
            }
        });
    }

    @Test
    void reallocateToTheSameSizeKeepsEverything() {
        qt().withExamples(EXAMPLES / 4).forAll(Ops.byteSizes()).checkAssert(size -> {
            long address = allocator.allocate(size);
            Patterns.fill(address, size, ~size);
            long same = allocator.reallocate(address, size);
            try {
                assertEquals(-1, Patterns.firstMismatch(same, size, ~size));
            } finally {
                allocator.free(same);
            }
        });
    }

    @Test
    void allocateZeroedIsZeroEvenWhenItReusesADirtyBlock() {
        qt().withExamples(EXAMPLES).forAll(Ops.byteSizes()).checkAssert(size -> {
            long dirty = allocator.allocate(size);
            Patterns.at(dirty, allocator.usableSize(dirty)).fill(DIRTY);
            allocator.free(dirty);
            long address = allocator.allocateZeroed(size);
            try {
                long nonZero = Patterns.firstNonZero(address, size);
                assertEquals(-1, nonZero, "allocateZeroed(" + size + ") byte " + nonZero + " is not zero");
            } finally {
                allocator.free(address);
            }
        });
    }
}
