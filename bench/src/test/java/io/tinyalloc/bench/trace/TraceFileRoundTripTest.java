package io.tinyalloc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.TracingAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link TracingAllocator} writes, {@link TraceLibrary#readFile} reads back as what was done. */
class TraceFileRoundTripTest {

    private static final int EXAMPLES = 100;
    private static final int MAX_SIZE_SHIFT = 20;
    private static final int MAX_ALIGNMENT_SHIFT = 12;

    @TempDir
    Path directory;

    @Test
    void randomCallsReadBackAsTheOperationsTheyWere() {
        qt().withExamples(EXAMPLES)
                .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(0, 400))
                .checkAssert(choices -> {
                    TraceBuilder expected = new TraceBuilder();
                    Trace read = recordAndRead(choices, expected);
                    assertSameOperations(expected.build("random"), read);
                });
    }

    /** Records the calls the choices stand for, and tells {@code expected} the same calls, as a log reader would. */
    private Trace recordAndRead(List<Integer> choices, TraceBuilder expected) {
        Path file = directory.resolve("random.trace");
        try (TracingAllocator tracer = TracingAllocator.wrap(new AddressAllocator(), file)) {
            List<Long> live = new ArrayList<>();
            for (int choice : choices) {
                call(tracer, choice, live, expected);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return TraceLibrary.readFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void call(Allocator allocator, int choice, List<Long> live, TraceBuilder expected) {
        long byteSize = (choice >>> 8) & ((1 << MAX_SIZE_SHIFT) - 1);
        int action = choice % 5;
        if (live.isEmpty() || action < 3) {
            long byteAlignment = 1L << ((choice >>> 3) % MAX_ALIGNMENT_SHIFT);
            long address;
            switch (action) {
                case 1 -> {
                    address = allocator.allocateZeroed(byteSize);
                    expected.allocate(0, TraceOp.ALLOCATE_ZEROED, byteSize, 0, address);
                }
                case 2 -> {
                    address = allocator.allocate(byteSize, byteAlignment);
                    expected.allocate(0, TraceOp.ALLOCATE_ALIGNED, byteSize, byteAlignment, address);
                }
                default -> {
                    address = allocator.allocate(byteSize);
                    expected.allocate(0, TraceOp.ALLOCATE, byteSize, 0, address);
                }
            }
            live.add(address);
            return;
        }
        int index = (choice >>> 3) % live.size();
        long address = live.get(index);
        if (action == 3) {
            long moved = allocator.reallocate(address, byteSize);
            expected.reallocate(0, address, byteSize, moved);
            live.set(index, moved);
        } else {
            allocator.free(address);
            expected.free(0, address);
            live.remove(index);
        }
    }

    static void assertSameOperations(Trace expected, Trace actual) {
        assertArrayEquals(expected.kinds(), actual.kinds(), "kinds");
        assertArrayEquals(expected.objectIds(), actual.objectIds(), "object ids");
        assertArrayEquals(expected.byteSizes(), actual.byteSizes(), "byte sizes");
        assertArrayEquals(expected.byteAlignments(), actual.byteAlignments(), "alignments");
        assertArrayEquals(expected.threadIndexes(), actual.threadIndexes(), "thread indexes");
        assertEquals(expected.threadCount(), actual.threadCount(), "threads");
    }

    /** Several real threads through the real allocator: each thread's calls come back in its order, on its index. */
    @Test
    void threadsOfARecordingAreItsThreads() throws Exception {
        Path file = directory.resolve("threads.trace");
        ThreadedRecording recording;
        try (Allocator allocator = TracingAllocator.wrap(TinyAlloc.create(), file)) {
            recording = ThreadedRecording.record(allocator, System.nanoTime());
        }

        Trace trace = TraceLibrary.readFile(file);

        assertEquals(ThreadedRecording.THREADS, trace.threadCount(), recording.toString());
        int[] opsPerThread = new int[trace.threadCount()];
        for (int thread : trace.threadIndexes()) {
            opsPerThread[thread]++;
        }
        Arrays.sort(opsPerThread);
        assertArrayEquals(recording.sortedCallCounts(), opsPerThread, recording.toString());
        assertEquals(0, trace.stats().neverFreed(), recording.toString());
        assertEquals(recording.crossThreadFrees(), ThreadedRecording.crossThreadFrees(trace), recording.toString());
    }
}
