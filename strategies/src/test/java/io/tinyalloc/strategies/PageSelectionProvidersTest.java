package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.StrategyProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PageSelectionProvidersTest {

    @Test
    void bothBuiltInProvidersAreFoundByName() {
        Map<String, PageSelectionProvider> found = ServiceLoader.load(PageSelectionProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(StrategyProvider::name, provider -> provider));

        assertEquals(Set.of("first-fit", "lowest-address"), found.keySet());
        assertInstanceOf(FirstFitPageSelectionProvider.class, found.get("first-fit"));
        assertInstanceOf(LowestAddressPageSelectionProvider.class, found.get("lowest-address"));
        for (PageSelectionProvider provider : found.values()) {
            assertTrue(provider.isSupported(), provider.name());
            assertTrue(provider.defaults().isEmpty(), provider.name() + " has no settings: " + provider.defaults());
        }
    }

    @Test
    void firstFitTakesPagesInQueueOrder() {
        PageSelectionProvider provider = new FirstFitPageSelectionProvider();

        PageSelection selection = provider.create(withDefaults(provider));

        assertEquals(PageSelection.Order.QUEUE, selection.order());
    }

    @Test
    void lowestAddressTakesTheLowestPageFirst() {
        PageSelectionProvider provider = new LowestAddressPageSelectionProvider();

        PageSelection selection = provider.create(withDefaults(provider));

        assertEquals(PageSelection.Order.LOWEST_ADDRESS, selection.order());
    }

    @Test
    void toStringNamesTheProvider() {
        assertEquals("FirstFitPageSelectionProvider[first-fit]", new FirstFitPageSelectionProvider().toString());
        assertEquals("LowestAddressPageSelectionProvider[lowest-address]",
                new LowestAddressPageSelectionProvider().toString());
    }
}
