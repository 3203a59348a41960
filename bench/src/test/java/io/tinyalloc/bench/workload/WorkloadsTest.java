package io.tinyalloc.bench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.bench.trace.TraceLibrary;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadsTest {

    @Test
    void defaultsAreTheFourBatchesAndTheGccTrace() {
        assertEquals(List.of("batch-64", "batch-4k", "batch-1m", "batch-mixed", "trace:gcc"),
                Workloads.defaults().stream().map(Workload::name).toList());
    }

    @Test
    void fixedBatchesAskForOneSize() {
        assertTrue(Arrays.stream(Workloads.batch("batch-4k").byteSizes()).allMatch(size -> size == 4096));
        assertEquals(BatchWorkload.BATCH_SIZE, Workloads.batch("batch-1m").byteSizes().length);
    }

    @Test
    void mixedSizesAreMostlySmallAndTheSameEveryRun() {
        int[] sizes = Workloads.batch("batch-mixed").byteSizes();

        assertArrayEquals(sizes, BatchWorkload.mixed("again").byteSizes(), "fixed seed " + BatchWorkload.MIXED_SEED);
        long small = Arrays.stream(sizes).filter(size -> size <= 512).count();
        assertTrue(small > 850 && small < 950, small + " small sizes out of 1000");
        assertTrue(Arrays.stream(sizes).max().getAsInt() > 8192, "some large sizes");
        assertTrue(Arrays.stream(sizes).allMatch(size -> size >= 8 && size <= 64 << 10));
    }

    @Test
    void traceWorkloadsSelectTheirTraceInTheReplayBenchmark() {
        Workload workload = Workloads.byName("trace:jq");

        assertEquals(new TraceWorkload("jq"), workload);
        assertEquals(Map.of("trace", "jq"), workload.jmhParameters());
        assertEquals("io.tinyalloc.bench.TraceReplayBenchmark.replay", workload.jmhBenchmark());
    }

    @Test
    void unknownWorkloadListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.byName("batch-3"));

        assertTrue(e.getMessage().startsWith("unknown workload: batch-3 (expected one of: batch-64, batch-4k, batch-1m,"
                + " batch-mixed, larson-1t, larson-2t, "), e.getMessage());
        assertTrue(e.getMessage().contains(", vthreads-2k; PATTERN-Nt for N threads, 1 to 256; or trace:NAME)"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"larson-0t", "larson-257t", "larson-02t", "larson-t", "vthreads-2t", "larson-2"})
    void badThreadCountsAreUnknown(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.byName(name));

        assertTrue(e.getMessage().startsWith("unknown workload: " + name + " ("), e.getMessage());
    }

    @Test
    void everyPatternRunsOnOneAndTwoThreadsAndVirtualThreads() {
        List<String> names = Workloads.threaded().stream().map(Workload::name).toList();

        for (String pattern : List.of("larson", "xmalloc-test", "cache-scratch", "alloc-test", "mstress", "sh6bench")) {
            assertTrue(names.contains(pattern + "-1t") && names.contains(pattern + "-2t"), pattern + " in " + names);
        }
        assertTrue(names.contains("vthreads-2k"), names.toString());
    }

    @Test
    void everyWorkloadResolvesByItsNameAndSelectsItselfInItsBenchmark() {
        for (Workload workload : Workloads.all(TraceLibrary.ofRepository())) {
            assertEquals(workload, Workloads.byName(workload.name()));
            assertEquals(workload.name(), workload.jmhParameters().getOrDefault("workload",
                    TraceWorkload.PREFIX + workload.jmhParameters().get("trace")));
            assertFalse(workload.description().isBlank(), workload.name());
            assertFalse(workload.description().contains("\n"), workload.name());
        }
    }

    @Test
    void anyThreadCountUpToTheMaximumRuns() {
        ThreadedWorkload larson = Workloads.threaded("larson-5t");

        assertEquals(5, larson.threads());
        assertEquals("io.tinyalloc.bench.ThreadedBenchmark.round", larson.jmhBenchmark());
        assertEquals(Map.of("workload", "larson-5t"), larson.jmhParameters());
        assertTrue(larson.description().contains("5 threads"), larson.description());
    }

    @Test
    void aBatchIsNotThreaded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.threaded("batch-64"));

        assertTrue(e.getMessage().startsWith("batch-64 is not a threaded workload (expected one of: larson-1t, "), e.getMessage());
    }
}
