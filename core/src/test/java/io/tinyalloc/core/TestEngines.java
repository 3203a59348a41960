package io.tinyalloc.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.RemoteFreeProvider;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;
import io.tinyalloc.spi.StrategyProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.UnaryOperator;
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
     * @param sizeClasses the {@code SizeClassesProvider} name: {@code jemalloc}, {@code mimalloc},
     *        {@code tinyalloc32} or {@code custom} (with {@link #CUSTOM_BYTE_SIZES})
     * @param pageLookup the {@code PageLookupProvider} name: {@code masking} or {@code radix}
     * @param segmentByteSize the segment size, a power of two
     * @param pageByteSizes the page sizes, ascending
     * @param purge the {@code PurgePolicyProvider} name, one of {@link #MATRIX_PURGES}
     * @param purgeDelay every delay of the purge policy (ignored by the policies that have none)
     * @param largeCacheByteCapacity bytes of freed large regions kept for reuse, 0 for no cache
     * @param largeCacheMaxAge how long a freed large region stays cached
     * @param virtualThreadHeaps heaps shared by virtual threads
     * @param backgroundPurge whether a daemon thread purges while the allocator is idle
     * @param remoteFree the {@code RemoteFreeProvider} name, one of {@link #MATRIX_REMOTE_FREES}
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
            boolean backgroundPurge,
            String remoteFree) {

        /** A middle-of-the-road engine: 4 MiB segments, 64/512 KiB pages, short purge delay, large cache on. */
        static final Recipe DEFAULT = new Recipe("jemalloc", "masking", 4 * MiB, List.of(64 * KiB, 512 * KiB),
                "delayed", Duration.ofMillis(5), 64 * MiB, Duration.ofSeconds(10), 4, false, "per-page");

        Recipe {
            pageByteSizes = List.copyOf(pageByteSizes);
        }

        Recipe withSizeClasses(String provider) {
            return new Recipe(provider, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge, remoteFree);
        }

        Recipe withPageLookup(String provider) {
            return new Recipe(sizeClasses, provider, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge, remoteFree);
        }

        Recipe withGeometry(long segment, long... pages) {
            return new Recipe(sizeClasses, pageLookup, segment, Arrays.stream(pages).boxed().toList(), purge,
                    purgeDelay, largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge, remoteFree);
        }

        Recipe withPurge(String provider) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, provider, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge, remoteFree);
        }

        Recipe withPurgeDelay(Duration delay) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, "delayed", delay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge, remoteFree);
        }

        Recipe withLargeCache(long byteCapacity) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay, byteCapacity,
                    largeCacheMaxAge, virtualThreadHeaps, backgroundPurge, remoteFree);
        }

        Recipe withLargeCacheMaxAge(Duration maxAge) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, maxAge, virtualThreadHeaps, backgroundPurge, remoteFree);
        }

        Recipe withVirtualThreadHeaps(int heaps) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, heaps, backgroundPurge, remoteFree);
        }

        Recipe withBackgroundPurge(boolean on) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, on, remoteFree);
        }

        Recipe withRemoteFree(String provider) {
            return new Recipe(sizeClasses, pageLookup, segmentByteSize, pageByteSizes, purge, purgeDelay,
                    largeCacheByteCapacity, largeCacheMaxAge, virtualThreadHeaps, backgroundPurge, provider);
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
                    + " purge=" + purge + (UNDELAYED_PURGES.contains(purge) ? "" : "(" + purgeDelay.toMillis() + "ms)")
                    + " large-cache=" + bytes(largeCacheByteCapacity)
                    + (backgroundPurge ? " background-purge" : "")
                    + ("per-page".equals(remoteFree) ? "" : " remote-free=" + remoteFree);
        }
    }

    // ---------------------------------------------------------------- the strategy matrix

    /** The page selection of every test engine (the other, lowest-address, has PageSelectionModelTest). */
    private static final String FIRST_FIT = "first-fit";

    /** The size-class tables of the matrix: every built-in one. */
    static final List<String> MATRIX_SIZE_CLASSES = List.of("jemalloc", "mimalloc", "tinyalloc32", "custom");
    /** The page lookups of the matrix. */
    static final List<String> MATRIX_PAGE_LOOKUPS = List.of("masking", "radix");
    /**
     * The purge policies of the matrix. A new policy is one more name here: every setting of its
     * defaults whose key ends in {@value #DELAY_KEY_SUFFIX} gets the recipe's short delay.
     */
    static final List<String> MATRIX_PURGES = List.of(
            "none",
            "immediate",
            "delayed",
            "decay");
    /**
     * How blocks freed by another thread reach their page, in the matrix run on several threads
     * ({@link #multiThreadMatrix()}): on one thread there are no remote frees to tell them apart.
     */
    static final List<String> MATRIX_REMOTE_FREES = List.of("per-page", "batched");
    /**
     * The geometries of the matrix: the smallest segment with small pages, so that segments fill
     * and empty often and aligned and large requests cross segment boundaries; and a large segment
     * with the default pages, so that every built-in table fits.
     */
    static final List<Geometry> MATRIX_GEOMETRIES = List.of(
            new Geometry(64 * KiB, List.of(4 * KiB, 32 * KiB)),
            new Geometry(32 * MiB, List.of(64 * KiB, 512 * KiB)));
    /**
     * The table the matrix gives the {@code custom} size classes: spacing that no built-in table
     * has (a gap from 1 KiB to 4 KiB), and a largest class that the small geometry's 32 KiB page
     * holds exactly {@link EngineSettings#MIN_BLOCKS_PER_PAGE} times.
     */
    static final List<Long> CUSTOM_BYTE_SIZES = List.of(8L, 16L, 32L, 48L, 64L, 96L, 128L, 256L, 512L, KiB, 4 * KiB);
    /** The key of the {@code custom} size classes that holds their list (HOCON list of memory sizes). */
    static final String CUSTOM_SIZES_KEY = "sizes";
    /** The purge policies that have no delay, whose recipes do not show one. */
    static final Set<String> UNDELAYED_PURGES = Set.of("none", "immediate");
    /** Purge settings whose key ends with this are delays, and get the recipe's {@link Recipe#purgeDelay()}. */
    static final String DELAY_KEY_SUFFIX = "delay";

    /**
     * A segment size and the page sizes in it.
     *
     * @param segmentByteSize the segment size
     * @param pageByteSizes the page sizes, ascending
     */
    record Geometry(long segmentByteSize, List<Long> pageByteSizes) {

        Geometry {
            pageByteSizes = List.copyOf(pageByteSizes);
        }

        Recipe applyTo(Recipe recipe) {
            return recipe.withGeometry(segmentByteSize, pageByteSizes.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /**
     * A combination of the matrix that the engine refuses, with the reasons it gives.
     *
     * @param recipe the combination
     * @param problems what {@link Engine#checkGeometry} says about it, never empty
     */
    record Refusal(Recipe recipe, List<String> problems) {

        Refusal {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Every combination of the matrix dimensions: size classes × page lookup × purge × geometry,
     * on the {@link Recipe#DEFAULT default} large cache and purge delay; accepted or not.
     */
    static List<Recipe> product() {
        List<Recipe> product = new ArrayList<>();
        for (Geometry geometry : MATRIX_GEOMETRIES) {
            for (String sizeClasses : MATRIX_SIZE_CLASSES) {
                for (String pageLookup : MATRIX_PAGE_LOOKUPS) {
                    for (String purge : MATRIX_PURGES) {
                        product.add(geometry.applyTo(Recipe.DEFAULT).withSizeClasses(sizeClasses)
                                .withPageLookup(pageLookup).withPurge(purge));
                    }
                }
            }
        }
        return List.copyOf(product);
    }

    /**
     * The combinations of {@link #product()} that the engine accepts: those for which
     * {@link Engine#checkGeometry} finds nothing, as the configuration asks it before building an
     * engine. Nothing else is left out; {@link #refused()} holds the rest, with their reasons.
     */
    static List<Recipe> matrix() {
        return Matrix.ACCEPTED;
    }

    /** {@link #matrix()} once per way of delivering remote frees: the matrix of the multi-thread tests. */
    static List<Recipe> multiThreadMatrix() {
        return MATRIX_REMOTE_FREES.stream()
                .flatMap(remoteFree -> matrix().stream().map(recipe -> recipe.withRemoteFree(remoteFree)))
                .toList();
    }

    /** The combinations of {@link #product()} that the engine refuses, each with its problems. */
    static List<Refusal> refused() {
        return Matrix.REFUSED;
    }

    /** What {@link Engine#checkGeometry} says about a recipe: empty if the engine accepts it. */
    static List<String> geometryProblems(Recipe recipe) {
        return Engine.checkGeometry(settings(recipe), sizeClasses(recipe), osPageByteSize());
    }

    /** Splits the product once per test run; every parameterized test over the matrix shares it. */
    private static final class Matrix {
        static final List<Recipe> ACCEPTED;
        static final List<Refusal> REFUSED;

        static {
            List<Recipe> accepted = new ArrayList<>();
            List<Refusal> refused = new ArrayList<>();
            for (Recipe recipe : product()) {
                List<String> problems = geometryProblems(recipe);
                if (problems.isEmpty()) {
                    accepted.add(recipe);
                } else {
                    refused.add(new Refusal(recipe, problems));
                }
            }
            ACCEPTED = List.copyOf(accepted);
            REFUSED = List.copyOf(refused);
        }
    }

    /** Builds an engine with the default recipe. */
    static Allocator create() {
        return create(Recipe.DEFAULT);
    }

    /**
     * Builds an engine from a recipe: finds each provider by name, creates its strategy with
     * its default settings (and the settings the recipe gives it), checks the geometry and
     * starts the engine.
     *
     * @throws IllegalStateException if a provider is missing or the geometry is rejected
     */
    static Allocator create(Recipe recipe) {
        List<String> problems = geometryProblems(recipe);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("geometry rejected for " + recipe + ": " + problems);
        }
        return createUnchecked(recipe);
    }

    /**
     * Builds an engine from a recipe without checking its geometry first, to see what
     * {@link Engine#create} itself does with a recipe it refuses.
     *
     * @throws IllegalStateException if a provider is missing
     * @throws IllegalArgumentException if the engine refuses the geometry
     */
    static Allocator createUnchecked(Recipe recipe) {
        return createUnchecked(recipe, UnaryOperator.identity());
    }

    /** {@link #createUnchecked(Recipe)} with the engine's own settings changed: checks, limit, leak detection. */
    static Allocator createUnchecked(Recipe recipe, UnaryOperator<EngineSettings> change) {
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
        PageSelectionProvider selectionProvider = provider(PageSelectionProvider.class, FIRST_FIT);
        RemoteFreeProvider remoteFreeProvider = provider(RemoteFreeProvider.class, recipe.remoteFree());
        return Engine.create(change.apply(settings(recipe)), platform, sizeClasses, pageLookup, purgePolicy,
                selectionProvider.create(context(selectionProvider.defaults(), osPageByteSize, recipe)),
                remoteFreeProvider.create(context(remoteFreeProvider.defaults(), osPageByteSize, recipe)));
    }

    /** The names of the providers of a kind on the test class path, sorted. */
    static List<String> providerNames(Class<? extends StrategyProvider> kind) {
        return ServiceLoader.load(kind).stream().map(p -> p.get().name()).sorted().toList();
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

    /**
     * The table's defaults, with its largest class the largest that the recipe's pages can hold
     * (for the tables that have a {@value #MAX_CLASS_KEY}), and {@link #CUSTOM_BYTE_SIZES} for
     * {@code custom}. {@code tinyalloc32} has no settings: its table is fixed.
     */
    private static Config sizeClassesSettings(SizeClassesProvider provider, Recipe recipe) {
        Config defaults = provider.defaults();
        if (defaults.hasPath(CUSTOM_SIZES_KEY)) {
            return defaults.withValue(CUSTOM_SIZES_KEY, ConfigValueFactory.fromIterable(CUSTOM_BYTE_SIZES));
        }
        if (defaults.hasPath(MAX_CLASS_KEY)) {
            return defaults.withValue(MAX_CLASS_KEY, ConfigValueFactory.fromAnyRef(recipe.maxClassByteSize()));
        }
        return defaults;
    }

    /** The policy's defaults, with every delay the recipe's {@link Recipe#purgeDelay()}. */
    private static Config purgeSettings(PurgePolicyProvider provider, Recipe recipe) {
        Config defaults = provider.defaults();
        if ("delayed".equals(recipe.purge()) && !defaults.hasPath(PURGE_DELAY_KEY)) {
            throw new IllegalStateException("purge policy 'delayed' has no setting '" + PURGE_DELAY_KEY
                    + "' (its defaults: " + defaults.root().keySet() + "); update TestEngines.PURGE_DELAY_KEY");
        }
        Config settings = defaults;
        for (String key : defaults.root().keySet()) {
            if (key.endsWith(DELAY_KEY_SUFFIX)) {
                settings = settings.withValue(key, ConfigValueFactory.fromAnyRef(recipe.purgeDelay().toNanos() + "ns"));
            }
        }
        return settings;
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
