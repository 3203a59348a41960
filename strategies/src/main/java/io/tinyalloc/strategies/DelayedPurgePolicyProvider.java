package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;
import java.time.Duration;

/**
 * The {@code delayed} purge policy, the default: memory that became empty is given back once it
 * has stayed unused for {@code delay}. Memory reused within the delay is not purged, which
 * spares a system call and a page fault per page to workloads that free and allocate in waves;
 * memory left alone goes back soon enough to keep the resident size close to what is in use.
 *
 * <p>Settings ({@code purge.delayed}):
 * <ul>
 *   <li>{@code delay}: a duration from 0 to 1 h, default 25 ms.
 *   <li>{@code kind}: {@code decommit} (the default: the resident size drops at once) or
 *       {@code reset} (the system takes the memory back when it needs it).
 * </ul>
 */
public final class DelayedPurgePolicyProvider implements PurgePolicyProvider {

    private static final String NAME = "delayed";
    private static final String DELAY_PATH = "delay";
    private static final Duration MAX_DELAY = Duration.ofHours(1);
    private static final Config DEFAULTS = Defaults.load(DelayedPurgePolicyProvider.class, "delayed-purge.conf");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public DelayedPurgePolicyProvider() {
    }

    /** @return {@code "delayed"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code delay = 25 ms, kind = decommit} */
    @Override
    public Config defaults() {
        return DEFAULTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.typesafe.config.ConfigException.BadValue if {@code delay} is not a duration
     *         from 0 to 1 h, or {@code kind} is neither {@code decommit} nor {@code reset}
     */
    @Override
    public PurgePolicy create(StrategyContext context) {
        Config settings = context.settings();
        Duration delay = Settings.duration(settings, DELAY_PATH, Duration.ZERO, MAX_DELAY);
        return new FixedPurgePolicy(delay.toNanos(), PurgeKindSetting.read(settings));
    }

    @Override
    public String toString() {
        return "DelayedPurgePolicyProvider[" + NAME + "]";
    }
}
