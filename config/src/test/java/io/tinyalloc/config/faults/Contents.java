package io.tinyalloc.config.faults;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fills a block with a pattern made from its serial number, and finds the first byte that
 * differs from it: a live block whose pattern changed was written by someone else (an
 * overlapping block, a free-list link, memory given back under a live block).
 *
 * <p>The pattern of serial {@code s}: its first {@value #SERIAL_BYTES} bytes hold {@code s}, every
 * later byte holds {@link #tag(long) tag(s)}, which is never zero, so that a block that was
 * decommitted under the program (and reads as zero) never passes.
 */
final class Contents {

    static final int SERIAL_BYTES = Long.BYTES;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Contents() {
    }

    @SuppressWarnings("restricted")
    private static MemorySegment at(long address, long byteSize) {
        return MemorySegment.ofAddress(address).reinterpret(byteSize);
    }

    /** Writes the pattern of {@code serial} over {@code byteSize} bytes at {@code address}. */
    static void fill(long address, long byteSize, long serial) {
        MemorySegment block = at(address, byteSize);
        for (int i = 0; i < Math.min(SERIAL_BYTES, byteSize); i++) {
            block.set(ValueLayout.JAVA_BYTE, i, serialByte(serial, i));
        }
        if (byteSize > SERIAL_BYTES) {
            block.asSlice(SERIAL_BYTES).fill(tag(serial));
        }
    }

    /**
     * Returns the offset of the first of {@code byteSize} bytes at {@code address} that does not
     * hold the pattern of {@code serial}, or -1 if all do.
     */
    static long firstMismatch(long address, long byteSize, long serial) {
        MemorySegment block = at(address, byteSize);
        for (int i = 0; i < Math.min(SERIAL_BYTES, byteSize); i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != serialByte(serial, i)) {
                return i;
            }
        }
        return firstDifferentFrom(block, SERIAL_BYTES, tag(serial));
    }

    /** Returns the offset of the first of {@code byteSize} bytes at {@code address} that is not zero, or -1. */
    static long firstNonZero(long address, long byteSize) {
        return firstDifferentFrom(at(address, byteSize), 0, (byte) 0);
    }

    private static byte tag(long serial) {
        byte tag = (byte) ((serial * GOLDEN_GAMMA) >>> (Long.SIZE - Byte.SIZE));
        return tag == 0 ? 1 : tag;
    }

    private static byte serialByte(long serial, int index) {
        return (byte) (serial >>> (Byte.SIZE * index));
    }

    private static long firstDifferentFrom(MemorySegment block, long from, byte value) {
        long size = block.byteSize();
        long word = (value & 0xFFL) * 0x0101010101010101L;
        long i = from;
        while (i + Long.BYTES <= size && block.get(ValueLayout.JAVA_LONG_UNALIGNED, i) == word) {
            i += Long.BYTES;
        }
        for (; i < size; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != value) {
                return i;
            }
        }
        return -1;
    }
}
