package io.tinyalloc.strategies;

import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code lowest-address} page selection, as jemalloc picks slabs and extents: a size class
 * whose page runs out takes its page with a free block at the lowest address, and otherwise
 * the lowest free page of the heap's lowest segment ({@link PageSelection.Order#LOWEST_ADDRESS}).
 * Live blocks concentrate in fewer, fuller pages, and the pages and segments at the top of the
 * heap empty and go back to the system: a smaller footprint for long-running workloads whose
 * allocations and frees interleave, for a little more work on the slow paths and more commits
 * of memory that was given back.
 *
 * <p>It has no settings.
 */
public final class LowestAddressPageSelectionProvider implements PageSelectionProvider {

    private static final String NAME = "lowest-address";
    private static final PageSelection LOWEST_ADDRESS = () -> PageSelection.Order.LOWEST_ADDRESS;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public LowestAddressPageSelectionProvider() {
    }

    /** @return {@code "lowest-address"} */
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PageSelection create(StrategyContext context) {
        return LOWEST_ADDRESS;
    }

    @Override
    public String toString() {
        return "LowestAddressPageSelectionProvider[" + NAME + "]";
    }
}
