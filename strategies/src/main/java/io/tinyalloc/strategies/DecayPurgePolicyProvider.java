package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;
import java.time.Duration;

/**
 * The {@code decay} purge policy, jemalloc's two phases: memory that became empty is reset
 * ({@code MADV_FREE} on Linux) once it has stayed unused for {@code dirty-delay}, and
 * decommitted ({@code MADV_DONTNEED}) once it has stayed reset for {@code muzzy-delay} more.
 * Reset memory is still free and is reused without a system call or, unless the system took it
 * back meanwhile, a page fault; decommitted memory has left the resident set for certain.
 *
 * <p>Settings ({@code purge.decay}):
 * <ul>
 *   <li>{@code dirty-delay}: a duration from 0 to 1 h, default 25 ms.
 *   <li>{@code muzzy-delay}: a duration from 0 to 1 h, default 25 ms. With 0 the reset phase is
 *       skipped: memory is decommitted after {@code dirty-delay}, as with {@code delayed}.
 * </ul>
 *
 * <p>The defaults keep the 1:1 ratio of jemalloc 5.0 and 5.1 ({@code dirty_decay_ms} and
 * {@code muzzy_decay_ms} both 10 s), on the 25 ms time scale of tinyalloc's {@code delayed}
 * policy: empty memory is decommitted 50 ms after it emptied, twice the delay of
 * {@code delayed}. jemalloc 5.2 set {@code muzzy_decay_ms} to 0 by default, which here is
 * {@code muzzy-delay = 0}.
 */
public final class DecayPurgePolicyProvider implements PurgePolicyProvider {

    private static final String NAME = "decay";
    private static final String DIRTY_DELAY_PATH = "dirty-delay";
    private static final String MUZZY_DELAY_PATH = "muzzy-delay";
    private static final Duration MAX_DELAY = Duration.ofHours(1);
    private static final Config DEFAULTS = Defaults.load(DecayPurgePolicyProvider.class, "decay-purge.conf");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public DecayPurgePolicyProvider() {
    }

    /** @return {@code "decay"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code dirty-delay = 25 ms, muzzy-delay = 25 ms} */
    @Override
    public Config defaults() {
        return DEFAULTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.typesafe.config.ConfigException.BadValue if {@code dirty-delay} or
     *         {@code muzzy-delay} is not a duration from 0 to 1 h
     */
    @Override
    public PurgePolicy create(StrategyContext context) {
        Config settings = context.settings();
        Duration dirtyDelay = Settings.duration(settings, DIRTY_DELAY_PATH, Duration.ZERO, MAX_DELAY);
        Duration muzzyDelay = Settings.duration(settings, MUZZY_DELAY_PATH, Duration.ZERO, MAX_DELAY);
        if (muzzyDelay.isZero()) {
            // A reset immediately followed by a decommit would be a system call for nothing.
            return new FixedPurgePolicy(dirtyDelay.toNanos(), PurgePolicy.PurgeKind.DECOMMIT);
        }
        return new DecayPurgePolicy(dirtyDelay.toNanos(), muzzyDelay.toNanos());
    }

    @Override
    public String toString() {
        return "DecayPurgePolicyProvider[" + NAME + "]";
    }
}
