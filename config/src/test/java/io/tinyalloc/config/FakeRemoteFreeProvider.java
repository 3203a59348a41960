package io.tinyalloc.config;

import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.RemoteFreeProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * A remote-free delivery without settings, named {@code per-page} like the default of
 * {@code reference.conf}, so that the test files need not select it: one CAS per block.
 */
public final class FakeRemoteFreeProvider implements RemoteFreeProvider {

    @Override
    public String name() {
        return "per-page";
    }

    @Override
    public RemoteFree create(StrategyContext context) {
        return () -> RemoteFree.Delivery.PER_PAGE;
    }
}
