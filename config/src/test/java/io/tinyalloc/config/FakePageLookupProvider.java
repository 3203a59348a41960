package io.tinyalloc.config;

import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.StrategyContext;

/** Masking, without settings, named {@code test-fake}. */
public final class FakePageLookupProvider implements PageLookupProvider {

    @Override
    public String name() {
        return "test-fake";
    }

    @Override
    public PageLookup create(StrategyContext context) {
        long segmentByteSize = context.segmentByteSize();
        return new PageLookup() {
            @Override
            public long segmentByteAlignment(long segmentSize) {
                return segmentSize;
            }

            @Override
            public void register(long segmentAddress, long byteSize) {
            }

            @Override
            public void unregister(long segmentAddress, long byteSize) {
            }

            @Override
            public long segmentOf(long address) {
                return address & -segmentByteSize;
            }
        };
    }
}
