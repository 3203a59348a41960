package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A delayed purge named {@code test-delayed}, with {@code delay} and {@code kind} and the errors a
 * real provider would throw for them.
 */
public final class FakePurgeProvider implements PurgePolicyProvider {

    static final String DELAY = "delay";
    static final String KIND = "kind";

    @Override
    public String name() {
        return "test-delayed";
    }

    @Override
    public Config defaults() {
        return ConfigFactory.parseString(DELAY + " = 10 ms\n" + KIND + " = decommit");
    }

    @Override
    public PurgePolicy create(StrategyContext context) {
        Config settings = context.settings();
        long delayNanos = settings.getDuration(DELAY, TimeUnit.NANOSECONDS);
        if (delayNanos < 0) {
            throw new ConfigException.BadValue(settings.getValue(DELAY).origin(), DELAY,
                    settings.getString(DELAY) + " (expected: a duration, 0 or more)");
        }
        PurgePolicy.PurgeKind kind = switch (settings.getString(KIND).toLowerCase(Locale.ROOT)) {
            case "decommit" -> PurgePolicy.PurgeKind.DECOMMIT;
            case "reset" -> PurgePolicy.PurgeKind.RESET;
            default -> throw new ConfigException.BadValue(settings.getValue(KIND).origin(), KIND,
                    settings.getString(KIND) + " (expected: decommit or reset)");
        };
        return new PurgePolicy() {
            @Override
            public long purgeDelayNanos() {
                return delayNanos;
            }

            @Override
            public PurgeKind purgeKind() {
                return kind;
            }
        };
    }
}
