package io.tinyalloc.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fills blocks with a pattern that names their owner, and checks it later: a block whose
 * pattern changed was written by someone else, which means two live blocks overlapped, or the
 * engine wrote into a live block (a free-list link, a header).
 *
 * <p>The pattern of the block with serial {@code s}: its first {@value #HEADER_BYTES} bytes
 * are {@code s} (little-endian, one byte at a time), every later byte is {@link #tag(long)
 * tag(s)}, never zero so that a zeroed block does not pass as a filled one.
 */
final class Patterns {

    /** Bytes at the start of a block that hold its serial. */
    static final int HEADER_BYTES = Long.BYTES;

    private Patterns() {
    }

    /** A bounded view of native memory that the engine handed out. */
    @SuppressWarnings("restricted")
    static MemorySegment at(long address, long byteSize) {
        return MemorySegment.ofAddress(address).reinterpret(byteSize);
    }

    /** Writes the pattern of {@code serial} over {@code byteSize} bytes at {@code address}. */
    static void fill(long address, long byteSize, long serial) {
        MemorySegment block = at(address, byteSize);
        long header = Math.min(HEADER_BYTES, byteSize);
        for (int i = 0; i < header; i++) {
            block.set(ValueLayout.JAVA_BYTE, i, headerByte(serial, i));
        }
        if (byteSize > HEADER_BYTES) {
            block.asSlice(HEADER_BYTES).fill(tag(serial));
        }
    }

    /**
     * Returns the offset of the first byte in {@code [0, byteSize)} that does not hold the
     * pattern of {@code serial}, or -1 if all do.
     */
    static long firstMismatch(long address, long byteSize, long serial) {
        MemorySegment block = at(address, byteSize);
        long header = Math.min(HEADER_BYTES, byteSize);
        for (int i = 0; i < header; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != headerByte(serial, i)) {
                return i;
            }
        }
        return firstDifferentFrom(block, HEADER_BYTES, tag(serial));
    }

    /** Returns the offset of the first byte in {@code [0, byteSize)} that is not zero, or -1. */
    static long firstNonZero(long address, long byteSize) {
        return firstDifferentFrom(at(address, byteSize), 0, (byte) 0);
    }

    /** Describes a mismatch for an assertion message: where, what was expected, what was found. */
    static String describeMismatch(long address, long offset, long serial) {
        byte expected = offset < HEADER_BYTES ? headerByte(serial, (int) offset) : tag(serial);
        byte found = at(address + offset, 1).get(ValueLayout.JAVA_BYTE, 0);
        return String.format("byte %d of block 0x%x (serial %d) is 0x%02x, expected 0x%02x",
                offset, address, serial, found, expected);
    }

    /** The filler byte of the block with this serial: never zero. */
    static byte tag(long serial) {
        byte tag = (byte) ((serial * 0x9E3779B97F4A7C15L) >>> 56);
        return tag == 0 ? 1 : tag;
    }

    private static byte headerByte(long serial, int index) {
        return (byte) (serial >>> (Byte.SIZE * index));
    }

    private static long firstDifferentFrom(MemorySegment block, long from, byte value) {
        long size = block.byteSize();
        long word = (value & 0xFFL) * 0x0101010101010101L;
        long i = from;
        for (; i + Long.BYTES <= size; i += Long.BYTES) {
            if (block.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != word) {
                break;
            }
        }
        for (; i < size; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != value) {
                return i;
            }
        }
        return -1;
    }
}
