package com.example.tinyalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.StrategyContext;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The example providers on their own, without an engine: their tables, policies and errors. */
class ExampleProvidersTest {

    private static final long OS_PAGE_BYTE_SIZE = 4096;
    private static final long SEGMENT_BYTE_SIZE = 4L << 20;

    @Test
    void theDefaultTableDoublesFrom16BytesTo32KiB() {
        SizeClasses table = new PowersOfTwoSizeClassesProvider().create(context(ConfigFactory.empty(),
                new PowersOfTwoSizeClassesProvider().defaults()));

        long[] sizes = IntStream.range(0, table.count()).mapToLong(table::byteSize).toArray();
        assertEquals(12, sizes.length);
        assertEquals(16, sizes[0]);
        assertEquals(32 << 10, sizes[sizes.length - 1]);
        IntStream.range(1, sizes.length).forEach(i -> assertEquals(2 * sizes[i - 1], sizes[i]));
        assertThrows(IndexOutOfBoundsException.class, () -> table.byteSize(table.count()));
    }

    @Test
    void aMaxSizeThatIsNotAPowerOfTwoIsRejectedWithItsValue() {
        PowersOfTwoSizeClassesProvider provider = new PowersOfTwoSizeClassesProvider();
        Config settings = ConfigFactory.parseString("max-size = 48 KiB");

        ConfigException.BadValue error = assertThrows(ConfigException.BadValue.class,
                () -> provider.create(context(settings, provider.defaults())));

        assertTrue(error.getMessage().contains("max-size"), error.getMessage());
        assertTrue(error.getMessage().contains("48 KiB (expected: a power of two from 16 bytes to 512 KiB)"),
                error.getMessage());
    }

    @Test
    void thePolicyTakesItsDelayAndKindFromItsBlock() {
        FixedDelayPurgePolicyProvider provider = new FixedDelayPurgePolicyProvider();

        PurgePolicy byDefault = provider.create(context(ConfigFactory.empty(), provider.defaults()));
        PurgePolicy configured = provider.create(context(
                ConfigFactory.parseString("delay = 5 ms, decommit = on"), provider.defaults()));

        assertEquals(250_000_000L, byDefault.purgeDelayNanos());
        assertEquals(PurgePolicy.PurgeKind.RESET, byDefault.purgeKind());
        assertEquals(5_000_000L, configured.purgeDelayNanos());
        assertEquals(PurgePolicy.PurgeKind.DECOMMIT, configured.purgeKind());
    }

    @Test
    void aDelayAboveAMinuteIsRejectedWithItsValue() {
        FixedDelayPurgePolicyProvider provider = new FixedDelayPurgePolicyProvider();

        ConfigException.BadValue error = assertThrows(ConfigException.BadValue.class, () -> provider.create(
                context(ConfigFactory.parseString("delay = 2 m"), provider.defaults())));

        assertTrue(error.getMessage().contains("2 m (expected: a duration from 0 to 60000 ms)"), error.getMessage());
    }

    /** The settings tinyalloc would pass: the block as written over the provider's defaults. */
    private static StrategyContext context(Config block, Config defaults) {
        return new StrategyContext(block.withFallback(defaults), OS_PAGE_BYTE_SIZE, SEGMENT_BYTE_SIZE);
    }
}
