package io.tinyalloc.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void formatsRatiosAgainstTheBaselineOfTheSameWorkload() {
        List<Comparison.Row> rows = List.of(
                new Comparison.Row("batch-64", "tinyalloc", 5, 0.25, 1 << 20, "stats"),
                new Comparison.Row("batch-64", "baseline:glibc", 20, 1, 300 << 10, "mallinfo2"),
                new Comparison.Row("trace:gcc", "tinyalloc", 9, 0.5, 812, "stats"));

        assertEquals("""
                workload   allocator       ns/op    ±  vs glibc  peak committed
                batch-64   tinyalloc         5.0  0.3     0.25x         1.0 MiB
                batch-64   baseline:glibc   20.0  1.0     1.00x       300.0 KiB
                trace:gcc  tinyalloc         9.0  0.5         -           812 B
                """,
                ResultTable.format(rows, "baseline:glibc"));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3, Comparison.median(new double[] {9, 3, 1}));
        assertEquals(2.5, Comparison.median(new double[] {4, 1, 2, 3}));
        assertEquals(Double.NaN, Comparison.median(new double[0]));
    }
}
