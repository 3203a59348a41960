/**
 * The tinyalloc user API ({@code io.tinyalloc}) and the service provider interface through
 * which the engine, the strategies and the platforms plug in ({@code io.tinyalloc.spi}).
 */
module io.tinyalloc {
    requires transitive typesafe.config;

    exports io.tinyalloc;
    exports io.tinyalloc.spi;

    uses io.tinyalloc.spi.EngineProvider;
    uses io.tinyalloc.spi.PlatformMemoryProvider;
    uses io.tinyalloc.spi.SizeClassesProvider;
    uses io.tinyalloc.spi.PageLookupProvider;
    uses io.tinyalloc.spi.PurgePolicyProvider;
    uses io.tinyalloc.spi.PageSelectionProvider;
    uses io.tinyalloc.spi.RemoteFreeProvider;
}
