package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.tinyalloc.core.EngineSettings;
import io.tinyalloc.spi.StrategyProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one-line description of a strategy combination that {@code Allocator.describe()} returns,
 * for example {@code platform=linux size-classes=jemalloc(max-size=64 KiB) ... virtual-thread-heaps=4}.
 * Two allocators configured alike describe themselves alike, so the line can label benchmark
 * results.
 */
final class Description {

    private static final String ON = "on";
    private static final String OFF = "off";

    private Description() {
    }

    /**
     * Returns {@code settings} with their description.
     *
     * @param settings the engine's settings, without a description
     * @param providers the provider selected for every kind
     * @param providerSettings the settings every selected provider was created from
     * @return the same settings, described
     */
    static EngineSettings describe(EngineSettings settings, Map<StrategyKind, StrategyProvider> providers,
            Map<StrategyKind, Config> providerSettings) {
        List<String> parts = new ArrayList<>();
        for (StrategyKind kind : StrategyKind.values()) {
            List<String> details = new ArrayList<>(settingsOf(providerSettings.get(kind)));
            if (kind == StrategyKind.PURGE) {
                details.add(StrategyKind.BACKGROUND + "=" + (settings.backgroundPurge() ? ON : OFF));
            }
            String name = providers.get(kind).name();
            parts.add(kind.path() + "=" + name + (details.isEmpty() ? "" : "(" + String.join(", ", details) + ")"));
        }
        parts.add(Settings.SEGMENT_SIZE + "=" + Sizes.format(settings.segmentByteSize()));
        parts.add(Settings.PAGE_SIZES + "=" + settings.pageByteSizes().stream().map(Sizes::format)
                .collect(Collectors.joining(", ", "[", "]")));
        parts.add(Settings.ARENA_SIZE + "=" + Sizes.format(settings.arenaByteSize()));
        parts.add("large-cache=" + Sizes.format(settings.largeCacheByteCapacity()) + "/"
                + Durations.format(settings.largeCacheMaxAgeNanos()));
        parts.add(Settings.VIRTUAL_THREAD_HEAPS + "=" + settings.virtualThreadHeaps());
        parts.add(Settings.CHECKS + "=" + (settings.checks() ? ON : OFF));
        parts.add(Settings.LIMIT + "=" + (settings.limitByteSize() == EngineSettings.NO_LIMIT ? OFF
                : Sizes.format(settings.limitByteSize())));
        parts.add(Settings.LEAK_DETECTION + "=" + settings.leakDetection().name().toLowerCase(java.util.Locale.ROOT));
        parts.add(Settings.SECURE + "=" + (settings.secure() ? ON : OFF));
        return settings.withDescription(String.join(" ", parts));
    }

    /** Renders a provider's settings as {@code key=value}, sorted by key. */
    private static List<String> settingsOf(Config settings) {
        return settings.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + "=" + render(entry.getValue()))
                .toList();
    }

    private static String render(ConfigValue value) {
        return value.unwrapped() instanceof Boolean flag ? (flag ? ON : OFF) : Values.render(value);
    }
}
