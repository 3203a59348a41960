package io.tinyalloc.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Reads and writes native memory by absolute address, through one segment that spans the whole
 * address space.
 *
 * <p>The accessor names say the memory ordering, as in JCTools: {@code Plain} is an ordinary
 * access (the owning thread's fast path), {@code Volatile} and {@code Release} order against
 * other threads, {@code cas} and {@code getAndSet} are atomic. Every racy use states at its call
 * site why it is safe. Addresses used with the ordered and atomic forms must be aligned to the
 * size of the value.
 */
final class NativeMemory {

    /**
     * The bits of a user-space address on x86-64 and AArch64 Linux: the engine maps nothing above
     * 256 TiB, and {@link SegmentMap} rejects any address above before the engine reads it.
     */
    static final int ADDRESS_BITS = 48;

    /** Masks an address into user space. */
    private static final long ADDRESS_MASK = (1L << ADDRESS_BITS) - 1;

    /** Masks an address into user space and down to a multiple of a {@code long}'s size. */
    private static final long LONG_ADDRESS_MASK = ADDRESS_MASK & -Long.BYTES;

    /** Masks an address into user space and down to a multiple of an {@code int}'s size. */
    private static final long INT_ADDRESS_MASK = ADDRESS_MASK & -Integer.BYTES;

    /** Everything: bounds checks pass for any user-space address, liveness is the engine's job. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /*
     * Every access goes straight to a layout's var handle, with exact invocation: the fast paths
     * sit under a few levels of calls already, and MemorySegment.get/set would add one more level
     * and argument adaptation, enough for C2 to stop inlining the access (it then makes a call
     * per load). Plain accesses use the unaligned layouts only to skip the alignment check: every
     * address the engine passes is aligned. Atomic and ordered accesses need the aligned layouts.
     *
     * Plain accesses mask the address into user space (a no-op for every address they get): the
     * JIT then knows the offset is within ALL and drops the bounds check, which makes the fast
     * paths a compare, a branch and a trap stub shorter per access, and small enough to inline
     * into the caller. Ordered and atomic accesses mask the address down to their alignment as
     * well, which lets the JIT drop the alignment check too (every address they get is aligned).
     */
    private static final VarHandle LONG_PLAIN = ValueLayout.JAVA_LONG_UNALIGNED.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT_PLAIN = ValueLayout.JAVA_INT_UNALIGNED.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG_HANDLE = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT_HANDLE = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private NativeMemory() {
    }

    static long getLongPlain(long address) {
        return (long) LONG_PLAIN.get(ALL, address & ADDRESS_MASK);
    }

    static void putLongPlain(long address, long value) {
        LONG_PLAIN.set(ALL, address & ADDRESS_MASK, value);
    }

    static int getIntPlain(long address) {
        return (int) INT_PLAIN.get(ALL, address & ADDRESS_MASK);
    }

    static void putIntPlain(long address, int value) {
        INT_PLAIN.set(ALL, address & ADDRESS_MASK, value);
    }

    static long getLongVolatile(long address) {
        return (long) LONG_HANDLE.getVolatile(ALL, address & LONG_ADDRESS_MASK);
    }

    static long getLongOpaque(long address) {
        return (long) LONG_HANDLE.getOpaque(ALL, address & LONG_ADDRESS_MASK);
    }

    static void putLongRelease(long address, long value) {
        LONG_HANDLE.setRelease(ALL, address & LONG_ADDRESS_MASK, value);
    }

    static void putLongVolatile(long address, long value) {
        LONG_HANDLE.setVolatile(ALL, address & LONG_ADDRESS_MASK, value);
    }

    static boolean casLong(long address, long expected, long value) {
        return LONG_HANDLE.compareAndSet(ALL, address & LONG_ADDRESS_MASK, expected, value);
    }

    static long getAndSetLong(long address, long value) {
        return (long) LONG_HANDLE.getAndSet(ALL, address & LONG_ADDRESS_MASK, value);
    }

    static int getIntOpaque(long address) {
        return (int) INT_HANDLE.getOpaque(ALL, address & INT_ADDRESS_MASK);
    }

    static boolean casInt(long address, int expected, int value) {
        return INT_HANDLE.compareAndSet(ALL, address & INT_ADDRESS_MASK, expected, value);
    }

    static int getIntVolatile(long address) {
        return (int) INT_HANDLE.getVolatile(ALL, address & INT_ADDRESS_MASK);
    }

    static void putIntVolatile(long address, int value) {
        INT_HANDLE.setVolatile(ALL, address & INT_ADDRESS_MASK, value);
    }

    static int getAndAddInt(long address, int delta) {
        return (int) INT_HANDLE.getAndAdd(ALL, address & INT_ADDRESS_MASK, delta);
    }

    static void putByte(long address, byte value) {
        ALL.set(ValueLayout.JAVA_BYTE, address, value);
    }

    static void fill(long address, long byteSize, byte value) {
        ALL.asSlice(address, byteSize).fill(value);
    }

    /**
     * Below this many bytes, {@link #zeroWords} stores words in a loop: cheaper than the call into
     * the runtime's fill stub, whose set-up dominates for small blocks.
     */
    static final long ZERO_BY_STORES_BYTE_LIMIT = 256;

    /**
     * Zeroes {@code byteSize} bytes rounded up to whole words. The caller owns the rounded range
     * (a block's usable size is a multiple of the granule) and {@code address} is word-aligned.
     */
    static void zeroWords(long address, long byteSize) {
        if (byteSize > ZERO_BY_STORES_BYTE_LIMIT) {
            fill(address, byteSize, (byte) 0);
            return;
        }
        long end = address + byteSize;
        for (long word = address; word < end; word += Long.BYTES) {
            putLongPlain(word, 0);
        }
    }

    static void copy(long fromAddress, long toAddress, long byteSize) {
        MemorySegment.copy(ALL, fromAddress, ALL, toAddress, byteSize);
    }
}
