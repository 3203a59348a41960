package io.tinyalloc.core;

/** Power-of-two arithmetic on sizes and addresses. */
final class Bits {

    private Bits() {
    }

    static boolean isPowerOfTwo(long value) {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /** Rounds {@code value} up to a multiple of {@code alignment}, a power of two. */
    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Rounds {@code value} down to a multiple of {@code alignment}, a power of two. */
    static long alignDown(long value, long alignment) {
        return value & -alignment;
    }

    static int log2(long powerOfTwo) {
        return Long.numberOfTrailingZeros(powerOfTwo);
    }

    /** Formats a byte count the way the configuration writes it: {@code 4 MiB}, {@code 24 B}. */
    static String formatBytes(long byteSize) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long value = byteSize;
        while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + " " + units[unit];
    }
}
