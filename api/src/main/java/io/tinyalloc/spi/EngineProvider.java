package io.tinyalloc.spi;

import com.typesafe.config.Config;
import io.tinyalloc.Allocator;

/**
 * The engine behind {@link io.tinyalloc.TinyAlloc}: validates a configuration, finds the
 * strategies it names and builds an {@link Allocator}. Exactly one must be present; the
 * {@code io.tinyalloc.config} module provides it.
 */
public interface EngineProvider {

    /**
     * Returns the name of this engine, for error messages.
     *
     * @return the name
     */
    String name();

    /**
     * Validates {@code config} and builds an allocator from it.
     *
     * @param config the keys of {@code tinyalloc.conf}, at the root
     * @return a new allocator
     * @throws com.typesafe.config.ConfigException if the configuration is not valid; the
     *         message lists every problem with its key, file and line
     * @throws IllegalStateException if a strategy it names cannot be found or used here
     * @throws io.tinyalloc.AllocationFailedException if the initial memory cannot be mapped
     */
    Allocator create(Config config);
}
