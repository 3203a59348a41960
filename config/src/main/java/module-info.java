/**
 * Reads and validates tinyalloc.conf, finds the strategies it names and builds the engine.
 *
 * <p>The strategies and platforms are found at run time with {@link java.util.ServiceLoader}:
 * this module calls the loader, so it declares {@code uses} for every provider kind.
 */
module io.tinyalloc.config {
    requires io.tinyalloc;
    requires io.tinyalloc.core;
    requires org.slf4j;

    uses io.tinyalloc.spi.PlatformMemoryProvider;
    uses io.tinyalloc.spi.SizeClassesProvider;
    uses io.tinyalloc.spi.PageLookupProvider;
    uses io.tinyalloc.spi.PurgePolicyProvider;
    uses io.tinyalloc.spi.PageSelectionProvider;
    uses io.tinyalloc.spi.RemoteFreeProvider;

    provides io.tinyalloc.spi.EngineProvider with io.tinyalloc.config.ConfiguredEngineProvider;
}
