package io.tinyalloc.strategies;

import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code radix} page lookup: a two-level page map of the 48-bit user address space, with one
 * entry per segment-size slot that holds the start of the segment or large region there.
 *
 * <p>The trade-off against {@code masking}: each free costs two dependent loads (a leaf of the
 * map, then its entry) instead of one AND, and registering or unregistering a segment takes a
 * lock and writes one entry per slot it covers. In exchange every address of a large region,
 * not only its first segment-size bytes, finds the region's start; an address in no registered
 * region finds 0 rather than a guess; and the map does not depend on where in a slot a region
 * starts, only on no two regions sharing a slot. The map reserves its leaves lazily, off-heap:
 * a leaf covers 2<sup>leaf bits</sup> slots (32 GiB of address space with 4 MiB segments) and
 * costs 64 KiB there, 512 KiB with 64 KiB segments.
 *
 * <p>It has no settings.
 */
public final class RadixPageLookupProvider implements PageLookupProvider {

    private static final String NAME = "radix";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public RadixPageLookupProvider() {
    }

    /** @return {@code "radix"} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the context's segment size is not a power of two
     *         from 2<sup>16</sup> (64 KiB) to 2<sup>47</sup>
     */
    @Override
    public PageLookup create(StrategyContext context) {
        return new RadixPageLookup(context.segmentByteSize());
    }

    @Override
    public String toString() {
        return "RadixPageLookupProvider[" + NAME + "]";
    }
}
