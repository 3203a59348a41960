package io.tinyalloc.core;

import com.typesafe.config.ConfigFactory;
import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;

/**
 * The engines the jcstress tests race on: built through the public factory from a
 * {@code tinyalloc.conf} text, then used as the engine class itself so that the tests can read
 * the page descriptors their blocks live in.
 *
 * <p>The geometry makes pages small and their blocks few, so that a test fills a page, empties
 * it and takes another within a handful of calls: 64 KiB segments of 4 KiB pages, and a
 * {@value #BLOCK_BYTE_SIZE}-byte class that a page holds {@value #BLOCKS_PER_PAGE} of.
 */
final class StressEngines {

    /** The block size every test allocates: the largest class, {@value #BLOCKS_PER_PAGE} to a page. */
    static final long BLOCK_BYTE_SIZE = 512;
    /** Blocks of {@link #BLOCK_BYTE_SIZE} in one 4 KiB page. */
    static final int BLOCKS_PER_PAGE = 8;

    private static final String GEOMETRY = """
            segment-size = 64 KiB
            page-sizes = [4 KiB]
            size-classes { provider = custom, custom.sizes = [16, 64, 512] }
            checks = on
            """;

    private StressEngines() {
    }

    /**
     * An engine with the default purge: empty pages wait 10 ms, far longer than a test's race,
     * so that a page the test looks at stays assigned.
     */
    static EngineAllocator crossThreadFree() {
        return create(GEOMETRY);
    }

    /**
     * An engine whose empty pages are decommitted 1 ms after they empty, by the background purger
     * or the owner's next tick, whichever comes first: pages and whole segments go back and are
     * taken again many times while a test runs.
     */
    static EngineAllocator fastPurge() {
        return create(GEOMETRY + """
                purge { provider = delayed, delayed { delay = 1 ms, kind = decommit }, background = on }
                """);
    }

    private static EngineAllocator create(String conf) {
        Allocator allocator = TinyAlloc.create(ConfigFactory.parseString(conf));
        if (allocator instanceof EngineAllocator engine) {
            return engine;
        }
        throw new IllegalStateException("TinyAlloc.create gave " + allocator.getClass().getName()
                + " (expected: the engine itself, " + EngineAllocator.class.getName() + ", with tracing and leak-detection off)");
    }
}
