package io.tinyalloc.spi;

/** Provides a {@link PageSelection}, chosen with {@code page-selection.provider}. */
public interface PageSelectionProvider extends StrategyProvider {

    /**
     * Creates the page selection.
     *
     * @param context this provider's settings and the engine's geometry
     * @return the page selection
     * @throws com.typesafe.config.ConfigException if a setting is not valid
     */
    PageSelection create(StrategyContext context);
}
