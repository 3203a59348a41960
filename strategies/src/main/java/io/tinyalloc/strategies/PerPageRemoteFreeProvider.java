package io.tinyalloc.strategies;

import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.RemoteFreeProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code per-page} remote-free delivery, the default, as in mimalloc: a block freed by a
 * thread that does not own its heap is pushed on its page's list of remote frees with one CAS,
 * and the owner collects the list when it next needs a block from that page. Nothing waits in
 * the freeing thread; every remote free is one atomic operation on the page's shared line.
 *
 * <p>It has no settings.
 */
public final class PerPageRemoteFreeProvider implements RemoteFreeProvider {

    private static final String NAME = "per-page";
    private static final RemoteFree PER_PAGE = () -> RemoteFree.Delivery.PER_PAGE;

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public PerPageRemoteFreeProvider() {
    }

    /** @return {@code "per-page"} */
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteFree create(StrategyContext context) {
        return PER_PAGE;
    }

    @Override
    public String toString() {
        return "PerPageRemoteFreeProvider[" + NAME + "]";
    }
}
