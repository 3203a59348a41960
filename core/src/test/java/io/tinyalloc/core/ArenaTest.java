package io.tinyalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Allocator#ofConfined()} and {@link Allocator#ofShared()}: FFM arenas backed by the engine. */
class ArenaTest {

    private static final long[] SIZES = {1, 8, 100, 4096, 70_000, 2 << 20};
    private static final int SHARED_THREADS = 4;
    private static final int SEGMENTS_PER_THREAD = 200;

    private Allocator allocator;

    @BeforeEach
    void createAllocator() {
        allocator = TestEngines.create();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void segmentsAreZeroedAndBoundedEvenWhenTheirBlocksWereDirty() {
        dirtyAndFreeBlocksOf(SIZES);
        try (Arena arena = allocator.ofConfined()) {
            for (long size : SIZES) {
                MemorySegment segment = arena.allocate(size);
                assertEquals(size, segment.byteSize());
                assertEquals(-1, Patterns.firstNonZero(segment.address(), size), "segment of " + size);
                segment.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 1);
                assertThrows(IndexOutOfBoundsException.class, () -> segment.get(ValueLayout.JAVA_BYTE, size));
            }
        }
    }

    @Test
    void closingAConfinedArenaFreesEverySegmentAndKillsThem() {
        long liveBefore = allocator.stats().liveBlocks();
        List<MemorySegment> segments = new ArrayList<>();
        Arena arena = allocator.ofConfined();
        for (long size : SIZES) {
            segments.add(arena.allocate(size, 64));
        }
        assertEquals(liveBefore + SIZES.length, allocator.stats().liveBlocks());
        arena.close();
        assertEquals(liveBefore, allocator.stats().liveBlocks());
        for (MemorySegment segment : segments) {
            assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
        }
        assertThrows(IllegalStateException.class, () -> arena.allocate(16));
    }

    @Test
    void aConfinedArenaRefusesOtherThreads() throws Exception {
        try (Arena arena = allocator.ofConfined()) {
            MemorySegment segment = arena.allocate(64);
            CompletableFuture<Throwable> allocating = failureOf(() -> arena.allocate(64));
            CompletableFuture<Throwable> reading = failureOf(() -> segment.get(ValueLayout.JAVA_BYTE, 0));
            CompletableFuture<Throwable> closing = failureOf(arena::close);
            assertTrue(allocating.get() instanceof WrongThreadException, "allocate from another thread: " + allocating.get());
            assertTrue(reading.get() instanceof WrongThreadException, "read from another thread: " + reading.get());
            assertTrue(closing.get() instanceof WrongThreadException, "close from another thread: " + closing.get());
            assertEquals(1, allocator.stats().liveBlocks(), "a refused allocation must not leak a block");
        }
        assertEquals(0, allocator.stats().liveBlocks());
    }

    @Test
    void aSharedArenaTakesSegmentsFromManyThreadsAndFreesThemAllOnClose() throws Exception {
        Arena arena = allocator.ofShared();
        List<MemorySegment> segments;
        try (ExecutorService threads = Executors.newFixedThreadPool(SHARED_THREADS)) {
            List<Future<List<MemorySegment>>> work = new ArrayList<>();
            for (int t = 0; t < SHARED_THREADS; t++) {
                int thread = t;
                work.add(threads.submit(() -> allocateAndStamp(arena, thread)));
            }
            segments = new ArrayList<>();
            for (Future<List<MemorySegment>> future : work) {
                segments.addAll(future.get());
            }
        }
        assertEquals(SHARED_THREADS * SEGMENTS_PER_THREAD, allocator.stats().liveBlocks());
        for (MemorySegment segment : segments) {
            assertEquals(segment.byteSize(), segment.get(ValueLayout.JAVA_LONG_UNALIGNED, 0),
                    "a segment was overwritten by another thread's segment");
        }
        arena.close();
        assertEquals(0, allocator.stats().liveBlocks());
        assertThrows(IllegalStateException.class, () -> segments.getFirst().get(ValueLayout.JAVA_BYTE, 0));
    }

    private List<MemorySegment> allocateAndStamp(Arena arena, int thread) {
        List<MemorySegment> segments = new ArrayList<>();
        for (int i = 0; i < SEGMENTS_PER_THREAD; i++) {
            long size = Long.BYTES + (i * 37L + thread) % 1024;
            MemorySegment segment = arena.allocate(size);
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, size);
            segments.add(segment);
        }
        return segments;
    }

    private void dirtyAndFreeBlocksOf(long[] sizes) {
        for (long size : sizes) {
            long address = allocator.allocate(size);
            Patterns.at(address, allocator.usableSize(address)).fill((byte) 0xEE);
            allocator.free(address);
        }
    }

    /** Runs {@code action} on a new platform thread and returns what it threw, or null. */
    private static CompletableFuture<Throwable> failureOf(Runnable action) {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                action.run();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        return failure;
    }
}
