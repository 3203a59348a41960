package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.tinyalloc.spi.StrategyProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The blocks of the strategy kinds ({@code size-classes { provider = jemalloc, jemalloc { ... } }}):
 * which keys they may hold, and the settings each provider is created from.
 *
 * <p>A kind's block holds its own keys ({@code provider}, and {@code background} for purge) and
 * one block per provider, named after it. A provider's block may hold only the keys of its
 * {@linkplain StrategyProvider#defaults() defaults}; this is checked for every provider found,
 * selected or not, so that a typo in a block that is switched on later is caught now.
 */
final class StrategyBlocks {

    private StrategyBlocks() {
    }

    /**
     * Returns the path of a provider's block.
     *
     * @param kind the kind
     * @param providerName the provider's name
     * @return the path, such as {@code purge.delayed}
     */
    static String path(StrategyKind kind, String providerName) {
        return ConfigUtil.joinPath(kind.path(), providerName);
    }

    /**
     * Reports keys of a kind's block that nothing reads.
     *
     * @param kind the kind
     * @param user the configuration as the user wrote it, without defaults
     * @param reference the reference defaults; a value equal to its default is taken as merged
     *        in by {@code ConfigFactory.load()}, not written by the user
     * @param catalog the providers found
     * @param problems where unknown keys and blocks that are not blocks are recorded
     */
    static void checkKeys(StrategyKind kind, Config user, Config reference, ProviderCatalog catalog, Problems problems) {
        ConfigValue block = user.root().get(kind.path());
        if (block == null) {
            return;
        }
        if (!(block instanceof ConfigObject object)) {
            problems.invalid(kind.path(), block, "a block such as { " + StrategyKind.PROVIDER + " = ... }");
            return;
        }
        Set<String> knownKeys = new TreeSet<>(kind.ownKeys());
        knownKeys.addAll(catalog.names(kind));
        ConfigValue providerValue = object.get(StrategyKind.PROVIDER);
        String selected = providerValue == null ? null : String.valueOf(providerValue.unwrapped());
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String key = entry.getKey();
            String path = kind.path() + "." + ConfigUtil.joinPath(key);
            List<StrategyProvider> named = catalog.named(kind, key);
            if (kind.ownKeys().contains(key) || isDefault(path, entry.getValue(), reference)) {
                continue;
            }
            if (named.isEmpty() && key.equals(selected)) {
                // The settings of the provider the file selects, which is not here: the selection
                // reports that, with every provider found, rather than an unknown key.
                continue;
            }
            if (named.isEmpty()) {
                String note = kind.artifactOf(key)
                        .map(artifact -> "`" + key + "` is a built-in " + kind.path() + " provider not found here: it is in "
                                + artifact)
                        .orElse("");
                problems.unknownKey(path, entry.getValue(), knownKeys, note);
            } else {
                checkProviderKeys(path, entry.getValue(), named.getFirst(), reference, problems);
            }
        }
    }

    private static void checkProviderKeys(String blockPath, ConfigValue block, StrategyProvider provider,
            Config reference, Problems problems) {
        if (!(block instanceof ConfigObject object)) {
            problems.invalid(blockPath, block, "a block of settings of the " + provider.name() + " provider");
            return;
        }
        Config defaults = provider.defaults();
        Set<String> knownKeys = new TreeSet<>(defaults.entrySet().stream().map(Map.Entry::getKey).toList());
        for (Map.Entry<String, ConfigValue> leaf : object.toConfig().entrySet()) {
            String path = blockPath + "." + leaf.getKey();
            if (Values.at(defaults, leaf.getKey()) == null && !isDefault(path, leaf.getValue(), reference)) {
                problems.unknownKey(path, leaf.getValue(), knownKeys, "");
            }
        }
    }

    /**
     * Returns the settings a provider is created from: its block in the configuration, over its
     * own defaults.
     *
     * @param kind the provider's kind
     * @param provider the provider
     * @param config the configuration, over the reference defaults
     * @return the settings
     */
    static Config settingsOf(StrategyKind kind, StrategyProvider provider, Config config) {
        ConfigValue block = Values.at(config, path(kind, provider.name()));
        Config settings = block instanceof ConfigObject object ? object.toConfig() : ConfigFactory.empty();
        return settings.withFallback(provider.defaults());
    }

    /**
     * Returns where a provider's block was set, or where its kind's block was set if it was not.
     *
     * @param kind the provider's kind
     * @param provider the provider
     * @param config the configuration, over the reference defaults
     * @return a value whose origin to report problems of the block at
     */
    static ConfigValue blockValue(StrategyKind kind, StrategyProvider provider, Config config) {
        ConfigValue block = Values.at(config, path(kind, provider.name()));
        return block != null ? block : Values.at(config, kind.providerPath());
    }

    private static boolean isDefault(String path, ConfigValue value, Config reference) {
        return value.equals(Values.at(reference, path));
    }
}
