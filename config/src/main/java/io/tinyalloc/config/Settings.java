package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.tinyalloc.core.EngineSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The engine's own keys of {@code tinyalloc.conf}: read, each checked against its range, and
 * checked against each other (pages within the segment, arenas made of whole segments).
 *
 * <p>Every value that fails is recorded in {@link Problems} with what was expected, and left
 * absent here; checks that depend on it are skipped rather than reported twice.
 */
final class Settings {

    static final String SEGMENT_SIZE = "segment-size";
    static final String PAGE_SIZES = "page-sizes";
    static final String ARENA_SIZE = "arena-size";
    static final String LARGE = "large";
    static final String CACHE_CAPACITY = "cache-capacity";
    static final String CACHE_MAX_AGE = "cache-max-age";
    static final String LARGE_CACHE_CAPACITY = LARGE + "." + CACHE_CAPACITY;
    static final String LARGE_CACHE_MAX_AGE = LARGE + "." + CACHE_MAX_AGE;
    static final String VIRTUAL_THREAD_HEAPS = "virtual-thread-heaps";
    static final String PURGE_BACKGROUND = StrategyKind.PURGE.path() + "." + StrategyKind.BACKGROUND;
    static final String TRACE = TraceSetting.TRACE;
    static final String CHECKS = "checks";
    static final String LIMIT = "limit";
    static final String LEAK_DETECTION = "leak-detection";
    static final String SECURE = "secure";
    /** The value of {@value #LIMIT} for no limit. */
    static final String OFF = "off";
    /** The value of {@value #VIRTUAL_THREAD_HEAPS} that sizes the heaps by the processor count. */
    static final String AUTO = "auto";

    static final int MIN_PAGE_SIZE_COUNT = 1;
    static final int MAX_PAGE_SIZE_COUNT = 4;
    static final long MAX_ARENA_BYTE_SIZE = 64L << 30;
    static final long MAX_LARGE_CACHE_AGE_NANOS = TimeUnit.HOURS.toNanos(1);
    static final int MIN_VIRTUAL_THREAD_HEAPS = 1;
    static final int MAX_VIRTUAL_THREAD_HEAPS = 1024;
    /** Virtual threads run on carrier threads, about one per processor; twice that keeps contention low. */
    static final int VIRTUAL_THREAD_HEAPS_PER_PROCESSOR = 2;

    /** The keys at the root of {@code tinyalloc.conf}. */
    static final Set<String> ROOT_KEYS = Stream.concat(
            Stream.of(SEGMENT_SIZE, PAGE_SIZES, ARENA_SIZE, LARGE, VIRTUAL_THREAD_HEAPS, TRACE, CHECKS, LIMIT, LEAK_DETECTION, SECURE),
            Arrays.stream(StrategyKind.values()).map(StrategyKind::path)).collect(Collectors.toUnmodifiableSet());
    /** The paths of every value read here. */
    static final List<String> ENGINE_KEYS = List.of(SEGMENT_SIZE, PAGE_SIZES, ARENA_SIZE, LARGE_CACHE_CAPACITY,
            LARGE_CACHE_MAX_AGE, VIRTUAL_THREAD_HEAPS, PURGE_BACKGROUND, CHECKS, LIMIT, LEAK_DETECTION, SECURE);
    /** The keys of the {@value #LARGE} block. */
    static final Set<String> LARGE_KEYS = Set.of(CACHE_CAPACITY, CACHE_MAX_AGE);

    /** The note for a {@code tinyalloc} block at the root: the application's whole configuration was passed. */
    private static final String WHOLE_APPLICATION_CONFIG = "tinyalloc's keys go at the root: pass the block, "
            + "TinyAlloc.create(config.getConfig(\"tinyalloc\"))";
    private static final String PAGE_SIZES_EXPECTED = "a list of " + MIN_PAGE_SIZE_COUNT + " to " + MAX_PAGE_SIZE_COUNT
            + " ascending powers of two, such as [64 KiB, 512 KiB]";

    private final Config config;
    private final Problems problems;
    private final OptionalLong segmentByteSize;
    private final Optional<List<Long>> pageByteSizes;
    private final OptionalLong arenaByteSize;
    private final OptionalLong largeCacheByteCapacity;
    private final OptionalLong largeCacheMaxAgeNanos;
    private final OptionalInt virtualThreadHeaps;
    private final Optional<Boolean> backgroundPurge;
    private final Optional<Boolean> checks;
    private final Optional<Boolean> secure;
    private final OptionalLong limitByteSize;
    private final Optional<EngineSettings.LeakDetection> leakDetection;

    /**
     * Reads and checks the engine's keys.
     *
     * @param config the configuration, over the reference defaults
     * @param osPageByteSize the OS page size, or empty if the platform could not be created (the
     *        page sizes are then not checked against it)
     * @param problems where every problem found is recorded
     */
    Settings(Config config, OptionalLong osPageByteSize, Problems problems) {
        this.config = config;
        this.problems = problems;
        this.segmentByteSize = readSegmentByteSize();
        this.pageByteSizes = readPageByteSizes(osPageByteSize);
        this.arenaByteSize = readArenaByteSize();
        this.largeCacheByteCapacity = readByteSize(LARGE_CACHE_CAPACITY, byteSize -> byteSize >= 0,
                "a memory size, 0 or more (0 disables the cache)");
        this.largeCacheMaxAgeNanos = readLargeCacheMaxAgeNanos();
        this.virtualThreadHeaps = readVirtualThreadHeaps();
        this.backgroundPurge = readBoolean(PURGE_BACKGROUND);
        this.checks = readBoolean(CHECKS);
        this.secure = readBoolean(SECURE);
        this.limitByteSize = readLimitByteSize();
        this.leakDetection = readLeakDetection();
    }

    /**
     * Reports keys that nothing reads at the root of {@code tinyalloc.conf} and in its
     * {@value #LARGE} block; the strategy blocks are checked by {@link StrategyBlocks}.
     *
     * @param user the configuration as the user wrote it, without defaults
     * @param problems where unknown keys are recorded
     */
    static void checkKeys(Config user, Problems problems) {
        user.root().forEach((key, value) -> {
            if (!ROOT_KEYS.contains(key)) {
                problems.unknownKey(key, value, ROOT_KEYS, key.equals(Assembler.REFERENCE_ROOT) ? WHOLE_APPLICATION_CONFIG : "");
            }
        });
        TraceSetting.checkKeys(user, problems);
        ConfigValue large = user.root().get(LARGE);
        if (large instanceof ConfigObject block) {
            block.forEach((key, value) -> {
                if (!LARGE_KEYS.contains(key)) {
                    problems.unknownKey(LARGE + "." + key, value, LARGE_KEYS, "");
                }
            });
        } else if (large != null) {
            problems.invalid(LARGE, large, "a block such as { " + CACHE_CAPACITY + " = 1 GiB, " + CACHE_MAX_AGE + " = 1 s }");
        }
    }

    /** @return the segment size, or empty if it is not valid */
    OptionalLong segmentByteSize() {
        return segmentByteSize;
    }

    /**
     * Returns the engine's settings, with an empty description, if every key is valid.
     *
     * @return the settings, or empty if a problem was recorded
     */
    Optional<EngineSettings> engineSettings() {
        if (segmentByteSize.isEmpty() || pageByteSizes.isEmpty() || arenaByteSize.isEmpty()
                || largeCacheByteCapacity.isEmpty() || largeCacheMaxAgeNanos.isEmpty()
                || virtualThreadHeaps.isEmpty() || backgroundPurge.isEmpty() || checks.isEmpty()
                || limitByteSize.isEmpty() || leakDetection.isEmpty() || secure.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EngineSettings(segmentByteSize.getAsLong(), pageByteSizes.get(),
                largeCacheByteCapacity.getAsLong(), largeCacheMaxAgeNanos.getAsLong(), arenaByteSize.getAsLong(),
                virtualThreadHeaps.getAsInt(), backgroundPurge.get(), "", checks.get(), limitByteSize.getAsLong(),
                leakDetection.get(), secure.get()));
    }

    private OptionalLong readSegmentByteSize() {
        return readByteSize(SEGMENT_SIZE,
                byteSize -> isPowerOfTwo(byteSize) && byteSize >= EngineSettings.MIN_SEGMENT_BYTE_SIZE
                        && byteSize <= EngineSettings.MAX_SEGMENT_BYTE_SIZE,
                "a power of two between " + Sizes.format(EngineSettings.MIN_SEGMENT_BYTE_SIZE) + " and "
                        + Sizes.format(EngineSettings.MAX_SEGMENT_BYTE_SIZE));
    }

    private Optional<List<Long>> readPageByteSizes(OptionalLong osPageByteSize) {
        ConfigValue value = Values.at(config, PAGE_SIZES);
        if (!(value instanceof ConfigList list) || list.size() < MIN_PAGE_SIZE_COUNT || list.size() > MAX_PAGE_SIZE_COUNT) {
            problems.invalid(PAGE_SIZES, value, PAGE_SIZES_EXPECTED);
            return Optional.empty();
        }
        List<Long> sizes = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < list.size(); i++) {
            String path = PAGE_SIZES + "[" + i + "]";
            ConfigValue element = list.get(i);
            OptionalLong size = byteSizeOf(element).stream().filter(Settings::isPowerOfTwo).findFirst();
            if (size.isEmpty()) {
                problems.invalid(path, element, "a power of two, such as 64 KiB");
                valid = false;
                continue;
            }
            valid &= checkPageByteSize(path, element, size.getAsLong(), sizes, osPageByteSize);
            sizes.add(size.getAsLong());
        }
        return valid ? Optional.of(List.copyOf(sizes)) : Optional.empty();
    }

    private boolean checkPageByteSize(String path, ConfigValue element, long byteSize, List<Long> smaller,
            OptionalLong osPageByteSize) {
        boolean valid = true;
        if (osPageByteSize.isPresent() && byteSize < osPageByteSize.getAsLong()) {
            problems.invalid(path, element, "at least the OS page size, " + Sizes.format(osPageByteSize.getAsLong()));
            valid = false;
        }
        if (segmentByteSize.isPresent() && byteSize > segmentByteSize.getAsLong()) {
            problems.invalid(path, element, "at most " + SEGMENT_SIZE + ", " + Sizes.format(segmentByteSize.getAsLong()));
            valid = false;
        }
        if (!smaller.isEmpty() && byteSize <= smaller.getLast()) {
            problems.invalid(path, element, "more than " + PAGE_SIZES + "[" + (smaller.size() - 1) + "], "
                    + Sizes.format(smaller.getLast()) + ": page sizes ascend");
            valid = false;
        }
        return valid;
    }

    private OptionalLong readArenaByteSize() {
        OptionalLong arena = readByteSize(ARENA_SIZE, byteSize -> byteSize > 0 && byteSize <= MAX_ARENA_BYTE_SIZE,
                "a multiple of " + SEGMENT_SIZE + ", at most " + Sizes.format(MAX_ARENA_BYTE_SIZE));
        if (arena.isPresent() && segmentByteSize.isPresent() && arena.getAsLong() % segmentByteSize.getAsLong() != 0) {
            problems.invalid(ARENA_SIZE, Values.at(config, ARENA_SIZE),
                    "a multiple of " + SEGMENT_SIZE + ", " + Sizes.format(segmentByteSize.getAsLong()));
            return OptionalLong.empty();
        }
        return arena;
    }

    private OptionalLong readLargeCacheMaxAgeNanos() {
        String expected = "a duration more than 0 and at most " + Durations.format(MAX_LARGE_CACHE_AGE_NANOS);
        try {
            long nanos = config.getDuration(LARGE_CACHE_MAX_AGE, TimeUnit.NANOSECONDS);
            if (nanos > 0 && nanos <= MAX_LARGE_CACHE_AGE_NANOS) {
                return OptionalLong.of(nanos);
            }
        } catch (ConfigException e) {
            // reported below, with the value and what was expected
        }
        problems.invalid(LARGE_CACHE_MAX_AGE, Values.at(config, LARGE_CACHE_MAX_AGE), expected);
        return OptionalLong.empty();
    }

    private OptionalInt readVirtualThreadHeaps() {
        ConfigValue value = Values.at(config, VIRTUAL_THREAD_HEAPS);
        if (value != null && AUTO.equals(value.unwrapped())) {
            int perProcessors = VIRTUAL_THREAD_HEAPS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
            return OptionalInt.of(Math.min(perProcessors, MAX_VIRTUAL_THREAD_HEAPS));
        }
        try {
            int heaps = config.getInt(VIRTUAL_THREAD_HEAPS);
            if (heaps >= MIN_VIRTUAL_THREAD_HEAPS && heaps <= MAX_VIRTUAL_THREAD_HEAPS) {
                return OptionalInt.of(heaps);
            }
        } catch (ConfigException e) {
            // reported below, with the value and what was expected
        }
        problems.invalid(VIRTUAL_THREAD_HEAPS, value, AUTO + " (" + VIRTUAL_THREAD_HEAPS_PER_PROCESSOR
                + " per processor) or an integer from " + MIN_VIRTUAL_THREAD_HEAPS + " to " + MAX_VIRTUAL_THREAD_HEAPS);
        return OptionalInt.empty();
    }

    private Optional<Boolean> readBoolean(String path) {
        try {
            return Optional.of(config.getBoolean(path));
        } catch (ConfigException e) {
            problems.invalid(path, Values.at(config, path), "on or off");
            return Optional.empty();
        }
    }

    /** One of the {@link EngineSettings.LeakDetection} names, in lower case. */
    private Optional<EngineSettings.LeakDetection> readLeakDetection() {
        ConfigValue value = Values.at(config, LEAK_DETECTION);
        Object raw = value == null ? null : value.unwrapped();
        for (EngineSettings.LeakDetection mode : EngineSettings.LeakDetection.values()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(raw)
                    || mode == EngineSettings.LeakDetection.OFF && Boolean.FALSE.equals(raw)) {
                return Optional.of(mode);
            }
        }
        problems.invalid(LEAK_DETECTION, value, Arrays.stream(EngineSettings.LeakDetection.values())
                .map(mode -> mode.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ", "one of ", "")));
        return Optional.empty();
    }

    /** {@value #OFF}, or a memory size of at least a segment (below that, nothing could be allocated). */
    private OptionalLong readLimitByteSize() {
        ConfigValue value = Values.at(config, LIMIT);
        Object raw = value == null ? null : value.unwrapped();
        if (OFF.equals(raw) || Boolean.FALSE.equals(raw)) {
            return OptionalLong.of(EngineSettings.NO_LIMIT);
        }
        String expected = OFF + ", or a memory size of at least " + SEGMENT_SIZE
                + segmentByteSize.stream().mapToObj(size -> ", " + Sizes.format(size)).findFirst().orElse("");
        return readByteSize(LIMIT, byteSize -> byteSize >= segmentByteSize.orElse(EngineSettings.MIN_SEGMENT_BYTE_SIZE),
                expected);
    }

    private OptionalLong readByteSize(String path, LongPredicate valid, String expected) {
        OptionalLong byteSize = byteSizeOf(Values.at(config, path)).stream().filter(valid).findFirst();
        if (byteSize.isEmpty()) {
            problems.invalid(path, Values.at(config, path), expected);
        }
        return byteSize;
    }

    /** Reads a memory size such as {@code 64 KiB} or {@code 65536}, or empty if it is not one. */
    private static OptionalLong byteSizeOf(ConfigValue value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        String key = "value";
        try {
            return OptionalLong.of(ConfigFactory.empty().withValue(key, value).getBytes(key));
        } catch (ConfigException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isPowerOfTwo(long value) {
        return value > 0 && Long.bitCount(value) == 1;
    }
}
