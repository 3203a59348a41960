package io.tinyalloc.strategies;

import io.tinyalloc.spi.PageLookup;

/**
 * Finds a segment by clearing the low bits of an address: segments are aligned to their size,
 * so the start of the segment of any address inside it is {@code address & ~(segmentByteSize -
 * 1)}. Keeps no state beyond the mask, so {@link #register} and {@link #unregister} have nothing
 * to do and {@link #segmentOf} is safe from any thread.
 */
final class MaskingPageLookup implements PageLookup {

    private final long segmentByteSize;
    /** {@code ~(segmentByteSize - 1)}: clears the offset within a segment. */
    private final long segmentMask;

    /** @param segmentByteSize the engine's segment size, a power of two */
    MaskingPageLookup(long segmentByteSize) {
        if (segmentByteSize <= 0 || Long.bitCount(segmentByteSize) != 1) {
            throw new IllegalArgumentException("segmentByteSize: " + segmentByteSize
                    + " (expected: a positive power of two)");
        }
        this.segmentByteSize = segmentByteSize;
        this.segmentMask = ~(segmentByteSize - 1);
    }

    /** @return {@code segmentByteSize}: masking needs segments aligned to their size */
    @Override
    public long segmentByteAlignment(long segmentByteSize) {
        return segmentByteSize;
    }

    /** Does nothing: the address alone locates the segment. */
    @Override
    public void register(long segmentAddress, long byteSize) {
    }

    /** Does nothing: the address alone locates the segment. */
    @Override
    public void unregister(long segmentAddress, long byteSize) {
    }

    @Override
    public long segmentOf(long address) {
        return address & segmentMask;
    }

    @Override
    public String toString() {
        return "MaskingPageLookup[segmentByteSize=" + segmentByteSize + "]";
    }
}
