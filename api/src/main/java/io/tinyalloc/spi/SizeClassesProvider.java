package io.tinyalloc.spi;

/** Provides a {@link SizeClasses} table, chosen with {@code size-classes.provider}. */
public interface SizeClassesProvider extends StrategyProvider {

    /**
     * Creates the table.
     *
     * @param context this provider's settings and the engine's geometry
     * @return the size classes
     * @throws com.typesafe.config.ConfigException if a setting is not valid
     */
    SizeClasses create(StrategyContext context);
}
