package io.tinyalloc.strategies;

import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.StrategyContext;

/**
 * The {@code masking} page lookup: every segment is aligned to the segment size, and the
 * segment of an address is the address with its low bits cleared,
 * {@code address & ~(segmentByteSize - 1)}.
 *
 * <p>The trade-off: lookup on every free is a single AND, with no memory read and nothing to
 * keep in sync; in exchange each segment must be mapped at an address aligned to its size,
 * which the operating system does not promise beyond its page size. Reserving an aligned
 * segment maps up to one segment size minus a page more than needed and unmaps the excess (or
 * reserves whole arenas at once to amortize it), and a large block that spans several segments
 * can only be looked up from its first segment-size bytes. A page map avoids the alignment but
 * costs a load or two per free and a table to maintain.
 *
 * <p>It has no settings.
 */
public final class MaskingPageLookupProvider implements PageLookupProvider {

    private static final String NAME = "masking";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public MaskingPageLookupProvider() {
    }

    /** @return {@code "masking"} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the context's segment size is not a power of two
     */
    @Override
    public PageLookup create(StrategyContext context) {
        return new MaskingPageLookup(context.segmentByteSize());
    }

    @Override
    public String toString() {
        return "MaskingPageLookupProvider[" + NAME + "]";
    }
}
