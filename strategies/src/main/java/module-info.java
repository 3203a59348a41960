/**
 * The built-in strategies of tinyalloc, each chosen by name in {@code tinyalloc.conf}.
 *
 * <ul>
 *   <li>Size classes ({@code size-classes.provider}): {@code jemalloc} (the default), four
 *       classes per doubling; {@code mimalloc}, eight; {@code tinyalloc32}, the prototype's
 *       table; {@code custom}, a list given in the configuration.
 *   <li>Page lookup ({@code page-lookup.provider}): {@code masking} (the default), segments
 *       aligned to their size; {@code radix}, a two-level map from segment-size slots to
 *       regions.
 *   <li>Purge policies ({@code purge.provider}): {@code delayed} (the default),
 *       {@code immediate} and {@code none}.
 * </ul>
 */
module io.tinyalloc.strategies {
    requires io.tinyalloc;

    provides io.tinyalloc.spi.SizeClassesProvider
            with io.tinyalloc.strategies.JemallocSizeClassesProvider,
                 io.tinyalloc.strategies.MimallocSizeClassesProvider,
                 io.tinyalloc.strategies.Tinyalloc32SizeClassesProvider,
                 io.tinyalloc.strategies.CustomSizeClassesProvider;
    provides io.tinyalloc.spi.PageLookupProvider
            with io.tinyalloc.strategies.MaskingPageLookupProvider,
                 io.tinyalloc.strategies.RadixPageLookupProvider;
    provides io.tinyalloc.spi.PurgePolicyProvider
            with io.tinyalloc.strategies.DelayedPurgePolicyProvider,
                 io.tinyalloc.strategies.ImmediatePurgePolicyProvider,
                 io.tinyalloc.strategies.NoPurgePolicyProvider;
}
