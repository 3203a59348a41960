package io.tinyalloc.bench.report;

import java.util.List;

/**
 * Every fork of one combination on one workload.
 *
 * @param workload the workload's name
 * @param combination the combination's label
 * @param forks the forks, in the order they ran
 */
public record Measurement(String workload, String combination, List<ForkResult> forks) {

    /** Keeps a copy of the forks. */
    public Measurement {
        forks = List.copyOf(forks);
    }

    /** @return the measured iterations of each fork */
    List<double[]> scores() {
        return forks.stream().map(ForkResult::nanosPerOp).toList();
    }
}
