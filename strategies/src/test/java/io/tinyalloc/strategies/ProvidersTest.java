package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    @Test
    void sizeClassProvidersAreFoundByNameWithTheirDefaults() {
        Map<String, SizeClassesProvider> found = load(SizeClassesProvider.class);

        assertEquals(Set.of("jemalloc", "mimalloc", "tinyalloc32", "custom"), found.keySet());
        assertInstanceOf(JemallocSizeClassesProvider.class, found.get("jemalloc"));
        assertInstanceOf(MimallocSizeClassesProvider.class, found.get("mimalloc"));
        assertInstanceOf(Tinyalloc32SizeClassesProvider.class, found.get("tinyalloc32"));
        assertInstanceOf(CustomSizeClassesProvider.class, found.get("custom"));
        for (SizeClassesProvider provider : List.of(found.get("jemalloc"), found.get("mimalloc"))) {
            assertEquals(Set.of("max-size"), keys(provider.defaults()));
            assertEquals(64L << 10, provider.defaults().getBytes("max-size"));
            assertNotNull(provider.create(withDefaults(provider)));
        }
        assertTrue(found.get("tinyalloc32").defaults().isEmpty());
        assertNotNull(found.get("tinyalloc32").create(withDefaults(found.get("tinyalloc32"))));
        assertEquals(Set.of("sizes"), keys(found.get("custom").defaults()));
    }

    @Test
    void pageLookupProvidersAreFoundByNameWithTheirDefaults() {
        Map<String, PageLookupProvider> found = load(PageLookupProvider.class);

        assertEquals(Set.of("masking", "radix"), found.keySet());
        assertInstanceOf(RadixPageLookupProvider.class, found.get("radix"));
        assertInstanceOf(MaskingPageLookupProvider.class, found.get("masking"));
        assertTrue(found.get("masking").defaults().isEmpty());
        assertNotNull(found.get("masking").create(withDefaults(found.get("masking"))));
    }

    @Test
    void purgePolicyProvidersAreFoundByNameWithTheirDefaults() {
        Map<String, PurgePolicyProvider> found = load(PurgePolicyProvider.class);

        assertEquals(Set.of("delayed", "immediate", "decay", "none"), found.keySet());
        assertInstanceOf(DelayedPurgePolicyProvider.class, found.get("delayed"));
        assertInstanceOf(ImmediatePurgePolicyProvider.class, found.get("immediate"));
        assertInstanceOf(NoPurgePolicyProvider.class, found.get("none"));
        assertInstanceOf(DecayPurgePolicyProvider.class, found.get("decay"));
        assertEquals(Set.of("dirty-delay", "muzzy-delay"), keys(found.get("decay").defaults()));
        assertEquals("25 ms", found.get("decay").defaults().getString("dirty-delay"));
        assertEquals("25 ms", found.get("decay").defaults().getString("muzzy-delay"));
        assertEquals(Set.of("delay", "kind"), keys(found.get("delayed").defaults()));
        assertEquals("25 ms", found.get("delayed").defaults().getString("delay"));
        assertEquals("decommit", found.get("delayed").defaults().getString("kind"));
        assertEquals(Set.of("kind"), keys(found.get("immediate").defaults()));
        assertEquals("decommit", found.get("immediate").defaults().getString("kind"));
        assertTrue(found.get("none").defaults().isEmpty());
        for (PurgePolicyProvider provider : found.values()) {
            assertNotNull(provider.create(withDefaults(provider)));
        }
    }

    @Test
    void everyDefaultKeyIsDocumentedByAComment() {
        List<StrategyProvider> providers = List.of(new JemallocSizeClassesProvider(),
                new MimallocSizeClassesProvider(), new CustomSizeClassesProvider(), new DelayedPurgePolicyProvider(),
                new ImmediatePurgePolicyProvider(), new DecayPurgePolicyProvider());
        for (StrategyProvider provider : providers) {
            for (Map.Entry<String, ConfigValue> entry : provider.defaults().entrySet()) {
                assertFalse(entry.getValue().origin().comments().isEmpty(),
                        () -> provider.name() + ": " + entry.getKey() + " has no comment");
            }
        }
    }

    @Test
    void providerNamesAreLowerCaseLettersDigitsAndDashes() {
        for (Class<? extends StrategyProvider> kind : List.of(SizeClassesProvider.class, PageLookupProvider.class,
                PurgePolicyProvider.class, PageSelectionProvider.class)) {
            for (String name : load(kind).keySet()) {
                assertTrue(name.matches("[a-z0-9-]+"), name);
            }
        }
    }

    private static <P extends StrategyProvider> Map<String, P> load(Class<P> kind) {
        return ServiceLoader.load(kind).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(StrategyProvider::name, provider -> provider));
    }

    private static Set<String> keys(Config config) {
        return config.entrySet().stream().map(Map.Entry::getKey).collect(Collectors.toSet());
    }
}
