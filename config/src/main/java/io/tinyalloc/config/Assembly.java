package io.tinyalloc.config;

import io.tinyalloc.core.EngineSettings;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.SizeClasses;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the engine is built from, validated: its settings and one strategy of each kind.
 *
 * @param settings the engine's settings, with the description of the whole combination
 * @param platform the platform memory
 * @param sizeClasses the size-class table
 * @param pageLookup the address-to-segment lookup
 * @param purgePolicy the purge policy
 * @param pageSelection the page selection
 * @param remoteFree how blocks freed by other threads reach their heap
 * @param effectiveConfig every key in use, with its value and origin
 * @param traceFile the file to record every call in, if tracing is on
 */
record Assembly(
        EngineSettings settings,
        PlatformMemory platform,
        SizeClasses sizeClasses,
        PageLookup pageLookup,
        PurgePolicy purgePolicy,
        PageSelection pageSelection,
        RemoteFree remoteFree,
        EffectiveConfig effectiveConfig,
        Optional<Path> traceFile) {
}
