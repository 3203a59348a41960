package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code immediate} purge policy: memory is given back as soon as it becomes empty. The
 * smallest resident size, at the cost of a system call each time a page empties and a page
 * fault each time it is used again.
 *
 * <p>Settings ({@code purge.immediate}):
 * <ul>
 *   <li>{@code kind}: {@code decommit} (the default: the resident size drops at once) or
 *       {@code reset} (the system takes the memory back when it needs it).
 * </ul>
 */
public final class ImmediatePurgePolicyProvider implements PurgePolicyProvider {

    private static final String NAME = "immediate";
    private static final long NO_DELAY = 0;
    private static final Config DEFAULTS = Defaults.load(ImmediatePurgePolicyProvider.class,
            "immediate-purge.conf");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public ImmediatePurgePolicyProvider() {
    }

    /** @return {@code "immediate"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code kind = decommit} */
    @Override
    public Config defaults() {
        return DEFAULTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.typesafe.config.ConfigException.BadValue if {@code kind} is neither
     *         {@code decommit} nor {@code reset}
     */
    @Override
    public PurgePolicy create(StrategyContext context) {
        return new FixedPurgePolicy(NO_DELAY, PurgeKindSetting.read(context.settings()));
    }

    @Override
    public String toString() {
        return "ImmediatePurgePolicyProvider[" + NAME + "]";
    }
}
