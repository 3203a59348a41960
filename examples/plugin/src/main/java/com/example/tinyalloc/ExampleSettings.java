package com.example.tinyalloc;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.net.URL;
import java.time.Duration;

/**
 * Loads the providers' defaults and reads their settings, reporting a value out of range as
 * {@link ConfigException.BadValue} with the key, the value as written and what is allowed, the
 * way tinyalloc's own providers do: tinyalloc prints the message with the file and line.
 */
final class ExampleSettings {

    private static final String[] BYTE_UNITS = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final int BYTE_UNIT_SHIFT = 10;

    private ExampleSettings() {
    }

    /**
     * Parses the HOCON resource {@code resourceName} in {@code owner}'s package, where every
     * setting of the provider is written with its default and a comment.
     *
     * @throws IllegalStateException if the resource is missing, which is a packaging bug
     */
    static Config loadDefaults(Class<?> owner, String resourceName) {
        URL resource = owner.getResource(resourceName);
        if (resource == null) {
            throw new IllegalStateException("the default settings of " + owner.getName() + " are missing: "
                    + resourceName + " is not in the " + owner.getPackageName() + " package");
        }
        return ConfigFactory.parseURL(resource).resolve();
    }

    /**
     * Reads a memory size that must be a power of two within {@code [minBytes, maxBytes]}.
     *
     * @throws ConfigException.BadValue if it is not
     */
    static long powerOfTwoBytes(Config settings, String path, long minBytes, long maxBytes) {
        long bytes = settings.getBytes(path);
        if (Long.bitCount(bytes) != 1 || bytes < minBytes || bytes > maxBytes) {
            throw badValue(settings, path, "a power of two from " + describeBytes(minBytes) + " to " + describeBytes(maxBytes));
        }
        return bytes;
    }

    /**
     * Reads a duration that must lie within {@code [0, max]}.
     *
     * @throws ConfigException.BadValue if it does not
     */
    static Duration durationUpTo(Config settings, String path, Duration max) {
        Duration duration = settings.getDuration(path);
        if (duration.isNegative() || duration.compareTo(max) > 0) {
            throw badValue(settings, path, "a duration from 0 to " + max.toMillis() + " ms");
        }
        return duration;
    }

    private static ConfigException.BadValue badValue(Config settings, String path, String expected) {
        ConfigValue value = settings.getValue(path);
        return new ConfigException.BadValue(value.origin(), path, value.unwrapped() + " (expected: " + expected + ")");
    }

    /** Writes a byte count with the largest binary unit that divides it: {@code 512 KiB}, {@code 16 bytes}. */
    static String describeBytes(long bytes) {
        int unit = 0;
        while (bytes != 0 && unit < BYTE_UNITS.length - 1 && bytes % (1L << BYTE_UNIT_SHIFT) == 0) {
            bytes >>= BYTE_UNIT_SHIFT;
            unit++;
        }
        return bytes + " " + BYTE_UNITS[unit];
    }
}
