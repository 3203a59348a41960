/**
 * The built-in strategies of tinyalloc, each chosen by name in {@code tinyalloc.conf}.
 *
 * <ul>
 *   <li>Size classes ({@code size-classes.provider}): {@code jemalloc} (the default), four
 *       classes per doubling, and {@code mimalloc}, eight.
 *   <li>Page lookup ({@code page-lookup.provider}): {@code masking}, segments aligned to their
 *       size.
 *   <li>Purge policies ({@code purge.provider}): {@code delayed} (the default),
 *       {@code immediate} and {@code none}.
 * </ul>
 */
module io.tinyalloc.strategies {
    requires io.tinyalloc;

    provides io.tinyalloc.spi.SizeClassesProvider
            with io.tinyalloc.strategies.JemallocSizeClassesProvider,
                 io.tinyalloc.strategies.MimallocSizeClassesProvider;
    provides io.tinyalloc.spi.PageLookupProvider
            with io.tinyalloc.strategies.MaskingPageLookupProvider;
    provides io.tinyalloc.spi.PurgePolicyProvider
            with io.tinyalloc.strategies.DelayedPurgePolicyProvider,
                 io.tinyalloc.strategies.ImmediatePurgePolicyProvider,
                 io.tinyalloc.strategies.NoPurgePolicyProvider;
}
