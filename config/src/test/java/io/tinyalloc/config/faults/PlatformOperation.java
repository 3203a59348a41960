package io.tinyalloc.config.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The calls of {@link io.tinyalloc.spi.PlatformMemory} that a fault schedule can make fail, with
 * the name {@code tinyalloc.conf} writes them by ({@code reserve}, {@code commit} ...).
 * {@code pageByteSize} is not among them: it is read once, when the engine is built.
 */
enum PlatformOperation {
    RESERVE,
    COMMIT,
    /** A purge that gives memory back at once, and the release of a small segment. */
    DECOMMIT,
    /** A purge that lets the system take memory back lazily ({@code MADV_FREE}). */
    RESET,
    RELEASE,
    PROTECT;

    /** Returns the name of this operation in {@code tinyalloc.conf}: lower case. */
    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the operation named {@code configName}, or {@code null} if none is.
     *
     * @param configName a name as written in {@code tinyalloc.conf}
     */
    static PlatformOperation ofConfigName(String configName) {
        for (PlatformOperation operation : values()) {
            if (operation.configName().equals(configName)) {
                return operation;
            }
        }
        return null;
    }

    /** Returns every name, for messages: {@code reserve, commit, ...}. */
    static String configNames() {
        return Arrays.stream(values()).map(PlatformOperation::configName).collect(Collectors.joining(", "));
    }
}
