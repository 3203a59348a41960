package io.tinyalloc.spi;

/** Provides a {@link PageLookup}, chosen with {@code page-lookup.provider}. */
public interface PageLookupProvider extends StrategyProvider {

    /**
     * Creates the lookup.
     *
     * @param context this provider's settings and the engine's geometry
     * @return the lookup
     * @throws com.typesafe.config.ConfigException if a setting is not valid
     */
    PageLookup create(StrategyContext context);
}
