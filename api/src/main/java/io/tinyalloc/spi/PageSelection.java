package io.tinyalloc.spi;

/**
 * Decides which page a size class allocates from when the page it allocates from runs out of
 * free blocks.
 *
 * <p>A size class allocates from one page, its <em>current</em> page, until that page has no
 * free block left. On that slow path the engine looks among the class's other pages that have
 * free blocks, and if none has, takes a free page, one that no class uses, from the heap's
 * segments (mapping a new segment when none has a free page). The {@linkplain #order() order}
 * says which of those candidates comes first. It is asked once, when the engine is built, and
 * never on the fast path.
 *
 * <p>The choice trades speed of reuse for footprint. Taking pages in the order they became
 * usable reuses the memory touched last, which is likely still in cache and committed; taking
 * the page at the lowest address, as jemalloc does for its slabs and extents, packs the live
 * blocks into fewer, fuller pages at the bottom of the heap, so that the pages and segments at
 * the top empty and can be given back.
 *
 * {@snippet lang = java :
 * // Fewer, fuller pages: what the built-in `lowest-address` provider returns.
 * PageSelection compact = () -> PageSelection.Order.LOWEST_ADDRESS;
 * }
 */
@FunctionalInterface
public interface PageSelection {

    /**
     * Returns the order in which a size class considers the pages it may allocate from next.
     *
     * @return {@link Order#QUEUE} or {@link Order#LOWEST_ADDRESS}, never {@code null}
     */
    Order order();

    /** The order in which a size class considers its candidate pages. */
    enum Order {
        /**
         * First fit from the class's queue: a page taken for the class goes to the front, a
         * page that gets a free block back after being full goes to the back; a free page is
         * the one freed most recently (preferring one the class used before), so its memory is
         * still committed and likely in cache. The fastest choice.
         */
        QUEUE,
        /**
         * Lowest address first: among the class's pages with a free block, the one at the
         * lowest address; among free pages, the lowest one of the lowest segment. Live blocks
         * concentrate in fewer, fuller pages and the highest segments empty, at the cost of an
         * ordered insertion when a page joins its class's queue, and of reusing memory that may
         * have been given back already (a commit and page faults) where {@link #QUEUE} would
         * reuse the page freed last.
         */
        LOWEST_ADDRESS
    }
}
