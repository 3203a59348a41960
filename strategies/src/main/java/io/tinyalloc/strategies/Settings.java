package io.tinyalloc.strategies;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a provider's settings and checks them against their allowed values. A value of the
 * wrong form (not a memory size, not a duration) is reported by Typesafe Config itself; a value
 * out of range by {@link ConfigException.BadValue} naming the key, the value as written and
 * what is allowed, for example
 * {@code Invalid value at 'max-size': 3 KiB (expected: a power of two between 1 KiB and 16 MiB)}.
 */
final class Settings {

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final int BYTE_UNIT_SHIFT = 10;
    /** HOCON duration units, largest first; the last divides every duration. */
    private static final Duration[] DURATION_UNITS = {Duration.ofDays(1), Duration.ofHours(1),
        Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofNanos(1_000),
        Duration.ofNanos(1)};
    private static final String[] DURATION_UNIT_NAMES = {"d", "h", "m", "s", "ms", "us", "ns"};

    private Settings() {
    }

    /**
     * Reads a memory size that must be a power of two within {@code [minBytes, maxBytes]}.
     *
     * @throws ConfigException.BadValue if it is not
     */
    static long powerOfTwoBytes(Config settings, String path, long minBytes, long maxBytes) {
        long bytes = settings.getBytes(path);
        if (Long.bitCount(bytes) != 1 || bytes < minBytes || bytes > maxBytes) {
            throw badValue(settings, path,
                    "a power of two between " + describeBytes(minBytes) + " and " + describeBytes(maxBytes));
        }
        return bytes;
    }

    /**
     * Reads a duration that must lie within {@code [min, max]}.
     *
     * @throws ConfigException.BadValue if it does not
     */
    static Duration duration(Config settings, String path, Duration min, Duration max) {
        Duration duration = settings.getDuration(path);
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            throw badValue(settings, path,
                    "a duration from " + describeDuration(min) + " to " + describeDuration(max));
        }
        return duration;
    }

    /**
     * Reads the name of an enum constant, written in lower case with dashes for underscores
     * ({@code DECOMMIT} is {@code decommit}).
     *
     * @throws ConfigException.BadValue if it names none of them
     */
    static <E extends Enum<E>> E enumConstant(Config settings, String path, Class<E> type) {
        String written = settings.getString(path);
        for (E constant : type.getEnumConstants()) {
            if (configName(constant).equals(written)) {
                return constant;
            }
        }
        throw badValue(settings, path, describeChoices(type));
    }

    private static ConfigException.BadValue badValue(Config settings, String path, String expected) {
        ConfigValue value = settings.getValue(path);
        return new ConfigException.BadValue(value.origin(), path,
                value.unwrapped() + " (expected: " + expected + ")");
    }

    /** Writes a byte count with the largest binary unit that divides it, as in {@code 64 KiB}. */
    static String describeBytes(long bytes) {
        int unit = 0;
        while (bytes != 0 && unit < BYTE_UNITS.length - 1 && bytes % (1L << BYTE_UNIT_SHIFT) == 0) {
            bytes >>= BYTE_UNIT_SHIFT;
            unit++;
        }
        return bytes + " " + BYTE_UNITS[unit];
    }

    /** Writes a duration with the largest HOCON unit that divides it, as in {@code 10 ms}. */
    private static String describeDuration(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        long nanos = duration.toNanos();
        int unit = 0;
        while (nanos % DURATION_UNITS[unit].toNanos() != 0) {
            unit++;
        }
        return nanos / DURATION_UNITS[unit].toNanos() + " " + DURATION_UNIT_NAMES[unit];
    }

    /** Lists the names of an enum's constants for a message: {@code decommit or reset}. */
    private static <E extends Enum<E>> String describeChoices(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(Settings::configName).toList();
        if (names.size() == 1) {
            return names.getFirst();
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    private static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
