package io.tinyalloc.strategies;

import io.tinyalloc.spi.SizeClasses;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable table of size classes: either {@linkplain #geometric geometric} (8 bytes, then
 * every {@value #QUANTUM_BYTE_SIZE} bytes up to {@value #GEOMETRIC_START_BYTE_SIZE}, then a fixed
 * number of classes per doubling) or {@linkplain #of listed} one by one.
 *
 * <p>Within the doubling from {@code 2^k} to {@code 2^(k+1)}, class {@code i} (1 to n) is
 * {@code 2^k + i * 2^k / n}, rounded up to a multiple of the quantum, and skipped if rounding
 * made it equal to the class before (which happens only when {@code 2^k / n} is below the
 * quantum: never for the built-in tables, whose {@code n} is at most 8). A class serves requests
 * from one byte above the class before up to itself, so the waste, {@code (block - request) /
 * block}, stays below {@code 1 / (n + 1)} above {@value #GEOMETRIC_START_BYTE_SIZE} bytes: the
 * worst case is a request of {@code 2^k + 1} in a block of {@code 2^k + 2^k / n}.
 */
final class SizeClassTable implements SizeClasses {

    /** The smallest class: the smallest block that holds a free-list link. */
    static final long MIN_BYTE_SIZE = 8;
    /** The step of the linear classes, and what every class above the first is a multiple of. */
    static final long QUANTUM_BYTE_SIZE = 16;
    /** The last linear class, where the classes start to grow geometrically. */
    static final long GEOMETRIC_START_BYTE_SIZE = 128;

    private final String name;
    private final long[] byteSizes;

    private SizeClassTable(String name, long[] byteSizes) {
        this.name = name;
        this.byteSizes = byteSizes;
    }

    /**
     * Builds the table up to {@code maxByteSize}, included.
     *
     * @param name the name of the table, for {@link #toString()}
     * @param classesPerDoubling how many classes each doubling above
     *        {@value #GEOMETRIC_START_BYTE_SIZE} bytes has
     * @param maxByteSize the largest class: a power of two of at least
     *        {@value #GEOMETRIC_START_BYTE_SIZE}
     */
    static SizeClassTable geometric(String name, int classesPerDoubling, long maxByteSize) {
        if (Long.bitCount(maxByteSize) != 1 || maxByteSize < GEOMETRIC_START_BYTE_SIZE) {
            throw new IllegalArgumentException("maxByteSize: " + maxByteSize
                    + " (expected: a power of two of at least " + GEOMETRIC_START_BYTE_SIZE + ")");
        }
        long[] byteSizes = new long[maxCount(classesPerDoubling, maxByteSize)];
        int count = 0;
        byteSizes[count++] = MIN_BYTE_SIZE;
        for (long byteSize = QUANTUM_BYTE_SIZE; byteSize <= GEOMETRIC_START_BYTE_SIZE; byteSize += QUANTUM_BYTE_SIZE) {
            byteSizes[count++] = byteSize;
        }
        for (long doubling = GEOMETRIC_START_BYTE_SIZE; doubling < maxByteSize; doubling <<= 1) {
            for (int i = 1; i <= classesPerDoubling; i++) {
                long byteSize = roundUpToQuantum(doubling + i * doubling / classesPerDoubling);
                if (byteSize > byteSizes[count - 1]) {
                    byteSizes[count++] = byteSize;
                }
            }
        }
        return new SizeClassTable(name, Arrays.copyOf(byteSizes, count));
    }

    /**
     * Builds a table of the given classes.
     *
     * @param name the name of the table, for {@link #toString()}
     * @param byteSizes the classes: at least one, strictly ascending, the first {@value #MIN_BYTE_SIZE}
     *        or a multiple of {@value #QUANTUM_BYTE_SIZE}, every other a multiple of
     *        {@value #QUANTUM_BYTE_SIZE}; copied
     * @throws IllegalArgumentException if they are not
     */
    static SizeClassTable of(String name, long... byteSizes) {
        if (byteSizes.length == 0) {
            throw new IllegalArgumentException("byteSizes: [] (expected: at least one class)");
        }
        long previous = 0;
        for (long byteSize : byteSizes) {
            if (byteSize <= previous || byteSize != alignedByteSize(byteSize)) {
                throw new IllegalArgumentException("byteSizes: " + Arrays.toString(byteSizes) + " (expected: ascending, "
                        + MIN_BYTE_SIZE + " or multiples of " + QUANTUM_BYTE_SIZE + ")");
            }
            previous = byteSize;
        }
        return new SizeClassTable(name, byteSizes.clone());
    }

    /**
     * Returns the smallest class size that holds {@code byteSize} bytes with the alignment every
     * table must give: {@value #MIN_BYTE_SIZE} up to {@value #MIN_BYTE_SIZE} bytes, a multiple of
     * {@value #QUANTUM_BYTE_SIZE} above.
     */
    static long alignedByteSize(long byteSize) {
        return byteSize <= MIN_BYTE_SIZE ? MIN_BYTE_SIZE : roundUpToQuantum(byteSize);
    }

    /** The number of classes before rounding removes any duplicate. */
    private static int maxCount(int classesPerDoubling, long maxByteSize) {
        int linearCount = 1 + (int) (GEOMETRIC_START_BYTE_SIZE / QUANTUM_BYTE_SIZE);
        int doublings = Long.numberOfTrailingZeros(maxByteSize) - Long.numberOfTrailingZeros(GEOMETRIC_START_BYTE_SIZE);
        return linearCount + doublings * classesPerDoubling;
    }

    private static long roundUpToQuantum(long byteSize) {
        return (byteSize + QUANTUM_BYTE_SIZE - 1) & -QUANTUM_BYTE_SIZE;
    }

    @Override
    public int count() {
        return byteSizes.length;
    }

    @Override
    public long byteSize(int sizeClass) {
        return byteSizes[Objects.checkIndex(sizeClass, byteSizes.length)];
    }

    /** @return for example {@code "jemalloc size classes: 45 classes from 8 to 65536 bytes"} */
    @Override
    public String toString() {
        return name + " size classes: " + byteSizes.length + " classes from " + byteSizes[0] + " to "
                + byteSizes[byteSizes.length - 1] + " bytes";
    }
}
