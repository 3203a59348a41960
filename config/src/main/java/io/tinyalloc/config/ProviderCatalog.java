package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tinyalloc.spi.StrategyProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strategy providers found with {@link ServiceLoader}, by kind, and the choice of one per
 * kind by the name in {@code tinyalloc.conf}.
 *
 * <p>A choice never falls back silently. When the named provider is missing, ambiguous or not
 * supported here, the problem names the key, its file and line, and lists every provider found
 * for that kind with its class and whether it is supported, and the artifact that holds a
 * missing built-in one.
 */
final class ProviderCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCatalog.class);

    /**
     * After this many broken providers of one kind, loading stops: {@link ServiceLoader}'s
     * iterator only promises a best effort to move past a broken provider.
     */
    private static final int MAX_LOAD_ERRORS_PER_KIND = 32;
    private static final String DETAIL_INDENT = "\n      ";

    private final Map<StrategyKind, List<StrategyProvider>> providersByKind;
    private final Map<StrategyKind, List<String>> loadErrorsByKind;

    private ProviderCatalog(Map<StrategyKind, List<StrategyProvider>> providersByKind,
            Map<StrategyKind, List<String>> loadErrorsByKind) {
        this.providersByKind = providersByKind;
        this.loadErrorsByKind = loadErrorsByKind;
    }

    /**
     * Finds every provider of every kind with {@link ServiceLoader}: those of named modules (the
     * api module declares {@code uses}, and so does this one, which calls the loader) and those
     * listed in {@code META-INF/services} on the class path of the thread's context class loader.
     *
     * @return the providers found
     */
    static ProviderCatalog discover() {
        Map<StrategyKind, List<StrategyProvider>> providers = new EnumMap<>(StrategyKind.class);
        Map<StrategyKind, List<String>> errors = new EnumMap<>(StrategyKind.class);
        for (StrategyKind kind : StrategyKind.values()) {
            List<StrategyProvider> found = new ArrayList<>();
            List<String> kindErrors = new ArrayList<>();
            load(kind, found, kindErrors);
            providers.put(kind, List.copyOf(found));
            errors.put(kind, List.copyOf(kindErrors));
            LOG.debug("{} providers found: {}", kind.path(), found);
        }
        return new ProviderCatalog(providers, errors);
    }

    /**
     * Makes a catalog of given providers, each filed under every kind whose interface it
     * implements.
     *
     * @param providers the providers
     * @return the catalog
     */
    static ProviderCatalog of(Collection<? extends StrategyProvider> providers) {
        Map<StrategyKind, List<StrategyProvider>> byKind = new EnumMap<>(StrategyKind.class);
        Map<StrategyKind, List<String>> errors = new EnumMap<>(StrategyKind.class);
        for (StrategyKind kind : StrategyKind.values()) {
            byKind.put(kind, providers.stream().filter(kind.serviceType()::isInstance)
                    .map(StrategyProvider.class::cast).toList());
            errors.put(kind, List.of());
        }
        return new ProviderCatalog(byKind, errors);
    }

    private static void load(StrategyKind kind, List<StrategyProvider> found, List<String> errors) {
        Iterator<? extends StrategyProvider> providers = ServiceLoader.load(kind.serviceType()).iterator();
        while (errors.size() < MAX_LOAD_ERRORS_PER_KIND) {
            try {
                if (!providers.hasNext()) {
                    return;
                }
                found.add(providers.next());
            } catch (ServiceConfigurationError error) {
                LOG.warn("a {} provider could not be loaded", kind.path(), error);
                errors.add(String.valueOf(error.getMessage()));
            }
        }
    }

    /**
     * Returns the providers of a kind that have a name.
     *
     * @param kind the kind
     * @param name the name
     * @return those providers, usually one, empty if none
     */
    List<StrategyProvider> named(StrategyKind kind, String name) {
        return providersByKind.get(kind).stream().filter(provider -> provider.name().equals(name)).toList();
    }

    /**
     * Returns the names of the providers found for a kind.
     *
     * @param kind the kind
     * @return their names, sorted
     */
    Set<String> names(StrategyKind kind) {
        return providersByKind.get(kind).stream().map(StrategyProvider::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Chooses the provider that {@code config} names for a kind at {@link StrategyKind#providerPath()}.
     *
     * @param kind the kind
     * @param config the configuration, over its defaults
     * @param problems where a name that is not a string (a configuration problem) or that no
     *        single supported provider answers to (a missing strategy) is recorded
     * @return the provider, or empty if a problem was recorded
     */
    Optional<StrategyProvider> select(StrategyKind kind, Config config, Problems problems) {
        String path = kind.providerPath();
        ConfigValue value = Values.at(config, path);
        if (value == null || value.valueType() != ConfigValueType.STRING) {
            problems.invalid(path, value, "the name of a " + kind.path() + " provider, one of: " + nameChoices(kind));
            return Optional.empty();
        }
        String name = (String) value.unwrapped();
        String problemStart = Values.location(value.origin()) + ": " + path + ": " + name;
        Optional<StrategyProvider> selected = kind.allowsAuto() && name.equals(StrategyKind.AUTO)
                ? selectSupported(kind, problemStart, problems)
                : selectNamed(kind, name, problemStart, problems);
        selected.ifPresent(provider -> LOG.debug("{}: {} ({})", path, provider.name(), provider.getClass().getName()));
        return selected;
    }

    private Optional<StrategyProvider> selectSupported(StrategyKind kind, String problemStart, Problems problems) {
        List<StrategyProvider> supported = providersByKind.get(kind).stream().filter(StrategyProvider::isSupported).toList();
        if (supported.size() == 1) {
            return Optional.of(supported.getFirst());
        }
        String found = supported.isEmpty() ? "none is" : supported.size() + " are: "
                + supported.stream().map(StrategyProvider::name).collect(Collectors.joining(", "));
        problems.unavailable(problemStart + " (expected: exactly one " + kind.path() + " provider supported on "
                + thisMachine() + "; " + found + (supported.isEmpty() ? "" : "; name one") + ")" + candidates(kind));
        return Optional.empty();
    }

    private Optional<StrategyProvider> selectNamed(StrategyKind kind, String name, String problemStart,
            Problems problems) {
        List<StrategyProvider> named = named(kind, name);
        if (named.size() > 1) {
            problems.unavailable(problemStart + " (expected: one " + kind.path() + " provider named `" + name
                    + "`, found " + named.size() + ": " + named.stream().map(p -> p.getClass().getName())
                            .collect(Collectors.joining(", "))
                    + "; remove all but one from the class path or module path)" + candidates(kind));
            return Optional.empty();
        }
        if (named.isEmpty()) {
            boolean builtIn = kind.artifactOf(name).isPresent();
            Optional<String> closest = builtIn ? Optional.empty() : closestName(kind, name);
            String meant = closest.orElse(name);
            problems.unavailable(problemStart + " (expected: one of the " + kind.path() + " providers found: "
                    + (providersByKind.get(kind).isEmpty() ? "none" : String.join(", ", names(kind)))
                    + closest.map(suggestion -> "; did you mean `" + suggestion + "`?").orElse("") + ")"
                    + builtInNote(kind, meant) + candidates(kind));
            return Optional.empty();
        }
        StrategyProvider provider = named.getFirst();
        if (!provider.isSupported()) {
            problems.unavailable(problemStart + " (expected: a " + kind.path() + " provider supported on "
                    + thisMachine() + "; " + provider.getClass().getName() + " is not)" + candidates(kind));
            return Optional.empty();
        }
        return Optional.of(provider);
    }

    private String nameChoices(StrategyKind kind) {
        Stream<String> auto = kind.allowsAuto() ? Stream.of(StrategyKind.AUTO) : Stream.empty();
        return Stream.concat(auto, Stream.concat(names(kind).stream(), kind.builtInNames().stream()))
                .distinct().collect(Collectors.joining(", "));
    }

    /** The closest name to a misspelt one among the providers found and the built-in ones. */
    private Optional<String> closestName(StrategyKind kind, String name) {
        Set<String> known = new TreeSet<>(names(kind));
        known.addAll(kind.builtInNames());
        known.remove(name);
        return Suggestions.closest(name, known);
    }

    /** Where a built-in provider that was not found is, when {@code name} is one. */
    private static String builtInNote(StrategyKind kind, String name) {
        return kind.artifactOf(name)
                .map(artifact -> DETAIL_INDENT + "`" + name + "` is built in: add " + artifact
                        + " to the class path or module path")
                .orElse("");
    }

    /** Lists every provider found for a kind, and every one that could not be loaded. */
    private String candidates(StrategyKind kind) {
        StringBuilder listing = new StringBuilder();
        for (StrategyProvider provider : providersByKind.get(kind)) {
            listing.append(DETAIL_INDENT).append("found: ").append(provider.name()).append(" (")
                    .append(provider.getClass().getName()).append(", ")
                    .append(provider.isSupported() ? "supported here" : "not supported here").append(')');
        }
        for (String error : loadErrorsByKind.get(kind)) {
            listing.append(DETAIL_INDENT).append("could not load: ").append(error);
        }
        if (listing.isEmpty()) {
            listing.append(DETAIL_INDENT).append("no ").append(kind.path())
                    .append(" provider was found on the class path or module path; the built-in ones are ")
                    .append(builtInsByArtifact(kind));
        }
        return listing.toString();
    }

    /** For example {@code delayed, immediate, none in io.tinyalloc:tinyalloc-strategies (module ...)}. */
    private static String builtInsByArtifact(StrategyKind kind) {
        Map<String, String> namesByArtifact = kind.builtInNames().stream().collect(Collectors.groupingBy(
                name -> kind.artifactOf(name).orElseThrow(), TreeMap::new, Collectors.joining(", ")));
        return namesByArtifact.entrySet().stream()
                .map(names -> names.getValue() + " in " + names.getKey())
                .collect(Collectors.joining(", "));
    }

    private static String thisMachine() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
