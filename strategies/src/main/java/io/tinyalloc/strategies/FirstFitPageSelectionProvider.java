package io.tinyalloc.strategies;

import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code first-fit} page selection, the default: a size class whose page runs out takes the
 * first page of its queue that has a free block, and otherwise the free page freed most
 * recently ({@link PageSelection.Order#QUEUE}). It reuses memory that is still committed and
 * likely in cache, and costs nothing when a page joins its queue.
 *
 * <p>It has no settings.
 */
public final class FirstFitPageSelectionProvider implements PageSelectionProvider {

    private static final String NAME = "first-fit";
    private static final PageSelection FIRST_FIT = () -> PageSelection.Order.QUEUE;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public FirstFitPageSelectionProvider() {
    }

    /** @return {@code "first-fit"} */
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PageSelection create(StrategyContext context) {
        return FIRST_FIT;
    }

    @Override
    public String toString() {
        return "FirstFitPageSelectionProvider[" + NAME + "]";
    }
}
