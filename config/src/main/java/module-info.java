/** Reads and validates tinyalloc.conf, finds the strategies it names and builds the engine. */
module io.tinyalloc.config {
    requires io.tinyalloc;
    requires io.tinyalloc.core;
    requires org.slf4j;

    provides io.tinyalloc.spi.EngineProvider with io.tinyalloc.config.ConfiguredEngineProvider;
}
