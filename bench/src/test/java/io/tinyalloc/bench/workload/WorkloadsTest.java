package io.tinyalloc.bench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

        assertEquals("unknown workload: batch-3 (expected one of: batch-64, batch-4k, batch-1m, batch-mixed,"
                + " or trace:NAME)", e.getMessage());
    }
}
