package io.tinyalloc.config;

/**
 * Formats byte sizes the way {@code tinyalloc.conf} writes them: {@code 4 MiB}, {@code 96 KiB},
 * {@code 1000 B}. The output parses back to the same number with Typesafe Config.
 */
final class Sizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final int BITS_PER_UNIT = 10;

    private Sizes() {
    }

    /**
     * Formats a size in the largest binary unit that divides it exactly.
     *
     * @param byteSize a size in bytes
     * @return the size, for example {@code 64 KiB}
     */
    static String format(long byteSize) {
        if (byteSize == 0) {
            return "0 B";
        }
        int unit = 0;
        long value = byteSize;
        while (unit < UNITS.length - 1 && value % (1L << BITS_PER_UNIT) == 0) {
            value >>= BITS_PER_UNIT;
            unit++;
        }
        return value + " " + UNITS[unit];
    }
}
