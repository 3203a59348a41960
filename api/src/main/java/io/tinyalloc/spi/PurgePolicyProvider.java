package io.tinyalloc.spi;

/** Provides a {@link PurgePolicy}, chosen with {@code purge.provider}. */
public interface PurgePolicyProvider extends StrategyProvider {

    /**
     * Creates the policy.
     *
     * @param context this provider's settings and the engine's geometry
     * @return the policy
     * @throws com.typesafe.config.ConfigException if a setting is not valid
     */
    PurgePolicy create(StrategyContext context);
}
