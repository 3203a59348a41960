package io.tinyalloc.bench.workload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes a tag into a new block and checks it before the block is freed: the first and the
 * last byte, so that a block that overlaps another, or that the allocator corrupted, shows up
 * cheaply. Workloads tag a block with something they know again at free time (its size, its
 * slot), so that they need not keep the tag.
 */
@SuppressWarnings("restricted")   // raw addresses are the point; the JVM runs with --enable-native-access
final class Blocks {

    /** All of the address space: every block is a slice of it. */
    static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Spreads sizes and slots over the byte's values: odd, so that every value is reached. */
    private static final long TAG_MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final int TAG_SHIFT = 56;

    private Blocks() {
    }

    /** @return the tag for a block known by {@code key} (its size, its slot, ...) */
    static byte tag(long key) {
        return (byte) ((key * TAG_MULTIPLIER) >>> TAG_SHIFT);
    }

    /** Writes the tag of {@code key} at the first and the last byte of the block. */
    static void write(long address, long byteSize, long key) {
        byte tag = tag(key);
        EVERYWHERE.set(ValueLayout.JAVA_BYTE, address, tag);
        EVERYWHERE.set(ValueLayout.JAVA_BYTE, address + byteSize - 1, tag);
    }

    /**
     * Checks what {@link #write} wrote.
     *
     * @throws IllegalStateException if either byte changed
     */
    static void check(long address, long byteSize, long key) {
        byte tag = tag(key);
        byte first = EVERYWHERE.get(ValueLayout.JAVA_BYTE, address);
        byte last = EVERYWHERE.get(ValueLayout.JAVA_BYTE, address + byteSize - 1);
        if (first != tag || last != tag) {
            throw new IllegalStateException("block 0x" + Long.toHexString(address) + " of " + byteSize
                    + " bytes was overwritten: first byte " + first + ", last byte " + last + " (expected: " + tag + ")");
        }
    }
}
