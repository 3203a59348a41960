package io.tinyalloc.core;

import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryException;

/**
 * The segments of this engine: registers each one with the {@link PageLookup} strategy, and keeps
 * one bit per segment-size slot of the address space, set while a segment (or the start of a
 * large region) of this engine is there. {@code free} and friends check the bit before they read
 * a header, so that an address this allocator never returned, or one from another allocator, is
 * reported instead of read as metadata (which could crash the JVM). Segments and large regions
 * are aligned to at least the segment size, so a slot holds at most one of them.
 *
 * <p>The bitmap covers {@link #ADDRESS_BITS} bits of address space, the user space of x86-64 and
 * AArch64 Linux; it is reserved without being committed, so only the words for the address
 * ranges the engine uses become resident (4 MiB segments: 8 MiB reserved, a few pages used).
 * Bits change on slow paths with a CAS; the check is a plain load: a segment's bit is set before
 * any of its blocks is handed out and cleared only after the last one was freed, so a thread
 * that frees a block it got from this allocator always sees it set.
 */
final class SegmentMap {

    /** The address space covered: 256 TiB, all of user space. */
    static final int ADDRESS_BITS = NativeMemory.ADDRESS_BITS;

    private final PlatformMemory platform;
    private final PageLookup lookup;
    private final long segmentByteAlignment;
    private final int segmentShift;
    private final long bitmap;
    private final long bitmapByteSize;

    SegmentMap(PlatformMemory platform, PageLookup lookup, long segmentByteSize) {
        this.platform = platform;
        this.lookup = lookup;
        this.segmentByteAlignment = Math.max(lookup.segmentByteAlignment(segmentByteSize), segmentByteSize);
        this.segmentShift = Bits.log2(segmentByteSize);
        long slots = 1L << (ADDRESS_BITS - segmentShift);
        this.bitmapByteSize = Bits.alignUp(slots / Byte.SIZE, platform.pageByteSize());
        this.bitmap = platform.reserve(bitmapByteSize, platform.pageByteSize());
        platform.commit(bitmap, bitmapByteSize);
    }

    /** Returns whether {@code segment}, an address aligned to the segment size, is one of this engine's. */
    boolean containsPlain(long segment) {
        if (segment >>> ADDRESS_BITS != 0) {
            return false;
        }
        long slot = segment >>> segmentShift;
        // The shift takes the slot's low six bits, its bit in the word: no mask to compute.
        return (NativeMemory.getLongPlain(wordAddress(slot)) >>> slot & 1) != 0;
    }

    /** The alignment of every segment and large region: what the lookup needs, and at least a segment. */
    long segmentByteAlignment() {
        return segmentByteAlignment;
    }

    /**
     * Records a segment or a large region, before any of its blocks is handed out.
     *
     * @throws PlatformMemoryException if the region is not all in user space, where the engine's
     *         masks and this bitmap assume it is
     */
    void register(long segment, long byteSize) {
        if (segment >>> ADDRESS_BITS != 0 || segment + byteSize >>> ADDRESS_BITS != 0) {
            throw new PlatformMemoryException("the platform mapped 0x" + Long.toHexString(segment) + " (+"
                    + Bits.formatBytes(byteSize) + ") (expected: addresses below 2^" + ADDRESS_BITS
                    + ", in user space)", AllocationFailedException.NO_ERRNO);
        }
        lookup.register(segment, lookupByteSize(byteSize));
        add(segment);
    }

    /** Forgets a segment or a large region, after its last block was freed and before it is unmapped. */
    void unregister(long segment, long byteSize) {
        remove(segment);
        lookup.unregister(segment, lookupByteSize(byteSize));
    }

    /**
     * The part of a region the lookup is told about: a segment whole, and only the first
     * segment-size slot of a large region, where its block starts (at most half a segment in),
     * so that a lookup that maps every slot (radix) pays for one slot, not for the region's size
     * (a 32 TiB region would otherwise take 512 MiB of map with 512 KiB segments).
     */
    private long lookupByteSize(long byteSize) {
        return Math.min(byteSize, segmentByteAlignment);
    }

    private void add(long segment) {
        long slot = segment >>> segmentShift;
        long word = wordAddress(slot);
        long bits;
        do {
            bits = NativeMemory.getLongVolatile(word);
        } while (!NativeMemory.casLong(word, bits, bits | bit(slot)));
    }

    private void remove(long segment) {
        long slot = segment >>> segmentShift;
        long word = wordAddress(slot);
        long bits;
        do {
            bits = NativeMemory.getLongVolatile(word);
        } while (!NativeMemory.casLong(word, bits, bits & ~bit(slot)));
    }

    private long wordAddress(long slot) {
        return bitmap + (slot >>> 6) * Long.BYTES;
    }

    private static long bit(long slot) {
        return 1L << (slot & (Long.SIZE - 1));
    }

    /** Gives the bitmap back. Only for {@code close()}. */
    void release() {
        platform.release(bitmap, bitmapByteSize);
    }
}
