package io.tinyalloc.bench.report;

/**
 * What one JMH fork measured.
 *
 * @param nanosPerOp the score of each measured iteration, in ns per operation
 * @param memory the fork's memory figures
 */
public record ForkResult(double[] nanosPerOp, MemoryFigures memory) {

    /** Keeps a copy of the scores. */
    public ForkResult {
        nanosPerOp = nanosPerOp.clone();
    }

    /** @return a copy of the scores */
    @Override
    public double[] nanosPerOp() {
        return nanosPerOp.clone();
    }
}
