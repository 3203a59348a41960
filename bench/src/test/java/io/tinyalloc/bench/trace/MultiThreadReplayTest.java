package io.tinyalloc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.TracingAllocator;
import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.ForwardingBenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording of several threads replays on as many threads, with its cross-thread frees. */
class MultiThreadReplayTest {

    private static final int CYCLIC_WINDOW_OPS = 1000;
    private static final int CYCLIC_PASSES = 3;

    @TempDir
    static Path directory;

    private static Trace recorded;
    private static String recording;

    @BeforeAll
    static void record() throws Exception {
        Path file = directory.resolve("threads.trace");
        try (Allocator allocator = TracingAllocator.wrap(TinyAlloc.create(), file)) {
            recording = ThreadedRecording.record(allocator, System.nanoTime()).toString();
        }
        recorded = TraceLibrary.readFile(file);
    }

    @Test
    void replaysOnItsThreadsWithItsCrossThreadFrees() throws AllocatorUnavailableException {
        try (ThreadWatchingAllocator allocator = new ThreadWatchingAllocator(BenchAllocators.open(BenchAllocators.GLIBC))) {
            TraceReplay replay = new TraceReplay(recorded, TraceReplay.Check.CONTENTS);

            TraceReplay.Result result = replay.run(allocator);

            assertEquals(recorded.opCount(), result.ops(), recording);
            assertEquals(0, result.freedAtEnd(), recording);
            assertEquals(0, replay.liveBytes(), recording);
            assertEquals(ThreadedRecording.THREADS, replay.threadCount(), recording);
            assertEquals(ThreadedRecording.THREADS, allocator.threads.size(), "threads that called: " + recording);
            int expected = ThreadedRecording.crossThreadFrees(recorded);
            assertNotEquals(0, expected, "a recording without cross-thread frees tests nothing: " + recording);
            assertEquals(expected, allocator.crossThreadFrees.get(), recording);
        }
    }

    @Test
    void replaysCyclicallyThroughTinyAllocAndFinishes() throws AllocatorUnavailableException {
        try (BenchAllocator allocator = BenchAllocators.open(BenchAllocators.TINYALLOC)) {
            TraceReplay replay = new TraceReplay(recorded, TraceReplay.Check.CONTENTS);
            int ops = CYCLIC_PASSES * recorded.opCount() + CYCLIC_WINDOW_OPS / 2;

            for (int done = 0; done < ops; done += CYCLIC_WINDOW_OPS) {
                replay.runCyclic(allocator, Math.min(CYCLIC_WINDOW_OPS, ops - done));
            }
            assertTrue(replay.liveBytes() > 0, "half a window into a pass, blocks are live: " + recording);
            replay.finish(allocator);

            assertEquals(0, replay.liveBytes(), recording);
            assertEquals(recorded.opCount(), replay.run(allocator).ops(), "runs again after finish: " + recording);
        }
    }

    /** Remembers which thread allocated each block and counts frees by another thread. */
    private static final class ThreadWatchingAllocator extends ForwardingBenchAllocator {

        private final Map<Long, Thread> allocatedBy = new ConcurrentHashMap<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger crossThreadFrees = new AtomicInteger();

        ThreadWatchingAllocator(BenchAllocator allocator) {
            super(allocator);
        }

        private long allocated(long address) {
            threads.add(Thread.currentThread());
            allocatedBy.put(address, Thread.currentThread());
            return address;
        }

        @Override
        public long allocate(long byteSize) {
            return allocated(super.allocate(byteSize));
        }

        @Override
        public long allocateZeroed(long byteSize) {
            return allocated(super.allocateZeroed(byteSize));
        }

        @Override
        public long allocate(long byteSize, long byteAlignment) {
            return allocated(super.allocate(byteSize, byteAlignment));
        }

        @Override
        public long reallocate(long address, long byteSize) {
            allocatedBy.remove(address);
            return allocated(super.reallocate(address, byteSize));
        }

        @Override
        public void free(long address) {
            // Removed before the free: once freed, another thread may be given the address.
            if (allocatedBy.remove(address) != Thread.currentThread()) {
                crossThreadFrees.incrementAndGet();
            }
            super.free(address);
        }
    }
}
