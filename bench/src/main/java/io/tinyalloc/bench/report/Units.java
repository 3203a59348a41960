package io.tinyalloc.bench.report;

import java.util.Locale;

/** How figures are written in the reports: binary byte units, ns with one decimal, ratios. */
public final class Units {

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final double BYTE_UNIT_STEP = 1024;
    /** Shown for a figure that is not known. */
    static final String UNKNOWN = "?";

    private Units() {
    }

    /**
     * @param bytes a byte count, or {@link MemoryFigures#UNKNOWN}
     * @return for example {@code 812 B}, {@code 3.4 MiB}, or {@value #UNKNOWN}
     */
    public static String bytes(long bytes) {
        if (bytes == MemoryFigures.UNKNOWN) {
            return UNKNOWN;
        }
        double value = bytes;
        int unit = 0;
        while (value >= BYTE_UNIT_STEP && unit < BYTE_UNITS.length - 1) {
            value /= BYTE_UNIT_STEP;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    /** @return ns with one decimal, such as {@code 12.3} */
    static String nanos(double nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos);
    }

    /** @return an interval of ns, such as {@code 12.1-12.6} */
    static String nanos(Statistics.Interval interval) {
        return nanos(interval.low()) + "-" + nanos(interval.high());
    }

    /** @return a ratio such as {@code 0.25x} */
    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.3fx", ratio);
    }

    /** @return an interval of ratios, such as {@code 0.241-0.262x} */
    static String ratio(Statistics.Interval interval) {
        return String.format(Locale.ROOT, "%.3f-%.3fx", interval.low(), interval.high());
    }
}
