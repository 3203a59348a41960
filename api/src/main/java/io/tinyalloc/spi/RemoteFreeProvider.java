package io.tinyalloc.spi;

/** Provides a {@link RemoteFree}, chosen with {@code remote-free.provider}. */
public interface RemoteFreeProvider extends StrategyProvider {

    /**
     * Creates the remote-free delivery.
     *
     * @param context this provider's settings and the engine's geometry
     * @return the remote-free delivery
     * @throws com.typesafe.config.ConfigException if a setting is not valid
     */
    RemoteFree create(StrategyContext context);
}
