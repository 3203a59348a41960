package io.tinyalloc.strategies;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.StrategyContext;
import io.tinyalloc.spi.StrategyProvider;

/** Builds contexts the way the configuration module does: the user's block over the defaults. */
final class StrategyContexts {

    static final long OS_PAGE_BYTE_SIZE = 4L << 10;
    static final long SEGMENT_BYTE_SIZE = 4L << 20;

    private StrategyContexts() {
    }

    static StrategyContext withSettings(StrategyProvider provider, String hocon) {
        return new StrategyContext(ConfigFactory.parseString(hocon).withFallback(provider.defaults()).resolve(),
                OS_PAGE_BYTE_SIZE, SEGMENT_BYTE_SIZE);
    }

    static StrategyContext withDefaults(StrategyProvider provider) {
        return withSettings(provider, "");
    }
}
