/** The tinyalloc engine: heaps, segments, pages, blocks, the fast paths and the stats. */
module io.tinyalloc.core {
    requires io.tinyalloc;
    requires org.slf4j;

    exports io.tinyalloc.core to io.tinyalloc.config;
}
