package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code custom} size classes: a table written out in {@code tinyalloc.conf}, for a workload
 * whose object sizes are known, so that each gets a class that fits it exactly.
 *
 * {@snippet lang = hocon :
 * size-classes {
 *   provider = custom
 *   custom.sizes = [8, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 1 KiB, 4 KiB, 16 KiB]
 * }
 * }
 *
 * <p>Waste, {@code (block - request) / block}, is whatever the list makes it: for a class of
 * {@code block} bytes after one of {@code previous}, at most {@code (block - previous - 1) / block}.
 *
 * <p>Settings ({@code size-classes.custom}):
 * <ul>
 *   <li>{@code sizes}: the classes, a list of memory sizes; at least one, strictly ascending,
 *       each a multiple of 16 except a first class of 8, and none above an eighth of the
 *       segment size. No default: the empty list of the defaults is rejected. The
 *       configuration also checks, against the page sizes, that the largest page holds 8
 *       blocks of the largest class.
 * </ul>
 */
public final class CustomSizeClassesProvider implements SizeClassesProvider {

    private static final String NAME = "custom";

    private final Config defaults = Defaults.load(getClass(), "custom-size-classes.conf");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public CustomSizeClassesProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code sizes = []} */
    @Override
    public Config defaults() {
        return defaults;
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.typesafe.config.ConfigException.BadValue if {@code sizes} is not a list, is
     *         empty, or holds a size that is not a memory size, not above the size before it,
     *         not a multiple of 16 (but for a first size of 8), or above an eighth of
     *         {@link StrategyContext#segmentByteSize()}
     */
    @Override
    public SizeClasses create(StrategyContext context) {
        return SizeClassTable.of(NAME, CustomSizes.read(context.settings(), context.segmentByteSize()));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + NAME + "]";
    }
}
