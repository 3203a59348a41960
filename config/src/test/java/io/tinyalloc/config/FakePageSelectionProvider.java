package io.tinyalloc.config;

import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.StrategyContext;

/** A page selection named {@code test-fake}, without settings: lowest address first. */
public final class FakePageSelectionProvider implements PageSelectionProvider {

    @Override
    public String name() {
        return "test-fake";
    }

    @Override
    public PageSelection create(StrategyContext context) {
        return () -> PageSelection.Order.LOWEST_ADDRESS;
    }
}
