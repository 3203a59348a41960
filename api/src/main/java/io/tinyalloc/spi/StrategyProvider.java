package io.tinyalloc.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * What every strategy provider has: a name to be chosen by, a support check, and default
 * settings.
 *
 * <p>A provider's settings live in {@code tinyalloc.conf} in a block named after the provider,
 * inside the block of its kind; for example the {@code delayed} purge policy reads
 * {@code purge.delayed}. The configuration module merges that block over
 * {@link #defaults()} and reports keys that the defaults do not have as unknown.
 */
public interface StrategyProvider {

    /**
     * Returns the name by which {@code tinyalloc.conf} selects this provider: lower case
     * letters, digits and dashes, unique among the providers of its kind.
     *
     * @return the name of this provider
     */
    String name();

    /**
     * Returns whether this provider works on this machine (operating system, architecture,
     * JDK). An unsupported provider is never selected automatically, and selecting it by name
     * fails at start-up.
     *
     * @return {@code true} if this provider can be used here
     */
    default boolean isSupported() {
        return true;
    }

    /**
     * Returns the default settings of this provider: every key it reads, with its default
     * value. Keys set in {@code tinyalloc.conf} that are not here are reported as unknown.
     *
     * @return the default settings, empty if the provider has none
     */
    default Config defaults() {
        return ConfigFactory.empty();
    }
}
