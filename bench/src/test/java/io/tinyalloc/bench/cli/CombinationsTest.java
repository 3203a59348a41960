package io.tinyalloc.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.bench.report.Combination;
import io.tinyalloc.bench.workload.Workload;
import io.tinyalloc.bench.workload.Workloads;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which workload runs on which combination: a thread-confined baseline sits out the cross-thread ones. */
class CombinationsTest {

    @Test
    void aThreadConfinedAllocatorSitsOutWorkloadsThatFreeInOtherThreadsWithANote() {
        Combinations.Resolved resolved = Combinations.resolve(List.of("tinyalloc", "baseline:arena"));
        Combination tinyalloc = resolved.available().get(0);
        Combination arena = resolved.available().get(1);
        Workload crossThread = Workloads.byName("larson-2t");
        Workload ownThread = Workloads.byName("larson-1t");
        Workload batch = Workloads.byName("batch-64");

        assertTrue(resolved.canRun(crossThread, tinyalloc));
        assertFalse(resolved.canRun(crossThread, arena));
        assertTrue(resolved.canRun(ownThread, arena));
        assertTrue(resolved.canRun(batch, arena));

        List<String> notes = resolved.pairsLeftOut(List.of(batch, crossThread, ownThread));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.getFirst().contains("larson-2t on baseline:arena"), notes.toString());
    }
}
