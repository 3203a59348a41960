package io.tinyalloc.strategies;

import com.typesafe.config.Config;

/** The {@code max-size} setting shared by the size-class tables: their largest class. */
final class MaxSize {

    /** The key, relative to the table's settings block. */
    static final String PATH = "max-size";
    /** The smallest allowed: tables below it would send common sizes to the large path. */
    static final long MIN_BYTE_SIZE = 1L << 10;
    /**
     * The largest allowed: a class must fit a page of at most a segment (64 MiB) several times
     * over, and classes this big are better served by the large path.
     */
    static final long MAX_BYTE_SIZE = 16L << 20;

    private MaxSize() {
    }

    /**
     * Reads {@code max-size}.
     *
     * @throws com.typesafe.config.ConfigException.BadValue if it is not a power of two within
     *         [{@link #MIN_BYTE_SIZE}, {@link #MAX_BYTE_SIZE}]
     */
    static long read(Config settings) {
        return Settings.powerOfTwoBytes(settings, PATH, MIN_BYTE_SIZE, MAX_BYTE_SIZE);
    }
}
