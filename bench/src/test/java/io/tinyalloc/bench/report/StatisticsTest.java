package io.tinyalloc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    private static final long SEED = 42;
    private static final int FORKS = 5;
    private static final int ITERATIONS = 10;

    /** Forks around {@code center}: each fork shifted by up to 2 %, iterations within it by up to 1 %. */
    private static List<double[]> measurement(double center, SplittableRandom random) {
        List<double[]> forks = new ArrayList<>();
        for (int f = 0; f < FORKS; f++) {
            double forkCenter = center * (1 + 0.02 * (random.nextDouble() * 2 - 1));
            double[] iterations = new double[ITERATIONS];
            for (int i = 0; i < ITERATIONS; i++) {
                iterations[i] = forkCenter * (1 + 0.01 * (random.nextDouble() * 2 - 1));
            }
            forks.add(iterations);
        }
        return forks;
    }

    @Test
    void aTenPercentFasterMeasurementIsCalledFaster() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<double[]> a = measurement(100, random);
        List<double[]> b = measurement(90, random);

        Statistics.Estimate ratio = Statistics.ratio(a, b);

        assertTrue(ratio.interval().contains(ratio.value()), ratio.toString());
        assertTrue(ratio.interval().high() < 1, ratio.toString());
        assertEquals(Statistics.Verdict.FASTER, Statistics.Verdict.of(ratio), "seed " + SEED + ": " + ratio);
        assertEquals(Statistics.Verdict.SLOWER, Statistics.Verdict.of(Statistics.ratio(b, a)), "seed " + SEED);
    }

    @Test
    void twoMeasurementsOfTheSameThingShowNoSignificantDifference() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<double[]> a = measurement(100, random);
        List<double[]> b = measurement(100, random);

        Statistics.Estimate ratio = Statistics.ratio(a, b);

        assertTrue(ratio.interval().contains(1), ratio.toString());
        assertEquals(Statistics.Verdict.NO_SIGNIFICANT_DIFFERENCE, Statistics.Verdict.of(ratio), "seed " + SEED + ": " + ratio);
    }

    @Test
    void medianIntervalHoldsTheMedianAndLiesWithinTheData() {
        List<double[]> forks = List.of(new double[] {10, 11, 12}, new double[] {13, 14, 15});

        Statistics.Estimate median = Statistics.median(forks);

        assertEquals(12.5, median.value());
        assertTrue(median.interval().contains(12.5), median.toString());
        assertTrue(median.interval().low() >= 10 && median.interval().high() <= 15, median.toString());
    }

    @Test
    void theSameMeasurementsGiveTheSameInterval() {
        List<double[]> forks = measurement(50, new SplittableRandom(SEED));

        assertEquals(Statistics.median(forks), Statistics.median(forks));
    }

    @Test
    void identicalConstantMeasurementsHaveARatioOfExactlyOne() {
        List<double[]> constant = List.of(new double[] {7, 7}, new double[] {7, 7});

        Statistics.Estimate ratio = Statistics.ratio(constant, constant);

        assertEquals(new Statistics.Estimate(1, new Statistics.Interval(1, 1)), ratio);
        assertEquals(Statistics.Verdict.NO_SIGNIFICANT_DIFFERENCE, Statistics.Verdict.of(ratio));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3, Statistics.median(new double[] {9, 3, 1}));
        assertEquals(2.5, Statistics.median(new double[] {4, 1, 2, 3}));
        assertEquals(Double.NaN, Statistics.median(new double[0]));
    }

    @Test
    void aForkWithoutIterationsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Statistics.median(List.of(new double[] {1}, new double[0])));
        assertTrue(e.getMessage().contains("expected: at least one fork"), e.getMessage());
    }
}
