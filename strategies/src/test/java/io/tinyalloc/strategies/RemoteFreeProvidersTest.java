package io.tinyalloc.strategies;

import static io.tinyalloc.strategies.StrategyContexts.withDefaults;
import static io.tinyalloc.strategies.StrategyContexts.withSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.tinyalloc.spi.RemoteFree;
import io.tinyalloc.spi.RemoteFreeProvider;
import io.tinyalloc.spi.StrategyProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteFreeProvidersTest {

    @Test
    void bothBuiltInProvidersAreFoundByName() {
        Map<String, RemoteFreeProvider> found = ServiceLoader.load(RemoteFreeProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(StrategyProvider::name, provider -> provider));

        assertEquals(Set.of("per-page", "batched"), found.keySet());
        assertInstanceOf(PerPageRemoteFreeProvider.class, found.get("per-page"));
        assertInstanceOf(BatchedRemoteFreeProvider.class, found.get("batched"));
        assertTrue(found.get("per-page").defaults().isEmpty(), "per-page has no settings");
        assertEquals(Set.of("batch-size"), found.get("batched").defaults().root().keySet());
    }

    @Test
    void perPagePushesEachBlockOnItsPage() {
        RemoteFreeProvider provider = new PerPageRemoteFreeProvider();

        assertEquals(RemoteFree.Delivery.PER_PAGE, provider.create(withDefaults(provider)).delivery());
    }

    @Test
    void batchedSendsSixtyFourBlocksByDefault() {
        RemoteFreeProvider provider = new BatchedRemoteFreeProvider();

        RemoteFree remoteFree = provider.create(withDefaults(provider));

        assertEquals(RemoteFree.Delivery.BATCHED, remoteFree.delivery());
        assertEquals(64, remoteFree.batchSize());
    }

    @ParameterizedTest
    @ValueSource(ints = {RemoteFree.MIN_BATCH_SIZE, 100, RemoteFree.MAX_BATCH_SIZE})
    void batchedTakesAnyBatchSizeInRange(int batchSize) {
        RemoteFreeProvider provider = new BatchedRemoteFreeProvider();

        assertEquals(batchSize, provider.create(withSettings(provider, "batch-size = " + batchSize)).batchSize());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, RemoteFree.MAX_BATCH_SIZE + 1})
    void batchSizeOutOfRangeNamesTheKeyAndTheRange(int batchSize) {
        RemoteFreeProvider provider = new BatchedRemoteFreeProvider();

        ConfigException.BadValue failure = assertThrows(ConfigException.BadValue.class,
                () -> provider.create(withSettings(provider, "batch-size = " + batchSize)));

        assertTrue(failure.getMessage().contains("'batch-size': " + batchSize
                + " (expected: an integer from 2 to 4096 blocks)"), failure.getMessage());
    }

    @Test
    void batchSizeThatIsNotAnIntegerIsRefused() {
        RemoteFreeProvider provider = new BatchedRemoteFreeProvider();

        assertThrows(ConfigException.WrongType.class, () -> provider.create(withSettings(provider, "batch-size = many")));
    }

    @Test
    void toStringNamesTheProvider() {
        assertEquals("PerPageRemoteFreeProvider[per-page]", new PerPageRemoteFreeProvider().toString());
        assertEquals("BatchedRemoteFreeProvider[batched]", new BatchedRemoteFreeProvider().toString());
    }
}
