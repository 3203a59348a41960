package io.tinyalloc.core;

import static io.tinyalloc.core.TestEngines.MiB;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import java.lang.foreign.Arena;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Misuse, detected with {@code checks = on} (the default): each mistake throws at the call that
 * makes it, names the address and what is wrong with it, and leaves the allocator fully usable.
 * Each test names the protection it guards; removing that protection from {@link BlockChecks},
 * {@code LargeBlocks.isLive} or {@code EngineAllocator} makes it fail.
 */
class MisuseTest {

    private static final long SMALL = 64;
    private static final long LARGE = 4 * MiB;
    /** Blocks allocated after a misuse, to show that no free list was corrupted by it. */
    private static final int BLOCKS_AFTER = 2_000;

    private Allocator allocator;

    @BeforeEach
    void createAllocator() {
        allocator = TestEngines.create();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    /** Guards the free-list check of {@link BlockChecks}: a block freed twice on its own thread. */
    @Test
    void doubleFreeOfASmallBlockIsReportedAndHarmless() {
        long block = allocator.allocate(SMALL);
        long neighbour = allocator.allocate(SMALL);
        allocator.free(block);
        assertMisuse(() -> allocator.free(block), block, "double free");
        allocator.free(neighbour);
        assertStillSound();
    }

    /** Guards the remote path's check: the second free comes from another thread. */
    @Test
    void doubleFreeFromAnotherThreadIsReported() throws Exception {
        long block = allocator.allocate(SMALL);
        allocator.free(block);
        IllegalArgumentException error = onOtherThread(() -> allocator.free(block));
        assertMessage(error, block, "double free");
        assertStillSound();
    }

    /** Guards the walk of the thread-free list: freed by another thread, then freed again. */
    @Test
    void secondRemoteFreeOfABlockIsReported() throws Exception {
        long block = allocator.allocate(SMALL);
        long keepsPageInUse = allocator.allocate(SMALL);
        assertEquals(null, onOtherThread(() -> allocator.free(block)));
        IllegalArgumentException error = onOtherThread(() -> allocator.free(block));
        assertMessage(error, block, "double free");
        assertMisuse(() -> allocator.free(block), block, "double free");
        allocator.free(keepsPageInUse);
        assertStillSound();
    }

    /** Guards {@code LargeBlocks.isLive}: a large block freed twice. */
    @Test
    void doubleFreeOfALargeBlockIsReported() {
        long block = allocator.allocate(LARGE);
        allocator.free(block);
        assertMisuse(() -> allocator.free(block), block, "double free");
        assertStillSound();
    }

    /** Guards the stride check of {@link SizeClassTable#isBlockStart}. */
    @Test
    void interiorPointerOfASmallBlockIsReportedWithTheBlock() {
        long block = allocator.allocate(SMALL);
        long interior = block + 16;
        IllegalArgumentException error = assertMisuse(() -> allocator.free(interior), interior, "interior pointer");
        assertTrue(error.getMessage().contains("0x" + Long.toHexString(block)), error.getMessage());
        allocator.free(block);
        assertStillSound();
    }

    /** Guards the block check of a large free. */
    @Test
    void interiorPointerOfALargeBlockIsReported() {
        long block = allocator.allocate(LARGE);
        assertMisuse(() -> allocator.free(block + 4096), block + 4096, "interior pointer");
        allocator.free(block);
        assertStillSound();
    }

    /** Guards the carving-point check: a block of a page in use that was never handed out. */
    @Test
    void blockNeverHandedOutIsReported() {
        long block = allocator.allocate(SMALL);
        long stride = allocator.usableSize(block);
        long notYetCarved = block + 512 * stride;
        assertMisuse(() -> allocator.free(notYetCarved), notYetCarved, "not a block this allocator returned");
        allocator.free(block);
        assertStillSound();
    }

    /** Guards the used-count check: an address in a page that holds no block. */
    @Test
    void addressInAnEmptyPageIsReported() {
        long block = allocator.allocate(SMALL);
        allocator.free(block);
        long otherClassBlock = allocator.allocate(1024);
        long elsewhere = otherClassBlock + 64 * 1024;
        assertThrows(IllegalArgumentException.class, () -> allocator.free(elsewhere));
        allocator.free(otherClassBlock);
        assertStillSound();
    }

    /** Guards the segment map: memory that is not this allocator's. */
    @Test
    void foreignAddressIsReported() {
        try (Arena arena = Arena.ofConfined()) {
            long foreign = arena.allocate(SMALL).address();
            assertMisuse(() -> allocator.free(foreign), foreign, "not an address this allocator returned");
        }
        assertStillSound();
    }

    /** Guards the search of the other open engines: a block freed through the wrong allocator. */
    @Test
    void blockOfAnotherAllocatorIsReportedAsSuch() {
        try (Allocator other = TestEngines.create()) {
            long block = other.allocate(SMALL);
            IllegalArgumentException error = assertMisuse(() -> allocator.free(block), block, "another allocator");
            assertTrue(error.getMessage().contains(other.toString()), error.getMessage());
            other.free(block);
        }
        assertStillSound();
    }

    /** Guards the liveness check that reallocate makes before it moves anything. */
    @Test
    void reallocateOfAFreedBlockIsReportedAndAllocatesNothing() {
        long block = allocator.allocate(SMALL);
        allocator.free(block);
        long liveBefore = allocator.stats().liveBlocks();
        assertMisuse(() -> allocator.reallocate(block, 4 * SMALL), block, "double free");
        assertEquals(liveBefore, allocator.stats().liveBlocks(), "reallocate allocated before it threw");
        assertStillSound();
    }

    /** Guards the liveness check of usableSize. */
    @Test
    void usableSizeOfAFreedBlockIsReported() {
        long block = allocator.allocate(SMALL);
        allocator.free(block);
        assertMisuse(() -> allocator.usableSize(block), block, "double free");
    }

    /** Guards {@code checkOpen}: the message names the block. */
    @Test
    void freeAfterCloseNamesTheAddress() {
        Allocator closing = TestEngines.create();
        long block = closing.allocate(SMALL);
        closing.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> closing.free(block));
        assertTrue(error.getMessage().contains("0x" + Long.toHexString(block)), error.getMessage());
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
    }

    /**
     * The one case where the O(1) test is unsure: a live block whose first word happens to decode
     * to a link into its page. The free lists are searched and the free goes through.
     */
    @Test
    void liveBlockThatLooksFreeIsFreedNormally() {
        EngineAllocator engine = (EngineAllocator) allocator;
        long block = allocator.allocate(SMALL);
        long neighbour = allocator.allocate(SMALL);
        long page = SegmentDescriptor.pageDescriptorOf(block & -TestEngines.Recipe.DEFAULT.segmentByteSize(), block);
        NativeMemory.putLongPlain(block, PageDescriptor.encodeLink(page, neighbour, engine.linkKey));
        assertDoesNotThrow(() -> allocator.free(block));
        NativeMemory.putLongPlain(neighbour, PageDescriptor.encodeLink(page, 0, engine.linkKey));
        assertDoesNotThrow(() -> allocator.free(neighbour));
        assertEquals(0, allocator.stats().liveBlocks());
        assertStillSound();
    }

    /** {@code checks = off} takes the checks away: the same double free goes unreported. */
    @Test
    void withChecksOffADoubleFreeIsNotReported() {
        try (Allocator unchecked = CustomEngines.create(settings -> settings.withChecks(false))) {
            long block = unchecked.allocate(SMALL);
            long other = unchecked.allocate(SMALL);
            unchecked.free(other);
            unchecked.free(block);
            assertDoesNotThrow(() -> unchecked.free(block));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static IllegalArgumentException assertMisuse(Executable call, long address, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        assertMessage(error, address, expected);
        return error;
    }

    private static void assertMessage(IllegalArgumentException error, long address, String expected) {
        assertTrue(error != null, "no exception");
        String message = error.getMessage();
        assertTrue(message.contains("0x" + Long.toHexString(address)), "address not named: " + message);
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
    }

    /** Runs a call on a new thread and returns what it threw, or null. */
    private static IllegalArgumentException onOtherThread(Runnable call) throws InterruptedException, ExecutionException {
        return CompletableFuture.supplyAsync(() -> {
            try {
                call.run();
                return null;
            } catch (IllegalArgumentException e) {
                return e;
            }
        }, runnable -> Thread.ofPlatform().start(runnable)).get();
    }

    /** Many allocations after a misuse are all distinct and writable, and free cleanly. */
    private void assertStillSound() {
        Set<Long> seen = new HashSet<>();
        long[] blocks = new long[BLOCKS_AFTER];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.allocate(SMALL);
            assertTrue(seen.add(blocks[i]), "handed out twice: 0x" + Long.toHexString(blocks[i]));
            NativeMemory.putLongPlain(blocks[i], i);
        }
        for (int i = 0; i < blocks.length; i++) {
            assertEquals(i, NativeMemory.getLongPlain(blocks[i]), "block overwritten");
            allocator.free(blocks[i]);
        }
        assertEquals(0, allocator.stats().liveBlocks(), "live blocks after freeing all");
    }
}
