package io.tinyalloc.config;

import java.util.concurrent.TimeUnit;

/**
 * Formats durations the way {@code tinyalloc.conf} writes them: {@code 10 ms}, {@code 1 s},
 * {@code 2 h}. The output parses back to the same number with Typesafe Config.
 */
final class Durations {

    /** From the largest unit to the smallest, each with the suffix Typesafe Config reads. */
    private static final TimeUnit[] UNITS = {TimeUnit.HOURS, TimeUnit.MINUTES, TimeUnit.SECONDS,
            TimeUnit.MILLISECONDS, TimeUnit.MICROSECONDS, TimeUnit.NANOSECONDS};
    private static final String[] SUFFIXES = {"h", "m", "s", "ms", "us", "ns"};

    private Durations() {
    }

    /**
     * Formats a duration in the largest unit that divides it exactly.
     *
     * @param nanos a duration in nanoseconds
     * @return the duration, for example {@code 10 ms}
     */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0 s";
        }
        for (int i = 0; i < UNITS.length; i++) {
            long unitNanos = UNITS[i].toNanos(1);
            if (nanos % unitNanos == 0) {
                return nanos / unitNanos + " " + SUFFIXES[i];
            }
        }
        throw new AssertionError("nanoseconds divide every duration");
    }
}
