package com.example.tinyalloc;

import io.tinyalloc.spi.SizeClasses;
import java.util.Objects;

/**
 * The powers of two from {@value #MIN_BYTE_SIZE} bytes: class {@code i} is {@code 16 << i}
 * bytes, so every block is 16-byte aligned, as the SPI requires.
 *
 * @param count the number of classes, at least 1
 */
record PowersOfTwoSizeClasses(int count) implements SizeClasses {

    /** The smallest class, in bytes: the alignment the SPI asks of every class but a first 8. */
    static final long MIN_BYTE_SIZE = 16;

    /** Checks the count. */
    PowersOfTwoSizeClasses {
        if (count < 1 || count > Long.numberOfLeadingZeros(MIN_BYTE_SIZE)) {
            throw new IllegalArgumentException("count: " + count + " (expected: from 1 to "
                    + Long.numberOfLeadingZeros(MIN_BYTE_SIZE) + ")");
        }
    }

    /**
     * Returns the table whose largest class is {@code maxByteSize}.
     *
     * @param maxByteSize a power of two, at least {@link #MIN_BYTE_SIZE}
     * @throws IllegalArgumentException if it is not
     */
    static PowersOfTwoSizeClasses upTo(long maxByteSize) {
        if (Long.bitCount(maxByteSize) != 1 || maxByteSize < MIN_BYTE_SIZE) {
            throw new IllegalArgumentException("maxByteSize: " + maxByteSize + " (expected: a power of two of at least "
                    + MIN_BYTE_SIZE + ")");
        }
        return new PowersOfTwoSizeClasses(Long.numberOfTrailingZeros(maxByteSize / MIN_BYTE_SIZE) + 1);
    }

    @Override
    public long byteSize(int sizeClass) {
        Objects.checkIndex(sizeClass, count);
        return MIN_BYTE_SIZE << sizeClass;
    }
}
