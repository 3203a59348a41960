package io.tinyalloc.strategies;

import io.tinyalloc.spi.PageLookup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Finds a segment through a two-level page map of the user address space, keyed by
 * <em>slot</em>: the address shifted right by the segment size's log2 (4 MiB segments make
 * 2<sup>26</sup> slots of the 48-bit space). The slot's high bits pick a leaf in the root, its
 * low bits an entry in the leaf, and the entry holds the start of the segment or large region
 * that covers the slot, or 0.
 *
 * <p>Layout: the root is an array of {@link #rootLength} references to leaves, {@code null}
 * until a region is registered in the range the leaf covers; a leaf is a {@code long[]} of
 * {@link #leafLength} addresses. Both live on the Java heap: a read of a heap array costs a
 * load and an index check, where an off-heap leaf (a {@code MemorySegment}) added a bounds and
 * a liveness check to every free; against masking, the sqlite replay's cost went from 23 % to
 * 10 % and jq's from 22 % to 3 % with heap leaves (see {@code docs/strategies.md}).
 * The slot bits are split as evenly as possible between the two levels, so neither level
 * exceeds 2<sup>16</sup> entries for segments of 64 KiB or more (512 KiB per leaf at 64 KiB
 * segments, 64 KiB at 4 MiB). Leaves are created lazily and never freed while the lookup is in
 * use: {@link #segmentOf} reads them without a lock, so freeing one could not be made safe
 * without a reclamation scheme; they live as long as the lookup.
 *
 * <p>Concurrency: {@link #register} and {@link #unregister} (slow paths) are serialized by a
 * lock; {@link #segmentOf} takes none and does two dependent loads (the leaf reference, then the
 * entry). Entries are written and read opaquely, so a read never sees half an address. No
 * stronger ordering is needed for correct frees: a block is handed out only after its region's
 * registration, and whatever hands the block to the freeing thread orders that thread after the
 * registration. Reads of other addresses may race with registration and see an old or new
 * entry; either is 0 or the start of a region, which the caller checks before trusting it.
 */
final class RadixPageLookup implements PageLookup {

    /** The bits of a user-space address on x86-64 and AArch64 Linux: nothing is mapped above. */
    static final int ADDRESS_BITS = 48;
    /** The smallest segment size, the engine's too: it keeps either level at most 2^16 entries. */
    static final int MIN_SEGMENT_SHIFT = 16;
    /** What {@link #segmentOf} returns for an address in no registered region. */
    static final long NO_SEGMENT = 0;

    private static final VarHandle LEAF_REFERENCE = MethodHandles.arrayElementVarHandle(long[][].class)
            .withInvokeExactBehavior();
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(long[].class).withInvokeExactBehavior();

    private final long segmentByteSize;
    private final int segmentShift;
    private final int leafBits;
    private final long leafIndexMask;
    private final int rootLength;
    private final int leafLength;
    /** Level one: one reference per leaf, {@code null} until the leaf is needed. */
    private final long[][] root;
    /** Serializes writers; readers never take it. */
    private final Object writeLock = new Object();

    /** @param segmentByteSize the engine's segment size, a power of two from 2^16 to 2^47 */
    RadixPageLookup(long segmentByteSize) {
        if (Long.bitCount(segmentByteSize) != 1 || segmentByteSize < 1L << MIN_SEGMENT_SHIFT
                || segmentByteSize >>> ADDRESS_BITS != 0) {
            throw new IllegalArgumentException("segmentByteSize: " + segmentByteSize + " (expected: a power of two from 2^"
                    + MIN_SEGMENT_SHIFT + " to 2^" + (ADDRESS_BITS - 1) + ")");
        }
        this.segmentByteSize = segmentByteSize;
        this.segmentShift = Long.numberOfTrailingZeros(segmentByteSize);
        int slotBits = ADDRESS_BITS - segmentShift;
        int rootBits = slotBits / 2;
        this.leafBits = slotBits - rootBits;
        this.leafIndexMask = (1L << leafBits) - 1;
        this.rootLength = 1 << rootBits;
        this.leafLength = 1 << leafBits;
        this.root = new long[rootLength][];
    }

    /**
     * Returns {@code segmentByteSize}. The map itself needs no alignment: it stores each
     * region's start, whatever it is. It needs only that no two regions share a slot, which
     * the engine's segment-size alignment (required by its own bitmap of segments) guarantees;
     * {@link #register} checks it. Asking for the segment size therefore costs nothing more.
     */
    @Override
    public long segmentByteAlignment(long segmentByteSize) {
        return segmentByteSize;
    }

    /**
     * Points every slot that the region touches at its start, creating leaves as needed.
     *
     * @throws IllegalArgumentException if the region is empty or not all below 2^48
     * @throws IllegalStateException if a slot of it already belongs to another region
     */
    @Override
    public void register(long segmentAddress, long byteSize) {
        checkRegion(segmentAddress, byteSize);
        long firstSlot = firstSlot(segmentAddress);
        long lastSlot = lastSlot(segmentAddress, byteSize);
        synchronized (writeLock) {
            for (long slot = firstSlot; slot <= lastSlot; slot++) {
                long owner = entryOrZero(slot);
                if (owner != NO_SEGMENT) {
                    throw new IllegalStateException("register(0x" + Long.toHexString(segmentAddress) + ", "
                            + byteSize + "): slot 0x" + Long.toHexString(slot << segmentShift)
                            + " already belongs to the region at 0x" + Long.toHexString(owner)
                            + " (expected: regions that share no " + segmentByteSize + "-byte slot)");
                }
            }
            for (long slot = firstSlot; slot <= lastSlot; slot++) {
                setEntryOpaque(leafCreatingIfAbsent(slot), slot, segmentAddress);
            }
        }
    }

    /**
     * Clears every slot that the region touches. Leaves stay: a reader may be in one.
     *
     * @throws IllegalArgumentException if the region is empty or not all below 2^48
     * @throws IllegalStateException if a slot of it is not registered to this region
     */
    @Override
    public void unregister(long segmentAddress, long byteSize) {
        checkRegion(segmentAddress, byteSize);
        long firstSlot = firstSlot(segmentAddress);
        long lastSlot = lastSlot(segmentAddress, byteSize);
        synchronized (writeLock) {
            for (long slot = firstSlot; slot <= lastSlot; slot++) {
                long owner = entryOrZero(slot);
                if (owner != segmentAddress) {
                    throw new IllegalStateException("unregister(0x" + Long.toHexString(segmentAddress) + ", "
                            + byteSize + "): slot 0x" + Long.toHexString(slot << segmentShift)
                            + " holds 0x" + Long.toHexString(owner) + " (expected: the region as registered)");
                }
            }
            for (long slot = firstSlot; slot <= lastSlot; slot++) {
                setEntryOpaque(root[rootIndex(slot)], slot, NO_SEGMENT);
            }
        }
    }

    /**
     * Returns the start of the registered region that holds {@code address}, or
     * {@link #NO_SEGMENT} if none does (including any address at or above 2^48).
     */
    @Override
    public long segmentOf(long address) {
        if (address >>> ADDRESS_BITS != 0) {
            return NO_SEGMENT;
        }
        long slot = address >>> segmentShift;
        // Acquire: a leaf seen is seen zeroed, never with the allocator's old bytes in it. A stale
        // null is only possible for an address whose registration this thread is not ordered
        // after, which is not a block it may free.
        long[] leaf = (long[]) LEAF_REFERENCE.getAcquire(root, rootIndex(slot));
        if (leaf == null) {
            return NO_SEGMENT;
        }
        return getEntryOpaque(leaf, slot);
    }

    private void checkRegion(long segmentAddress, long byteSize) {
        if (byteSize <= 0 || segmentAddress <= 0 || segmentAddress >>> ADDRESS_BITS != 0
                || (segmentAddress + byteSize - 1) >>> ADDRESS_BITS != 0) {
            throw new IllegalArgumentException("region 0x" + Long.toHexString(segmentAddress) + " (+" + byteSize
                    + " bytes) (expected: a non-empty region of user space, between 1 and 2^" + ADDRESS_BITS + ")");
        }
    }

    private long firstSlot(long segmentAddress) {
        return segmentAddress >>> segmentShift;
    }

    private long lastSlot(long segmentAddress, long byteSize) {
        return (segmentAddress + byteSize - 1) >>> segmentShift;
    }

    private int rootIndex(long slot) {
        return (int) (slot >>> leafBits);
    }

    private int entryIndex(long slot) {
        return (int) (slot & leafIndexMask);
    }

    /** Called with the write lock held. */
    private long entryOrZero(long slot) {
        long[] leaf = root[rootIndex(slot)];
        return leaf == null ? NO_SEGMENT : getEntryOpaque(leaf, slot);
    }

    /** Called with the write lock held, so two writers never both create a leaf. */
    private long[] leafCreatingIfAbsent(long slot) {
        int index = rootIndex(slot);
        long[] leaf = root[index];
        if (leaf == null) {
            leaf = new long[leafLength];
            // Release: publishes the leaf's zeroed contents together with the reference.
            LEAF_REFERENCE.setRelease(root, index, leaf);
        }
        return leaf;
    }

    private long getEntryOpaque(long[] leaf, long slot) {
        return (long) ENTRY.getOpaque(leaf, entryIndex(slot));
    }

    private void setEntryOpaque(long[] leaf, long slot, long segmentAddress) {
        ENTRY.setOpaque(leaf, entryIndex(slot), segmentAddress);
    }

    /** The number of leaves created so far; for tests. */
    int leafCount() {
        synchronized (writeLock) {
            int count = 0;
            for (long[] leaf : root) {
                if (leaf != null) {
                    count++;
                }
            }
            return count;
        }
    }

    @Override
    public String toString() {
        return "RadixPageLookup[segmentByteSize=" + segmentByteSize + ", levels=" + rootLength + "x" + leafLength
                + "]";
    }
}
