package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * What the {@code jemalloc} and {@code mimalloc} tables share: a fixed number of classes per
 * doubling of size, up to the {@code max-size} setting. Each subclass names itself and its count.
 */
abstract class GeometricSizeClassesProvider implements SizeClassesProvider {

    private final String name;
    private final int classesPerDoubling;
    private final Config defaults;

    GeometricSizeClassesProvider(String name, int classesPerDoubling, String defaultsResource) {
        this.name = name;
        this.classesPerDoubling = classesPerDoubling;
        this.defaults = Defaults.load(getClass(), defaultsResource);
    }

    @Override
    public final String name() {
        return name;
    }

    /** @return {@code max-size = 64 KiB} */
    @Override
    public final Config defaults() {
        return defaults;
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.typesafe.config.ConfigException.BadValue if {@code max-size} is not a power of
     *         two from 1 KiB to 16 MiB
     */
    @Override
    public final SizeClasses create(StrategyContext context) {
        return SizeClassTable.geometric(name, classesPerDoubling, MaxSize.read(context.settings()));
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
