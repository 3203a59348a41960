package com.example.tinyalloc;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;
import java.time.Duration;

/**
 * The {@code example-fixed-delay} purge policy: memory that became empty is given back with
 * {@code madvise(MADV_FREE)} ({@link PurgePolicy.PurgeKind#RESET}) once it has stayed unused for
 * {@code delay}, or with {@link PurgePolicy.PurgeKind#DECOMMIT} when {@code decommit} is on.
 *
 * <p>This is what the SPI lets a policy decide: one delay and one kind, read once when the
 * allocator starts. A policy that purges at once when committed memory passes a watermark
 * cannot be written against it; the README of this example says what SPI change it would take.
 *
 * {@snippet lang = hocon :
 * purge {
 *   provider = example-fixed-delay
 *   example-fixed-delay { delay = 250 ms, decommit = off }
 * }
 * }
 *
 * <p>Settings ({@code purge.example-fixed-delay}):
 * <ul>
 *   <li>{@code delay}: how long empty memory stays committed, a duration from 0 to 1 min;
 *       default 250 ms.
 *   <li>{@code decommit}: {@code on} to drop the resident size at once, {@code off} (the
 *       default) to let the system take the memory back when it needs it.
 * </ul>
 */
public final class FixedDelayPurgePolicyProvider implements PurgePolicyProvider {

    private static final String NAME = "example-fixed-delay";
    private static final String DELAY_PATH = "delay";
    private static final String DECOMMIT_PATH = "decommit";
    private static final Duration MAX_DELAY = Duration.ofMinutes(1);
    private static final Config DEFAULTS =
            ExampleSettings.loadDefaults(FixedDelayPurgePolicyProvider.class, "fixed-delay-purge.conf");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public FixedDelayPurgePolicyProvider() {
    }

    /** @return {@code "example-fixed-delay"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code delay = 250 ms, decommit = off} */
    @Override
    public Config defaults() {
        return DEFAULTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.typesafe.config.ConfigException.BadValue if {@code delay} is not a duration
     *         from 0 to 1 min
     * @throws com.typesafe.config.ConfigException.WrongType if {@code decommit} is not a boolean
     */
    @Override
    public PurgePolicy create(StrategyContext context) {
        Config settings = context.settings();
        Duration delay = ExampleSettings.durationUpTo(settings, DELAY_PATH, MAX_DELAY);
        PurgePolicy.PurgeKind kind = settings.getBoolean(DECOMMIT_PATH)
                ? PurgePolicy.PurgeKind.DECOMMIT
                : PurgePolicy.PurgeKind.RESET;
        return new FixedDelayPurgePolicy(delay.toNanos(), kind);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + NAME + "]";
    }
}
