/**
 * The service provider interface of tinyalloc: what a platform, a size-class table, a
 * metadata lookup, a purge policy or a page selection implements to plug into the engine.
 *
 * <p>Each strategy kind has a provider interface found with {@link java.util.ServiceLoader}
 * ({@code provides ... with} in a module, or {@code META-INF/services} on the class path).
 * A provider has a {@linkplain StrategyProvider#name() name}, the one written in
 * {@code tinyalloc.conf}, says whether it {@linkplain StrategyProvider#isSupported() works
 * here}, and creates its strategy from its own block of the configuration. The engine asks
 * strategies only when it builds its tables or takes a slow path: none of them is called for
 * each allocation except {@link io.tinyalloc.spi.PageLookup#segmentOf(long)}, which must be
 * as cheap as a mask.
 */
package io.tinyalloc.spi;
