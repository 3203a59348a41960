package io.tinyalloc.bench.report;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Medians, their 95 % confidence intervals and the ratio of two medians with its interval, by a
 * two-level percentile bootstrap over JMH forks and their measured iterations.
 *
 * <p>Why two levels: iterations of one fork share that JVM's JIT decisions and memory layout, so
 * they vary less among themselves than forks do. Each resample draws forks with replacement, then
 * iterations with replacement within each drawn fork, and takes the median of what it drew; the
 * interval is the 2.5th to 97.5th percentile of {@value #RESAMPLES} such medians. With one fork
 * only the iterations are resampled, and the interval leaves out the fork-to-fork variation.
 *
 * <p>The ratio of B to A resamples both independently and takes the percentiles of the ratio of
 * their medians. A {@link Verdict} other than {@link Verdict#NO_SIGNIFICANT_DIFFERENCE} is given
 * only when that interval excludes 1.
 *
 * <p>The random generator has a fixed seed: the same measurements always give the same intervals.
 */
public final class Statistics {

    /** Bootstrap resamples per interval: enough for stable 2.5 % and 97.5 % percentiles. */
    static final int RESAMPLES = 4_000;
    /** The confidence level of every interval. */
    public static final double CONFIDENCE = 0.95;
    /** The seed of the bootstrap: fixed, so that a report can be recomputed exactly. */
    static final long SEED = 0x5EED_7A11L;

    private static final double LOWER_QUANTILE = (1 - CONFIDENCE) / 2;
    private static final double UPPER_QUANTILE = 1 - LOWER_QUANTILE;

    private Statistics() {
    }

    /**
     * An interval of values.
     *
     * @param low the lower bound
     * @param high the upper bound, at least {@code low}
     */
    public record Interval(double low, double high) {

        /**
         * @param value a value
         * @return whether the interval holds it, its bounds included
         */
        public boolean contains(double value) {
            return low <= value && value <= high;
        }
    }

    /**
     * A point estimate with its confidence interval.
     *
     * @param value the estimate: a median, or a ratio of medians
     * @param interval the {@value #CONFIDENCE} confidence interval
     */
    public record Estimate(double value, Interval interval) {
    }

    /** What a ratio's interval says about B against A, time being measured (lower is faster). */
    public enum Verdict {
        /** The whole interval of B / A is below 1. */
        FASTER("faster"),
        /** The whole interval of B / A is above 1. */
        SLOWER("slower"),
        /** The interval holds 1. */
        NO_SIGNIFICANT_DIFFERENCE("no significant difference");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        /**
         * @param ratio B / A with its interval
         * @return the verdict that interval supports
         */
        public static Verdict of(Estimate ratio) {
            if (ratio.interval().high() < 1) {
                return FASTER;
            }
            return ratio.interval().low() > 1 ? SLOWER : NO_SIGNIFICANT_DIFFERENCE;
        }

        /** @return the verdict as the report prints it */
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Estimates the median of a measurement.
     *
     * @param forks the measured iterations of each fork, at least one fork with at least one value
     * @return the median of all iterations, with its bootstrap interval
     * @throws IllegalArgumentException if there is no value
     */
    public static Estimate median(List<double[]> forks) {
        checkNotEmpty(forks);
        SplittableRandom random = new SplittableRandom(SEED);
        double[] medians = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            medians[i] = resampledMedian(forks, random);
        }
        return new Estimate(median(pooled(forks)), percentileInterval(medians));
    }

    /**
     * Estimates the ratio of the median of B to the median of A.
     *
     * @param a the forks of the reference measurement
     * @param b the forks of the measurement compared with it
     * @return median(B) / median(A), with its bootstrap interval
     * @throws IllegalArgumentException if either has no value
     */
    public static Estimate ratio(List<double[]> a, List<double[]> b) {
        checkNotEmpty(a);
        checkNotEmpty(b);
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            ratios[i] = resampledMedian(b, random) / resampledMedian(a, random);
        }
        return new Estimate(median(pooled(b)) / median(pooled(a)), percentileInterval(ratios));
    }

    /**
     * @param values any values; not changed
     * @return their median, the mean of the middle two for an even count; NaN for none
     */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sortedMedian(sorted);
    }

    private static double resampledMedian(List<double[]> forks, SplittableRandom random) {
        double[][] drawn = new double[forks.size()][];
        int total = 0;
        for (int f = 0; f < drawn.length; f++) {
            drawn[f] = forks.get(random.nextInt(forks.size()));
            total += drawn[f].length;
        }
        double[] sample = new double[total];
        int next = 0;
        for (double[] fork : drawn) {
            for (int i = 0; i < fork.length; i++) {
                sample[next++] = fork[random.nextInt(fork.length)];
            }
        }
        Arrays.sort(sample);
        return sortedMedian(sample);
    }

    private static Interval percentileInterval(double[] estimates) {
        Arrays.sort(estimates);
        return new Interval(quantile(estimates, LOWER_QUANTILE), quantile(estimates, UPPER_QUANTILE));
    }

    /** The linear interpolation between the closest ranks (the "type 7" quantile of R and NumPy). */
    private static double quantile(double[] sorted, double probability) {
        double rank = probability * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    private static double sortedMedian(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double[] pooled(List<double[]> forks) {
        return forks.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    private static void checkNotEmpty(List<double[]> forks) {
        if (forks.isEmpty() || forks.stream().anyMatch(fork -> fork.length == 0)) {
            throw new IllegalArgumentException("a measurement of " + forks.size()
                    + " forks with an empty one (expected: at least one fork, each with at least one iteration)");
        }
    }
}
