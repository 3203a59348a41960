package io.tinyalloc.core;

import static io.tinyalloc.core.NativeMemory.getLongPlain;

/**
 * Checks that an address handed to {@code free}, {@code reallocate} or {@code usableSize} is a
 * live small block, when the engine runs with {@code checks = on}: a program's mistake then
 * throws at the call that made it, instead of corrupting a free list and surfacing later as
 * two allocations that overlap.
 *
 * <p>A live block of a page:
 * <ol>
 *   <li>is in a page that is in use (at least one block handed out): not a free page, not a
 *       page of the segment's header;</li>
 *   <li>lies below the page's carving point: blocks past it were never handed out;</li>
 *   <li>starts a block: its offset in the page is a multiple of the class's stride
 *       ({@link SizeClassTable#startsBlock}), else it is an interior pointer;</li>
 *   <li>is on none of the page's free lists: else it was freed already.</li>
 * </ol>
 * The first three cost three loads from the descriptor line the free touches anyway and two
 * multiplications. The last would need a walk of the free lists; instead the block's first word
 * is decoded ({@link PageDescriptor#decodeLink}): a free block's always decodes to 0 or to a
 * block of its page, a live block's (user data, or the 0 an allocation leaves there) does so
 * only by a coincidence of about one in 2^(64 - page shift) for data unrelated to the
 * engine's random link key. Only then are the lists walked, to tell a double free from that
 * coincidence.
 *
 * <p>A free from another thread reads the owner's fields with opaque accesses and may walk
 * lists the owner is changing: every address it follows is first checked to lie in the page, and
 * a walk takes at most the page's capacity of steps, so a torn view can make it miss a double
 * free but never fault or loop. For a block the program owns (a correct free), the fields it
 * reads are stable: the page cannot be freed or re-carved while the block is live.
 */
final class BlockChecks {

    private BlockChecks() {
    }

    /** {@link BlockChecks}' test on the owning thread (or under a shared heap's lock). */
    static boolean isLivePlain(long page, long address, int pageShift, SizeClassTable table, long linkKey) {
        // A page with blocks in use has a class: the owner's view is never torn.
        return isLive(page, address, pageShift, linkKey, PageDescriptor.usedPlain(page),
                PageDescriptor.strideDivisor(page), PageDescriptor.extendNext(page));
    }

    /** {@link BlockChecks}' test from any thread; see the class comment for why racy reads are safe. */
    static boolean isLiveOpaque(long page, long address, int pageShift, SizeClassTable table, long linkKey) {
        int sizeClass = PageDescriptor.sizeClassOpaque(page);
        // A torn view (the page emptied and reassigned under a misused address) may show no class.
        return sizeClass >= 0 && sizeClass < table.count() && isLive(page, address, pageShift, linkKey,
                PageDescriptor.usedOpaque(page), PageDescriptor.strideDivisorOpaque(page),
                PageDescriptor.extendNextOpaque(page));
    }

    /** The test itself, on descriptor fields the caller has read (each path reads them its own way). */
    static boolean isLive(long page, long address, int pageShift, long linkKey, int used, long strideDivisor,
            long extendNext) {
        if (used == 0 || address >= extendNext || !SizeClassTable.startsBlock(strideDivisor, pageOffset(address, pageShift))) {
            return false;
        }
        return !looksFree(page, address, getLongPlain(address), linkKey, pageShift)
                || !isOnFreeList(page, address, pageShift, linkKey);
    }

    /**
     * Explains why {@link #isLivePlain} or {@link #isLiveOpaque} said no: what the address is, in
     * words a program's author can act on. Reads as the check did; called only to build an error.
     */
    static String problem(long page, long address, int pageShift, SizeClassTable table, long linkKey) {
        int sizeClass = PageDescriptor.sizeClassOpaque(page);
        int state = PageDescriptor.stateOpaque(page);
        if (state == PageDescriptor.HEADER) {
            return "inside the allocator's own metadata, not a block";
        }
        if (PageDescriptor.usedOpaque(page) == 0 || sizeClass < 0 || sizeClass >= table.count()) {
            return "not a live block: its page holds none (a double free, or an address this allocator never returned)";
        }
        long blockByteSize = table.blockByteSize(sizeClass);
        long offset = pageOffset(address, pageShift);
        if (!table.isBlockStart(sizeClass, offset)) {
            long stride = table.blockStride(sizeClass);
            long blockStart = address - offset % stride;
            return "an interior pointer, " + (address - blockStart) + " bytes into the " + blockByteSize
                    + "-byte block at 0x" + Long.toHexString(blockStart) + " (expected: the address the block was returned at)";
        }
        if (address >= PageDescriptor.extendNextOpaque(page)) {
            return "not a block this allocator returned: no " + blockByteSize + "-byte block was handed out there yet";
        }
        return "not a live block: the " + blockByteSize + "-byte block there is already free (a double free)";
    }

    private static long pageOffset(long address, int pageShift) {
        return address & ((1L << pageShift) - 1);
    }

    /**
     * Returns whether a block's first word decodes as a free block's always does: to the end of
     * its list or to a block of the same page. A live block's does so by coincidence only.
     */
    private static boolean looksFree(long page, long address, long firstWord, long linkKey, int pageShift) {
        long decoded = PageDescriptor.decodeLink(page, firstWord, linkKey);
        return decoded == 0 || decoded >>> pageShift == address >>> pageShift;
    }

    /** Walks the page's local and thread-free lists, in the page only and for at most its capacity of steps. */
    private static boolean isOnFreeList(long page, long address, int pageShift, long linkKey) {
        int maxSteps = PageDescriptor.capacity(page);
        return isOnList(page, PageDescriptor.freeListOpaque(page), address, pageShift, linkKey, maxSteps)
                || isOnList(page, PageDescriptor.threadFreeVolatile(page) & ~PageDescriptor.NOTIFY, address, pageShift,
                        linkKey, maxSteps);
    }

    private static boolean isOnList(long page, long head, long address, int pageShift, long linkKey, int maxSteps) {
        long block = head;
        for (int step = 0; step <= maxSteps && block != 0 && block >>> pageShift == address >>> pageShift; step++) {
            if (block == address) {
                return true;
            }
            block = PageDescriptor.linkPlain(page, block, linkKey) & PageDescriptor.ADDRESS_MASK;
        }
        return false;
    }
}
