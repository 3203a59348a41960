package io.tinyalloc.config;

import static io.tinyalloc.config.TestConfs.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.spi.EngineProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery through {@link ServiceLoader}, with the fakes listed in the test
 * {@code META-INF/services}: whatever real providers are on the class path too, these are found.
 */
class DiscoveryTest {

    @TempDir
    Path directory;

    @Test
    void findsTheProvidersListedOnTheClassPath() {
        ProviderCatalog catalog = ProviderCatalog.discover();

        assertTrue(catalog.names(StrategyKind.PLATFORM).contains("test-unsupported"), catalog.names(StrategyKind.PLATFORM)::toString);
        assertTrue(catalog.names(StrategyKind.SIZE_CLASSES).containsAll(List.of("test-fake", "test-duplicate")));
        assertTrue(catalog.names(StrategyKind.PAGE_LOOKUP).contains("test-fake"));
        assertTrue(catalog.names(StrategyKind.PURGE).contains("test-delayed"));
    }

    @Test
    void twoProvidersOfOneNameOnTheClassPathAreBothNamedWhenSelected() {
        Problems problems = new Problems();

        ProviderCatalog.discover().select(StrategyKind.SIZE_CLASSES,
                ConfigFactory.parseString("size-classes.provider = test-duplicate"), problems);

        IllegalStateException failure = assertThrows(IllegalStateException.class, problems::throwIfAny);
        assertContains(failure.getMessage(), "size-classes.provider: test-duplicate",
                "io.tinyalloc.config.FakeSizeClassesProvider$DuplicateA",
                "io.tinyalloc.config.FakeSizeClassesProvider$DuplicateB");
    }

    @Test
    void theEngineIsFoundByTheApi() {
        List<EngineProvider> engines = ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::get).toList();

        assertEquals(1, engines.size());
        assertEquals(ConfiguredEngineProvider.class, engines.getFirst().getClass());
        assertEquals("tinyalloc", engines.getFirst().name());
    }

    @Test
    void anInvalidFileFailsThroughTheApiWithEveryProblem() {
        Path file = TestConfs.writeRaw(directory, "segment-size = 3 MiB", "pages-sizes = [64 KiB]");

        ConfigException.ValidationFailed failure = assertThrows(ConfigException.ValidationFailed.class,
                () -> TinyAlloc.create(file));

        assertContains(failure.getMessage(),
                TestConfs.at(file, 1) + "segment-size: 3 MiB (expected: a power of two between 64 KiB and 64 MiB)",
                TestConfs.at(file, 2) + "pages-sizes: [64 KiB] (unknown key; did you mean `page-sizes`?)");
    }
}
