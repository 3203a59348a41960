package io.tinyalloc.strategies;

import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code none} purge policy: empty memory stays committed until the allocator closes
 * ({@link PurgePolicy#NEVER}). The fewest system calls and page faults; the resident size only
 * grows, to the peak of the workload.
 *
 * <p>It has no settings.
 */
public final class NoPurgePolicyProvider implements PurgePolicyProvider {

    private static final String NAME = "none";
    private static final PurgePolicy NEVER_PURGE =
            new FixedPurgePolicy(PurgePolicy.NEVER, PurgePolicy.PurgeKind.DECOMMIT);

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public NoPurgePolicyProvider() {
    }

    /** @return {@code "none"} */
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PurgePolicy create(StrategyContext context) {
        return NEVER_PURGE;
    }

    @Override
    public String toString() {
        return "NoPurgePolicyProvider[" + NAME + "]";
    }
}
