package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;

/**
 * Every key an allocator was built from, with its value and where it was set: a file and line
 * for a key the user wrote, {@code default} for one taken from the reference or a provider's
 * defaults.
 *
 * {@snippet :
 * segment-size = 4 MiB  # default
 * purge.delayed.delay = 50 ms  # /etc/app/tinyalloc.conf:7
 * }
 *
 * @param effective the keys in use: the engine's, and the block of every selected provider
 * @param user the configuration as the user wrote it
 */
record EffectiveConfig(Config effective, Config user) {

    /** The origin shown for a value the user did not set. */
    static final String DEFAULT = "default";

    /**
     * Returns one line per key, sorted by key path.
     *
     * @return lines such as {@code segment-size = 4 MiB  # default}
     */
    List<String> lines() {
        return effective.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + " = " + Values.render(entry.getValue()) + "  # " + originOf(entry.getKey()))
                .toList();
    }

    private String originOf(String path) {
        ConfigValue set = Values.at(user, path);
        return set == null ? DEFAULT : Values.location(set.origin());
    }
}
