package io.tinyalloc.bench.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.bench.alloc.AllocatorUnavailableException;
import io.tinyalloc.bench.alloc.BenchAllocator;
import io.tinyalloc.bench.alloc.BenchAllocators;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TraceReplayTest {

    static Stream<TraceTables.Row> traces() {
        return Stream.concat(ShippedTracesTest.shipped().stream(), ShippedTracesTest.shared().stream());
    }

    @ParameterizedTest
    @MethodSource("traces")
    void replaysThroughGlibc(TraceTables.Row row) throws AllocatorUnavailableException {
        replayChecked(row, BenchAllocators.GLIBC);
    }

    /** Fails until tinyalloc's engine is on the class path. */
    @ParameterizedTest
    @MethodSource("traces")
    void replaysThroughTinyAlloc(TraceTables.Row row) throws AllocatorUnavailableException {
        replayChecked(row, BenchAllocators.TINYALLOC);
    }

    private static void replayChecked(TraceTables.Row row, String allocatorName) throws AllocatorUnavailableException {
        Trace trace = TraceTables.read(row.file());
        try (BenchAllocator allocator = BenchAllocators.open(allocatorName)) {
            TraceReplay replay = new TraceReplay(trace, TraceReplay.Check.CONTENTS);

            TraceReplay.Result result = replay.run(allocator);

            assertEquals(trace.opCount(), result.ops());
            assertEquals(trace.stats().peakLiveBytes(), result.peakLiveBytes());
            assertEquals(trace.stats().neverFreed(), result.freedAtEnd());
            assertEquals(0, replay.liveBytes());
        }
    }

    @Test
    void cyclicReplayWrapsAroundAndFreesWhatTheProgramLeft() throws IOException, AllocatorUnavailableException {
        Trace trace = trace("--1-- malloc(8) = 0x1000", "--1-- malloc(16) = 0x2000", "--1-- free(0x1000)");
        try (CountingAllocator allocator = new CountingAllocator()) {
            TraceReplay replay = new TraceReplay(trace, TraceReplay.Check.CONTENTS);

            replay.runCyclic(allocator, 7);   // two full passes, then one operation

            assertEquals(List.of(8L, 16L, 8L, 16L, 8L), allocator.allocations);
            assertEquals(4, allocator.frees, "two frees from the trace, two of the block it left");
            assertEquals(1, replay.finish(allocator));
            assertEquals(0, allocator.live());
        }
    }

    @Test
    void detectsBlocksThatOverlap() throws IOException {
        Trace trace = trace("--1-- malloc(8) = 0x1000", "--1-- malloc(8) = 0x2000", "--1-- free(0x1000)");
        try (CountingAllocator sameBlockTwice = new CountingAllocator() {
            @Override
            public long allocate(long byteSize) {
                super.allocate(byteSize);
                return block;
            }
        }) {
            TraceReplay replay = new TraceReplay(trace, TraceReplay.Check.CONTENTS);

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> replay.run(sameBlockTwice));

            assertTrue(e.getMessage().contains("object 0 of test"), e.getMessage());
            assertTrue(e.getMessage().contains("was overwritten before operation 2 (free)"), e.getMessage());
        }
    }

    @Test
    void detectsAReallocationThatLosesContents() throws IOException {
        Trace trace = trace("--1-- malloc(8) = 0x1000", "--1-- realloc(0x1000,32) = 0x2000");
        try (CountingAllocator forgetful = new CountingAllocator() {
            @Override
            public long reallocate(long address, long byteSize) {
                long moved = allocate(byteSize);
                free(address);
                return moved;
            }
        }) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new TraceReplay(trace, TraceReplay.Check.CONTENTS).run(forgetful));

            assertTrue(e.getMessage().contains("before operation 1 (reallocate)"), e.getMessage());
        }
    }

    private static Trace trace(String... lines) throws IOException {
        return ValgrindTraceReader.read("test", "test.vg", new BufferedReader(new StringReader(String.join("\n", lines))));
    }
}
