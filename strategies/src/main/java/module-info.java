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
 *       {@code immediate}, {@code decay} (reset, then decommit) and {@code none}.
 *   <li>Page selection ({@code page-selection.provider}): {@code first-fit} (the default), the
 *       page queue's order; {@code lowest-address}, fewer and fuller pages.
 *   <li>Remote frees ({@code remote-free.provider}): {@code per-page} (the default), one CAS
 *       per block on its page; {@code batched}, messages of {@code batch-size} blocks per
 *       owning heap.
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
                 io.tinyalloc.strategies.DecayPurgePolicyProvider,
                 io.tinyalloc.strategies.NoPurgePolicyProvider;
    provides io.tinyalloc.spi.PageSelectionProvider
            with io.tinyalloc.strategies.FirstFitPageSelectionProvider,
                 io.tinyalloc.strategies.LowestAddressPageSelectionProvider;
    provides io.tinyalloc.spi.RemoteFreeProvider
            with io.tinyalloc.strategies.PerPageRemoteFreeProvider,
                 io.tinyalloc.strategies.BatchedRemoteFreeProvider;
}
