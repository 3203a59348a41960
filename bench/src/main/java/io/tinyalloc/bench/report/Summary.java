package io.tinyalloc.bench.report;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The figures of one combination on one workload, as the report shows them.
 *
 * @param workload the workload's name
 * @param combination the combination
 * @param nanosPerOp the median ns per operation over every measured iteration, with its interval
 * @param ratio the median's ratio to the reference combination's on the same workload, with its
 *        interval; {@code null} for the reference itself, or when it has no measurement there
 * @param verdict what the ratio's interval says; {@code null} when there is no ratio
 * @param memory the median over the forks of each memory figure
 * @param forkCount how many forks were measured
 */
public record Summary(String workload, Combination combination, Statistics.Estimate nanosPerOp,
        Statistics.Estimate ratio, Statistics.Verdict verdict, MemoryFigures memory, int forkCount) {

    static Summary of(Measurement measurement, Combination combination, Measurement reference) {
        Statistics.Estimate ratio = reference == null || reference == measurement ? null
                : Statistics.ratio(reference.scores(), measurement.scores());
        return new Summary(measurement.workload(), combination, Statistics.median(measurement.scores()), ratio,
                ratio == null ? null : Statistics.Verdict.of(ratio), medianMemory(measurement.forks()),
                measurement.forks().size());
    }

    private static MemoryFigures medianMemory(List<ForkResult> forks) {
        return new MemoryFigures(
                median(forks, fork -> fork.memory().peakCommittedBytes()),
                median(forks, fork -> fork.memory().settledCommittedBytes()),
                median(forks, fork -> fork.memory().rssPeakBytes()),
                median(forks, fork -> fork.memory().rssBytes()));
    }

    /** The median of the known figures, rounded down; unknown if none is. */
    private static long median(List<ForkResult> forks, ToLongFunction<ForkResult> figure) {
        double[] known = forks.stream().mapToLong(figure).filter(bytes -> bytes != MemoryFigures.UNKNOWN)
                .asDoubleStream().toArray();
        return known.length == 0 ? MemoryFigures.UNKNOWN : (long) Statistics.median(known);
    }
}
