package io.tinyalloc.bench.alloc;

import java.lang.foreign.MemorySegment;

/** Copies and clears memory at raw addresses, for the baselines that emulate a C call. */
@SuppressWarnings("restricted")   // raw addresses are the point; the JVM runs with --enable-native-access
final class RawMemory {

    /** All of the address space: a block of any allocator under test is a slice of it. */
    private static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private RawMemory() {
    }

    static void copy(long fromAddress, long toAddress, long byteSize) {
        MemorySegment.copy(EVERYWHERE, fromAddress, EVERYWHERE, toAddress, byteSize);
    }

    static void clear(long address, long byteSize) {
        EVERYWHERE.asSlice(address, byteSize).fill((byte) 0);
    }

    /** @return the first multiple of {@code byteAlignment} at or above {@code address} */
    static long alignUp(long address, long byteAlignment) {
        return (address + byteAlignment - 1) & -byteAlignment;
    }

    /**
     * Checks an alignment as the C allocators' {@code aligned_alloc} would reject it.
     *
     * @throws IllegalArgumentException if it is not a power of two
     */
    static long checkedAlignment(long byteAlignment) {
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("byteAlignment: " + byteAlignment + " (expected: a power of two)");
        }
        return byteAlignment;
    }
}
