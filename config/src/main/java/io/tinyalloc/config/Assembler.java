package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import io.tinyalloc.core.Engine;
import io.tinyalloc.core.EngineSettings;
import io.tinyalloc.spi.PageLookup;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.RemoteFreeProvider;
import io.tinyalloc.spi.SizeClasses;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyContext;
import io.tinyalloc.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Turns a configuration into an {@link Assembly}: checks every key, selects a provider of every
 * kind, creates the strategies, and checks that they fit the engine's geometry. Every problem
 * is collected before one exception reports them all.
 *
 * <p>The order matters only where one step needs another's result: the platform gives the OS
 * page size that page sizes are checked against, and the segment size is part of every
 * strategy's context. A step whose input is missing is skipped; the missing input has been
 * reported already.
 */
final class Assembler {

    /** The block of the reference configuration that holds tinyalloc's keys. */
    static final String REFERENCE_ROOT = "tinyalloc";
    private static final String REFERENCE_RESOURCE = "reference.conf";
    /** The smallest page size of the supported platforms; see {@link #strategyGeometry}. */
    private static final long STAND_IN_OS_PAGE_BYTE_SIZE = 4096;

    /** Checks settings and size classes against each other; {@link Engine#checkGeometry} outside tests. */
    @FunctionalInterface
    interface GeometryCheck {
        /**
         * Checks the geometry.
         *
         * @param settings the engine's settings
         * @param sizeClasses the size classes
         * @param osPageByteSize the OS page size
         * @return one message per problem, empty if none
         */
        List<String> check(EngineSettings settings, SizeClasses sizeClasses, long osPageByteSize);
    }

    private final Config user;
    private final Config config;
    private final Config reference;
    private final ProviderCatalog catalog;
    private final Problems problems = new Problems();
    private final Map<StrategyKind, StrategyProvider> providers = new EnumMap<>(StrategyKind.class);
    private final Map<StrategyKind, Config> providerSettings = new EnumMap<>(StrategyKind.class);

    private Assembler(Config user, Config reference, ProviderCatalog catalog) {
        this.user = user;
        this.reference = reference;
        this.config = user.withFallback(reference);
        this.catalog = catalog;
    }

    /**
     * Returns tinyalloc's block of this module's {@code reference.conf}: every key, with its
     * default.
     *
     * @return the defaults
     */
    static Config reference() {
        return ReferenceHolder.REFERENCE;
    }

    /**
     * Validates a configuration and builds what the engine needs from it.
     *
     * @param userConfig the keys of {@code tinyalloc.conf} at the root; substitutions are
     *        resolved here if they were not
     * @param catalog the providers to choose from
     * @param geometry the engine's geometry check
     * @return the validated settings and strategies
     * @throws ConfigException if the configuration is not valid; a
     *         {@link ConfigException.ValidationFailed} that lists every problem, or the
     *         exception of a substitution that cannot be resolved
     * @throws IllegalStateException if the configuration is valid but names a strategy that
     *         cannot be found or used here
     */
    static Assembly assemble(Config userConfig, ProviderCatalog catalog, GeometryCheck geometry) {
        return new Assembler(userConfig.resolve(), reference(), catalog).assemble(geometry);
    }

    private Assembly assemble(GeometryCheck geometry) {
        Settings.checkKeys(user, problems);
        for (StrategyKind kind : StrategyKind.values()) {
            StrategyBlocks.checkKeys(kind, user, reference, catalog, problems);
            catalog.select(kind, config, problems).ifPresent(provider -> {
                providers.put(kind, provider);
                providerSettings.put(kind, StrategyBlocks.settingsOf(kind, provider, config));
            });
        }
        Optional<PlatformMemory> platform = create(StrategyKind.PLATFORM,
                settings -> ((PlatformMemoryProvider) providers.get(StrategyKind.PLATFORM)).create(settings));
        OptionalLong osPageByteSize = platform.stream().mapToLong(PlatformMemory::pageByteSize).findFirst();
        Settings settings = new Settings(config, osPageByteSize, problems);

        StrategyContext context = strategyGeometry(osPageByteSize, settings.segmentByteSize());
        Optional<SizeClasses> sizeClasses = create(StrategyKind.SIZE_CLASSES,
                own -> ((SizeClassesProvider) providers.get(StrategyKind.SIZE_CLASSES)).create(with(context, own)));
        Optional<PageLookup> pageLookup = create(StrategyKind.PAGE_LOOKUP,
                own -> ((PageLookupProvider) providers.get(StrategyKind.PAGE_LOOKUP)).create(with(context, own)));
        Optional<PurgePolicy> purgePolicy = create(StrategyKind.PURGE,
                own -> ((PurgePolicyProvider) providers.get(StrategyKind.PURGE)).create(with(context, own)));
        Optional<PageSelection> pageSelection = create(StrategyKind.PAGE_SELECTION,
                own -> ((PageSelectionProvider) providers.get(StrategyKind.PAGE_SELECTION)).create(with(context, own)));
        Optional<RemoteFree> remoteFree = create(StrategyKind.REMOTE_FREE,
                own -> ((RemoteFreeProvider) providers.get(StrategyKind.REMOTE_FREE)).create(with(context, own)));

        Optional<EngineSettings> engineSettings = settings.engineSettings()
                .filter(undescribed -> providers.size() == StrategyKind.values().length)
                .map(undescribed -> Description.describe(undescribed, providers, providerSettings));
        if (engineSettings.isPresent() && sizeClasses.isPresent() && osPageByteSize.isPresent()) {
            checkGeometry(geometry, engineSettings.get(), sizeClasses.get(), osPageByteSize.getAsLong());
        }
        Optional<Path> traceFile = TraceSetting.read(config, problems);
        problems.throwIfAny();
        return new Assembly(engineSettings.orElseThrow(), platform.orElseThrow(), sizeClasses.orElseThrow(),
                pageLookup.orElseThrow(), purgePolicy.orElseThrow(), pageSelection.orElseThrow(), remoteFree.orElseThrow(), new EffectiveConfig(effectiveConfig(), user),
                traceFile);
    }

    /**
     * Creates the strategy of a kind from its provider's settings, if a provider was selected.
     * A {@link ConfigException} it throws is recorded under the path of its block.
     */
    private <T> Optional<T> create(StrategyKind kind, Function<Config, T> factory) {
        StrategyProvider provider = providers.get(kind);
        if (provider == null) {
            return Optional.empty();
        }
        try {
            T strategy = factory.apply(providerSettings.get(kind));
            if (strategy == null) {
                throw new IllegalStateException(provider.getClass().getName() + " (" + kind.path() + " provider `"
                        + provider.name() + "`) created null");
            }
            return Optional.of(strategy);
        } catch (ConfigException e) {
            ConfigValue block = StrategyBlocks.blockValue(kind, provider, config);
            problems.fromProvider(StrategyBlocks.path(kind, provider.name()), block.origin(), e);
            return Optional.empty();
        }
    }

    /**
     * The geometry strategies are created with. When the OS page size or the segment size is not
     * known, because its own problem was recorded, stand-ins let the strategies still check their
     * own settings: every problem is reported in one run, and strategies created this way are
     * never used, since the recorded problem is thrown.
     */
    private StrategyContext strategyGeometry(OptionalLong osPageByteSize, OptionalLong segmentByteSize) {
        return new StrategyContext(ConfigFactory.empty(), osPageByteSize.orElse(STAND_IN_OS_PAGE_BYTE_SIZE),
                segmentByteSize.orElseGet(() -> reference.getBytes(Settings.SEGMENT_SIZE)));
    }

    private static StrategyContext with(StrategyContext geometry, Config settings) {
        return new StrategyContext(settings, geometry.osPageByteSize(), geometry.segmentByteSize());
    }

    /**
     * Records the engine's geometry problems. A message that starts with one of the engine's
     * keys ({@code arena-size: 10 MiB (expected: ...)}) is reported under that key, where it was
     * set; one about the size classes ({@code largest size class: 128 KiB (expected: ...)}) under
     * the block of the selected size-classes provider, whose table it is.
     */
    private void checkGeometry(GeometryCheck geometry, EngineSettings settings, SizeClasses sizeClasses,
            long osPageByteSize) {
        StrategyProvider sizeClassesProvider = providers.get(StrategyKind.SIZE_CLASSES);
        for (String message : geometry.check(settings, sizeClasses, osPageByteSize)) {
            Optional<String> key = Settings.ENGINE_KEYS.stream().filter(path -> message.startsWith(path + ": ")).findFirst();
            if (key.isPresent()) {
                problems.found(key.get(), Values.at(config, key.get()), message.substring(key.get().length() + 2));
            } else {
                problems.found(StrategyBlocks.path(StrategyKind.SIZE_CLASSES, sizeClassesProvider.name()),
                        StrategyBlocks.blockValue(StrategyKind.SIZE_CLASSES, sizeClassesProvider, config), message);
            }
        }
    }

    /** The engine's keys over their defaults, with only the selected providers' blocks, over theirs. */
    private Config effectiveConfig() {
        Config effective = config;
        for (StrategyKind kind : StrategyKind.values()) {
            effective = effective.withoutPath(kind.path());
            for (String ownKey : kind.ownKeys()) {
                String path = kind.path() + "." + ownKey;
                effective = effective.withValue(path, config.getValue(path));
            }
            String blockPath = StrategyBlocks.path(kind, providers.get(kind).name());
            effective = effective.withValue(blockPath, providerSettings.get(kind).root());
        }
        return effective;
    }

    /** Loads the reference once, when first needed. */
    private static final class ReferenceHolder {
        static final Config REFERENCE = ConfigFactory
                .parseResources(Assembler.class, "/" + REFERENCE_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false))
                .resolve()
                .getConfig(REFERENCE_ROOT);
    }
}
