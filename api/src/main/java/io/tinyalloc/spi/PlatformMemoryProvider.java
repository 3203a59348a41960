package io.tinyalloc.spi;

import com.typesafe.config.Config;

/**
 * Provides the {@link PlatformMemory} of one operating system. With {@code platform.provider =
 * auto} the engine takes the one provider that {@linkplain #isSupported() is supported} here.
 */
public interface PlatformMemoryProvider extends StrategyProvider {

    /**
     * Creates the platform memory.
     *
     * @param settings this provider's block of {@code tinyalloc.conf}, over its defaults
     * @return the platform memory
     * @throws com.typesafe.config.ConfigException if a setting is not valid
     */
    PlatformMemory create(Config settings);
}
