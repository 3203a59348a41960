package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code limit}: past it an allocation throws {@link AllocationFailedException} and changes
 * nothing; freeing brings the allocator back under once the memory is given back, and
 * allocation resumes. Fails if {@link MemoryLimit} stops being taken or given back.
 */
class LimitTest {

    /** Two of the default recipe's 4 MiB segments. */
    private static final long LIMIT = 2 * TestEngines.Recipe.DEFAULT.segmentByteSize();
    private static final long SMALL = 256;
    /** More than half the limit: a second one does not fit beside it. */
    private static final long LARGE = 5 * MiB;

    @Test
    void smallAllocationsStopAtTheLimitAndResumeAfterFreeing() {
        try (Allocator allocator = CustomEngines.create("immediate", settings -> settings.withLimit(LIMIT))) {
            List<Long> blocks = fillUntilRefused(allocator, SMALL);
            long held = blocks.size() * SMALL;
            assertTrue(held > LIMIT / 2 && held <= LIMIT, "held " + held + " bytes under a limit of " + LIMIT);
            for (int i = 0; i < blocks.size(); i++) {
                assertEquals(i, NativeMemory.getLongPlain(blocks.get(i)), "a live block changed");
            }
            freeAll(allocator, blocks);
            List<Long> again = fillUntilRefused(allocator, SMALL);
            assertTrue(again.size() >= blocks.size() * 9 / 10, "after freeing, only " + again.size() + " blocks of "
                    + blocks.size() + " fit again");
            freeAll(allocator, again);
        }
    }

    @Test
    void largeAllocationsCountAndTheCacheMakesRoom() {
        try (Allocator allocator = CustomEngines.create("immediate", settings -> settings.withLimit(LIMIT))) {
            long first = allocator.allocate(LARGE);
            AllocationFailedException refused = assertThrows(AllocationFailedException.class,
                    () -> allocator.allocate(LARGE));
            assertTrue(refused.getMessage().contains("limit"), refused.getMessage());
            allocator.free(first);
            long second = allocator.allocate(LARGE);
            long third = allocator.allocate(LARGE / 2);
            allocator.free(second);
            allocator.free(third);
        }
    }

    @Test
    void noLimitByDefault() {
        try (Allocator allocator = CustomEngines.create(settings -> settings)) {
            long block = allocator.allocate(4 * LIMIT);
            allocator.free(block);
        }
    }

    private static List<Long> fillUntilRefused(Allocator allocator, long byteSize) {
        List<Long> blocks = new ArrayList<>();
        while (true) {
            long block;
            try {
                block = allocator.allocate(byteSize);
            } catch (AllocationFailedException e) {
                assertTrue(e.getMessage().contains("limit"), e.getMessage());
                return blocks;
            }
            NativeMemory.putLongPlain(block, blocks.size());
            blocks.add(block);
        }
    }

    private static void freeAll(Allocator allocator, List<Long> blocks) {
        for (long block : blocks) {
            allocator.free(block);
        }
        assertEquals(0, allocator.stats().liveBlocks());
    }
}
