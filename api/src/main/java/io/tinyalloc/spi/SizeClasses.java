package io.tinyalloc.spi;

/**
 * A table of size classes: the block sizes that small allocations are rounded up to.
 *
 * <p>Sizes are strictly ascending; the first may be 8 bytes, every other is a multiple of 16, so
 * that every block of 16 bytes or more is 16-byte aligned. The engine reads
 * the table once, when it starts, and builds its own lookup tables from it, so an
 * implementation need not be fast. Requests above the largest class are <em>large</em>: mapped
 * on their own.
 */
public interface SizeClasses {

    /**
     * Returns the number of classes.
     *
     * @return the number of classes, at least 1
     */
    int count();

    /**
     * Returns the block size of a class.
     *
     * @param sizeClass the class index, from 0 to {@code count() - 1}
     * @return the block size in bytes
     * @throws IndexOutOfBoundsException if {@code sizeClass} is out of range
     */
    long byteSize(int sizeClass);
}
