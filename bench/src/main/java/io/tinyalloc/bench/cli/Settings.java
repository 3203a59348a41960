package io.tinyalloc.bench.cli;

import java.util.Locale;

/**
 * How long JMH measures each combination on each workload.
 *
 * <p>{@link #DEFAULT} is chosen to call a 5 % difference. On this project's batch and replay
 * workloads the medians of forks of the same combination differ by 1 to 3 % (JIT decisions and
 * memory layout change per JVM), and iterations within a fork by less. The interval of a ratio
 * comes mostly from the forks: with 5 forks of 10 iterations each per combination, the
 * two-level bootstrap's 95 % interval of a ratio is about ±2 to 3 % wide on a quiet machine, so
 * a true 5 % difference lies outside an interval around 1. Warm-up: 3 iterations of 500 ms
 * bring C2 to its steady state on these loops. One fork with these settings takes about 5 s,
 * its JVM's start included.
 *
 * <p>{@link #QUICK} runs one fork per combination with short iterations: about 3 s per fork, so
 * the default comparison (2 combinations, 5 workloads) takes about half a minute. Its intervals
 * leave out the fork-to-fork variation, and the report says so.
 *
 * @param forks forks per combination and workload
 * @param warmupIterations iterations before measuring, in each fork
 * @param warmupMillis the length of each warm-up iteration
 * @param measurementIterations iterations measured, in each fork
 * @param measurementMillis the length of each measured iteration
 */
record Settings(int forks, int warmupIterations, long warmupMillis, int measurementIterations, long measurementMillis) {

    /** Forks per combination and workload by default. */
    static final int DEFAULT_FORKS = 5;
    /** Tight enough to call a 5 % difference. */
    static final Settings DEFAULT = new Settings(DEFAULT_FORKS, 3, 500, 10, 200);
    /** About a minute for the default comparison; intervals without fork-to-fork variation. */
    static final Settings QUICK = new Settings(1, 2, 250, 5, 150);

    /** The most forks accepted: past it a run takes hours. */
    static final int MAX_FORKS = 100;

    /**
     * @param forks the new fork count
     * @return these settings with another fork count
     */
    Settings withForks(int forks) {
        return new Settings(forks, warmupIterations, warmupMillis, measurementIterations, measurementMillis);
    }

    /** @return the settings, one line, for the reports */
    String describe() {
        return String.format(Locale.ROOT,
                "JMH: %d fork%s per combination and workload, interleaved; %d x %d ms warm-up, %d x %d ms measured",
                forks, forks == 1 ? "" : "s", warmupIterations, warmupMillis, measurementIterations, measurementMillis);
    }
}
