package io.tinyalloc.spi;

import com.typesafe.config.Config;

/**
 * What a strategy is created from: its own settings and the engine's geometry.
 *
 * @param settings the provider's block of {@code tinyalloc.conf}, merged over its
 *        {@linkplain StrategyProvider#defaults() defaults}
 * @param osPageByteSize the operating system's page size, in bytes
 * @param segmentByteSize the engine's segment size, in bytes (a power of two)
 */
public record StrategyContext(Config settings, long osPageByteSize, long segmentByteSize) {
}
