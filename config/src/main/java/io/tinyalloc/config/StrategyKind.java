package io.tinyalloc.config;

import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.PlatformMemoryProvider;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.RemoteFreeProvider;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kinds of strategy that {@code tinyalloc.conf} chooses, each with its block, its provider
 * interface, the keys of the block that are not provider blocks, and the built-in providers with
 * the artifact that holds them (for the error when one is missing).
 */
enum StrategyKind {

    PLATFORM("platform", PlatformMemoryProvider.class, true, Set.of(),
            Map.of("linux", platformArtifact("linux"), "macos", platformArtifact("macos"),
                    "windows", platformArtifact("windows"))),
    SIZE_CLASSES("size-classes", SizeClassesProvider.class, false, Set.of(),
            builtIn("jemalloc", "mimalloc", "tinyalloc32", "custom")),
    PAGE_LOOKUP("page-lookup", PageLookupProvider.class, false, Set.of(),
            builtIn("masking", "radix")),
    PURGE("purge", PurgePolicyProvider.class, false, Set.of(StrategyKind.BACKGROUND),
            builtIn("delayed", "immediate", "decay", "none")),
    PAGE_SELECTION("page-selection", PageSelectionProvider.class, false, Set.of(),
            builtIn("first-fit", "lowest-address")),
    REMOTE_FREE("remote-free", RemoteFreeProvider.class, false, Set.of(),
            builtIn("per-page", "batched"));

    /** The key, in every kind's block, that names the provider. */
    static final String PROVIDER = "provider";
    /** The name that selects the one supported provider, for kinds that allow it. */
    static final String AUTO = "auto";
    /** The key of the purge block that starts the background purger. */
    static final String BACKGROUND = "background";

    /** A compile-time constant, so that the constants above may use it before the class is initialized. */
    private static final String STRATEGIES_ARTIFACT = "io.tinyalloc:tinyalloc-strategies (module io.tinyalloc.strategies)";

    private final String path;
    private final Class<? extends StrategyProvider> serviceType;
    private final boolean allowsAuto;
    private final Set<String> ownKeys;
    private final Map<String, String> artifactsByBuiltInName;

    StrategyKind(String path, Class<? extends StrategyProvider> serviceType, boolean allowsAuto, Set<String> extraKeys,
            Map<String, String> artifactsByBuiltInName) {
        this.path = path;
        this.serviceType = serviceType;
        this.allowsAuto = allowsAuto;
        this.ownKeys = union(Set.of(PROVIDER), extraKeys);
        this.artifactsByBuiltInName = artifactsByBuiltInName;
    }

    /** @return the block of this kind, such as {@code size-classes} */
    String path() {
        return path;
    }

    /** @return the path of the key that names the provider, such as {@code size-classes.provider} */
    String providerPath() {
        return path + "." + PROVIDER;
    }

    /** @return the provider interface that {@link java.util.ServiceLoader} loads */
    Class<? extends StrategyProvider> serviceType() {
        return serviceType;
    }

    /** @return whether {@value #AUTO} selects the one supported provider */
    boolean allowsAuto() {
        return allowsAuto;
    }

    /** @return the keys of this kind's block that are not provider blocks */
    Set<String> ownKeys() {
        return ownKeys;
    }

    /** @return the names of the providers that tinyalloc ships, sorted */
    Set<String> builtInNames() {
        return new TreeSet<>(artifactsByBuiltInName.keySet());
    }

    /**
     * Returns the artifact that holds a built-in provider.
     *
     * @param name a provider name
     * @return the artifact and module, or empty if {@code name} is not built in
     */
    Optional<String> artifactOf(String name) {
        return Optional.ofNullable(artifactsByBuiltInName.get(name));
    }

    private static Map<String, String> builtIn(String... names) {
        return Arrays.stream(names).collect(Collectors.toUnmodifiableMap(
                name -> name, name -> STRATEGIES_ARTIFACT));
    }

    private static String platformArtifact(String os) {
        return "io.tinyalloc:tinyalloc-platform-" + os + " (module io.tinyalloc.platform." + os + ")";
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
