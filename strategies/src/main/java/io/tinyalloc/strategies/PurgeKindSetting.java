package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import io.tinyalloc.spi.PurgePolicy.PurgeKind;

/** The {@code kind} setting shared by the purge policies: how memory is given back. */
final class PurgeKindSetting {

    /** The key, relative to the policy's settings block. */
    static final String PATH = "kind";

    private PurgeKindSetting() {
    }

    /**
     * Reads {@code kind}: {@code decommit} or {@code reset}.
     *
     * @throws com.typesafe.config.ConfigException.BadValue if it is neither
     */
    static PurgeKind read(Config settings) {
        return Settings.enumConstant(settings, PATH, PurgeKind.class);
    }
}
