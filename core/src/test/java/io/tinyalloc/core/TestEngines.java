package io.tinyalloc.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;
import io.tinyalloc.spi.StrategyProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Builds engines for tests from the real strategy providers, found by name with
 * {@link ServiceLoader} exactly as the configuration module finds them, but without a
 * {@code tinyalloc.conf}: a {@link Recipe} says which providers and which geometry.
 *
 * {@snippet lang = java :
 * try (Allocator allocator = TestEngines.create(TestEngines.Recipe.DEFAULT.withPurge("immediate"))) {
 *     long address = allocator.allocate(64);
 *     allocator.free(address);
 * }
 * }
 */
final class TestEngines {

    static final long KiB = 1L << 10;
    static final long MiB = 1L << 20;

    /** The platform every test engine runs on: the only one this machine has. */
    private static final String PLATFORM = "linux";
    /** The key of the {@code delayed} purge policy that holds its delay (HOCON duration). */
    static final String PURGE_DELAY_KEY = "delay";
    /** The key of the size-class tables that holds their largest class (HOCON memory size). */
    static final String MAX_CLASS_KEY = "max-size";
    /** Test engines reserve at least this much address space at a time. */
    private static final long MIN_ARENA_BYTE_SIZE = 256 * MiB;
    /** Segments per arena when segments are large: enough that a test rarely needs a second arena. */
    private static final long SEGMENTS_PER_ARENA = 8;

    private TestEngines() {
    }

    /**
     * A strategy combination and geometry for a test engine.
     *
     * @param sizeClasses the {@code SizeClassesProvider} name: {@code jemalloc} or {@code mimalloc}
     * @param pageLookup the {@code PageLookupProvider} name: {@code masking} or {@code radix}
     * @param segmentByteSize the segment size, a power of two
     * @param pageByteSizes the page sizes, ascending
     * @param purge the {@code PurgePolicyProvider} name: {@code delayed}, {@code immediate} or {@code none}
     * @param purgeDelay the delay of the {@code delayed} policy (ignored by the others)
     * @param largeCacheByteCapacity bytes of freed large regions kept for reuse, 0 for no cache
     * @param largeCacheMaxAge how long a freed large region stays cached
     * @param virtualThreadHeaps heaps shared by virtual threads
     * @param backgroundPurge whether a daemon thread purges while the allocator is idle
     */
    record Recipe(
            String sizeClasses,
            String pageLookup,
            long segmentByteSize,
            List<Long> pageByteSizes,
            String purge,
            Duration purgeDelay,
            long largeCacheByteCapacity,
            Duration largeCacheMaxAge,
            int virtualThreadHeaps,
            boolean backgroundPurge) {

        /** A middle-of-the-road engine: 4 MiB segments, 64/512 KiB pages, short purge delay, large cache on. */
        static final Recipe DEFAULT = new Recipe("jemalloc", "masking", 4 * MiB, List.of(64 * KiB, 512 * KiB),
                "delayed", Duration.ofMillis(5), 64 * MiB, Duration.ofSeconds(10), 4, false);

        Recipe {
            pageByteSizes = List.copyOf(pageByteSizes);
        }

        Recipe withSizeClasses(String provider) {
            return new Recipe(provider, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge);
        }

        Recipe withPageLookup(String provider) {
            return new Recipe(sizeClasses, provider, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge);
        }

        Recipe withGeometry(long segment, long... pages) {
            return new Recipe(sizeClasses, pageLookup, segment, Arrays.stream(pages).boxed().toList(), purge,
                    purgeDelay, largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge);
        }

        Recipe withPurge(String provider) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, provider, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge);
        }

        Recipe withPurgeDelay(Duration delay) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, "delayed", delay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge);
        }

        Recipe withLargeCache(long byteCapacity) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay, byteCapacity,
                    largeCacheMaxAge, virtualThreadHeaps, backgroundPurge);
        }

        Recipe withLargeCacheMaxAge(Duration maxAge) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, maxAge, virtualThreadHeaps, backgroundPurge);
        }

        Recipe withVirtualThreadHeaps(int heaps) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, heaps, backgroundPurge);
        }

        Recipe withBackgroundPurge(boolean on) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, on);
        }

        /** The largest class the largest page holds {@link EngineSettings#MIN_BLOCKS_PER_PAGE} times. */
        long maxClassByteSize() {
            return pageByteSizes.getLast() / EngineSettings.MIN_BLOCKS_PER_PAGE;
        }

        /**
         * The largest alignment the model-based tests ask of this engine: up to
         * {@link Ops#MAX_BYTE_ALIGNMENT}, but not above half a segment, which the engine refuses
         * today with an {@code IllegalArgumentException} that the {@code Allocator} javadoc does
         * not allow ({@code AllocatorContractTest} asks for more and fails until that is settled).
         */
        long maxByteAlignment() {
            return Math.min(Ops.MAX_BYTE_ALIGNMENT, segmentByteSize / 2);
        }

        long arenaByteSize() {
            return Math.max(MIN_ARENA_BYTE_SIZE, SEGMENTS_PER_ARENA * segmentByteSize);
        }

        /** Short and unique within a parameterized test, so that a failing combination is easy to spot. */
        @Override
        public String toString() {
            return sizeClasses
                    + ("masking".equals(pageLookup) ? "" : " lookup=" + pageLookup)
                    + " segment=" + bytes(segmentByteSize)
                    + " pages=" + pageByteSizes.stream().map(TestEngines::bytes).collect(Collectors.joining(",", "[", "]"))
                    + " purge=" + purge + ("delayed".equals(purge) ? "(" + purgeDelay.toMillis() + "ms)" : "")
                    + " large-cache=" + bytes(largeCacheByteCapacity)
                    + (backgroundPurge ? " background-purge" : "");
        }
    }

    /**
     * The strategy combinations that the model-based tests run over: both size-class tables,
     * both page lookups, the three segment sizes, both page-size pairs, the three purge
     * policies, large cache on and off. Not the full product (that would take minutes); every value appears at least
     * twice, each time with different neighbours.
     */
    static List<Recipe> matrix() {
        Recipe base = Recipe.DEFAULT;
        return List.of(
                base,
                base.withSizeClasses("mimalloc").withPurge("immediate").withLargeCache(0),
                base.withGeometry(64 * KiB, 4 * KiB, 32 * KiB).withPurge("immediate"),
                base.withSizeClasses("mimalloc").withGeometry(64 * KiB, 4 * KiB, 32 * KiB).withPurge("none")
                        .withLargeCache(0),
                base.withSizeClasses("mimalloc").withGeometry(32 * MiB, 64 * KiB, 512 * KiB),
                base.withGeometry(32 * MiB, 4 * KiB, 32 * KiB).withPurge("none").withLargeCache(0),
                base.withGeometry(4 * MiB, 4 * KiB, 32 * KiB).withLargeCache(8 * MiB),
                base.withSizeClasses("mimalloc").withPurge("none"),
                base.withPageLookup("radix"),
                base.withPageLookup("radix").withSizeClasses("mimalloc").withGeometry(64 * KiB, 4 * KiB, 32 * KiB)
                        .withPurge("immediate").withLargeCache(0));
    }

    /** Builds an engine with the default recipe. */
    static Allocator create() {
        return create(Recipe.DEFAULT);
    }

    /**
     * Builds an engine from a recipe: finds each provider by name, creates its strategy with
     * its default settings (and the purge delay for {@code delayed}), checks the geometry and
     * starts the engine.
     *
     * @throws IllegalStateException if a provider is missing or the geometry is rejected
     */
    static Allocator create(Recipe recipe) {
        PlatformMemory platform = platform();
        long osPageByteSize = platform.pageByteSize();
        SizeClassesProvider sizeClassesProvider = provider(SizeClassesProvider.class, recipe.sizeClasses());
        SizeClasses sizeClasses = sizeClassesProvider.create(
                context(sizeClassesSettings(sizeClassesProvider, recipe), osPageByteSize, recipe));
        PageLookupProvider lookupProvider = provider(PageLookupProvider.class, recipe.pageLookup());
        PageLookup pageLookup = lookupProvider.create(context(lookupProvider.defaults(), osPageByteSize, recipe));
        PurgePolicyProvider purgeProvider = provider(PurgePolicyProvider.class, recipe.purge());
        PurgePolicy purgePolicy = purgeProvider.create(
                context(purgeSettings(purgeProvider, recipe), osPageByteSize, recipe));

        EngineSettings settings = settings(recipe);
        List<String> problems = Engine.checkGeometry(settings, sizeClasses, osPageByteSize);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("geometry rejected for " + recipe + ": " + problems);
        }
        return Engine.create(settings, platform, sizeClasses, pageLookup, purgePolicy);
    }

    /** The engine's own settings for a recipe. */
    static EngineSettings settings(Recipe recipe) {
        return new EngineSettings(recipe.segmentByteSize(), recipe.pageByteSizes(), recipe.largeCacheByteCapacity(),
                recipe.largeCacheMaxAge().toNanos(), recipe.arenaByteSize(), recipe.virtualThreadHeaps(),
                recipe.backgroundPurge(), recipe.toString());
    }

    /** The size classes a recipe's engine uses. */
    static SizeClasses sizeClasses(Recipe recipe) {
        SizeClassesProvider provider = provider(SizeClassesProvider.class, recipe.sizeClasses());
        return provider.create(context(sizeClassesSettings(provider, recipe), osPageByteSize(), recipe));
    }

    /** The operating system's page size, as the platform provider sees it. */
    static long osPageByteSize() {
        return platform().pageByteSize();
    }

    static PlatformMemory platform() {
        PlatformMemoryProvider provider = provider(PlatformMemoryProvider.class, PLATFORM);
        return provider.create(provider.defaults());
    }

    /** The table's defaults, with its largest class the largest that the recipe's pages can hold. */
    private static Config sizeClassesSettings(SizeClassesProvider provider, Recipe recipe) {
        return provider.defaults().withValue(MAX_CLASS_KEY, ConfigValueFactory.fromAnyRef(recipe.maxClassByteSize()));
    }

    private static Config purgeSettings(PurgePolicyProvider provider, Recipe recipe) {
        Config defaults = provider.defaults();
        if (!"delayed".equals(recipe.purge())) {
            return defaults;
        }
        if (!defaults.hasPath(PURGE_DELAY_KEY)) {
            throw new IllegalStateException("purge policy 'delayed' has no setting '" + PURGE_DELAY_KEY
                    + "' (its defaults: " + defaults.root().keySet() + "); update TestEngines.PURGE_DELAY_KEY");
        }
        return defaults.withValue(PURGE_DELAY_KEY,
                ConfigValueFactory.fromAnyRef(recipe.purgeDelay().toNanos() + "ns"));
    }

    private static StrategyContext context(Config settings, long osPageByteSize, Recipe recipe) {
        return new StrategyContext(settings, osPageByteSize, recipe.segmentByteSize());
    }

    /** Finds a provider by name; the error lists every provider of that kind that was found. */
    private static <P extends StrategyProvider> P provider(Class<P> kind, String name) {
        List<P> found = ServiceLoader.load(kind).stream().map(ServiceLoader.Provider::get).toList();
        return found.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind.getSimpleName() + " named '" + name
                        + "' on the test class path (found: "
                        + found.stream().map(p -> p.name() + " (" + p.getClass().getName() + ")").toList() + ")"));
    }

    /** Formats a byte count the way the engine's messages do: {@code 64 KiB}, {@code 4 MiB}. */
    static String bytes(long byteSize) {
        if (byteSize >= MiB && byteSize % MiB == 0) {
            return byteSize / MiB + "MiB";
        }
        if (byteSize >= KiB && byteSize % KiB == 0) {
            return byteSize / KiB + "KiB";
        }
        return byteSize + "B";
    }
}
