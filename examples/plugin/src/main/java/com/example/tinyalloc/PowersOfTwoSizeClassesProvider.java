package com.example.tinyalloc;

import com.typesafe.config.Config;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code example-powers-of-two} size classes: 16, 32, 64, ... bytes, doubling up to and
 * including {@code max-size}. Few classes, so few partly used pages, for up to 50 % waste
 * ({@code (block - request) / block}: a request one byte above a power of two takes a block
 * almost twice its size).
 *
 * {@snippet lang = hocon :
 * size-classes {
 *   provider = example-powers-of-two
 *   example-powers-of-two.max-size = 32 KiB
 * }
 * }
 *
 * <p>Settings ({@code size-classes.example-powers-of-two}):
 * <ul>
 *   <li>{@code max-size}: the largest class, a memory size; a power of two from 16 bytes to an
 *       eighth of the segment size, default 32 KiB. tinyalloc also checks that the largest page
 *       holds 8 blocks of it (with the default page sizes, up to 64 KiB).
 * </ul>
 */
public final class PowersOfTwoSizeClassesProvider implements SizeClassesProvider {

    private static final String NAME = "example-powers-of-two";
    private static final String MAX_SIZE_PATH = "max-size";
    /** A class must fit this many times in a segment, as tinyalloc's own tables require. */
    private static final int MIN_BLOCKS_PER_SEGMENT = 8;
    private static final Config DEFAULTS =
            ExampleSettings.loadDefaults(PowersOfTwoSizeClassesProvider.class, "powers-of-two.conf");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public PowersOfTwoSizeClassesProvider() {
    }

    /** @return {@code "example-powers-of-two"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return {@code max-size = 32 KiB} */
    @Override
    public Config defaults() {
        return DEFAULTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws com.typesafe.config.ConfigException.BadValue if {@code max-size} is not a power of
     *         two from 16 bytes to an eighth of {@link StrategyContext#segmentByteSize()}
     */
    @Override
    public SizeClasses create(StrategyContext context) {
        long maxByteSize = ExampleSettings.powerOfTwoBytes(context.settings(), MAX_SIZE_PATH,
                PowersOfTwoSizeClasses.MIN_BYTE_SIZE, context.segmentByteSize() / MIN_BLOCKS_PER_SEGMENT);
        return PowersOfTwoSizeClasses.upTo(maxByteSize);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + NAME + "]";
    }
}
