package io.tinyalloc.config;

import static io.tinyalloc.config.TestConfs.assertContains;
import static io.tinyalloc.config.TestConfs.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.tinyalloc.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing a provider by name: every way it can fail is an {@link IllegalStateException} whose
 * message has the file, line, key and name, and lists every provider found for the kind.
 */
class ProviderSelectionTest {

    private static final String MACHINE = System.getProperty("os.name") + " " + System.getProperty("os.arch");

    @TempDir
    Path directory;

    @Test
    void unknownNameListsTheProvidersFoundAndTheArtifactOfTheBuiltInOne() {
        Path file = selecting("test-fake", "jemaloc");

        String message = failureOf(file, TestConfs.fakeCatalog());

        assertContains(message,
                at(file, 2) + "size-classes.provider: jemaloc (expected: one of the size-classes providers found: "
                        + "test-fake; did you mean `jemalloc`?)",
                "`jemalloc` is built in: add io.tinyalloc:tinyalloc-strategies (module io.tinyalloc.strategies)"
                        + " to the class path or module path",
                "found: test-fake (io.tinyalloc.config.FakeSizeClassesProvider, supported here)");
    }

    @Test
    void missingBuiltInProviderNamesItsArtifact() {
        Path file = selecting("linux-on-mars", "mimalloc");

        assertContains(failureOf(file, TestConfs.fakeCatalog()),
                at(file, 1) + "platform.provider: linux-on-mars (expected: one of the platform providers found: test-fake)",
                at(file, 2) + "size-classes.provider: mimalloc (expected: one of the size-classes providers found: test-fake)",
                "`mimalloc` is built in: add io.tinyalloc:tinyalloc-strategies (module io.tinyalloc.strategies)");
    }

    @Test
    void autoIsOnlyForPlatforms() {
        Path file = selecting("test-fake", "auto");

        assertContains(failureOf(file, TestConfs.fakeCatalog()),
                at(file, 2) + "size-classes.provider: auto (expected: one of the size-classes providers found: test-fake)");
    }

    @Test
    void twoProvidersWithOneNameAreBothListed() {
        Path file = selecting("test-fake", "test-duplicate");
        ProviderCatalog catalog = catalogWith(new FakeSizeClassesProvider.DuplicateA(),
                new FakeSizeClassesProvider.DuplicateB());

        assertContains(failureOf(file, catalog),
                at(file, 2) + "size-classes.provider: test-duplicate (expected: one size-classes provider named "
                        + "`test-duplicate`, found 2: io.tinyalloc.config.FakeSizeClassesProvider$DuplicateA, "
                        + "io.tinyalloc.config.FakeSizeClassesProvider$DuplicateB; remove all but one");
    }

    @Test
    void providerThatIsNotSupportedHereCannotBeSelected() {
        Path file = selecting("test-unsupported", "test-fake");
        ProviderCatalog catalog = catalogWith(new FakePlatformProvider.Unsupported());

        assertContains(failureOf(file, catalog),
                at(file, 1) + "platform.provider: test-unsupported (expected: a platform provider supported on " + MACHINE
                        + "; io.tinyalloc.config.FakePlatformProvider$Unsupported is not)",
                "found: test-unsupported (io.tinyalloc.config.FakePlatformProvider$Unsupported, not supported here)",
                "found: test-fake (io.tinyalloc.config.FakePlatformProvider, supported here)");
    }

    @Test
    void autoWithNoSupportedPlatform() {
        Path file = selecting("auto", "test-fake");
        ProviderCatalog catalog = ProviderCatalog.of(List.of(new FakePlatformProvider.Unsupported(),
                new FakeSizeClassesProvider(), new FakePageLookupProvider(), new FakePurgeProvider(),
                new FakePageSelectionProvider(), new FakeRemoteFreeProvider()));

        assertContains(failureOf(file, catalog),
                at(file, 1) + "platform.provider: auto (expected: exactly one platform provider supported on " + MACHINE
                        + "; none is)",
                "found: test-unsupported (io.tinyalloc.config.FakePlatformProvider$Unsupported, not supported here)");
    }

    @Test
    void autoWithSeveralSupportedPlatforms() {
        Path file = selecting("auto", "test-fake");
        ProviderCatalog catalog = catalogWith(new FakePlatformProvider("test-other", true));

        assertContains(failureOf(file, catalog),
                at(file, 1) + "platform.provider: auto (expected: exactly one platform provider supported on " + MACHINE
                        + "; 2 are: test-fake, test-other; name one)");
    }

    @Test
    void autoTakesTheOneSupportedPlatform() {
        Path file = selecting("auto", "test-fake");
        ProviderCatalog catalog = catalogWith(new FakePlatformProvider.Unsupported());

        Assembly assembly = Assembler.assemble(TestConfs.parse(file), catalog, TestConfs.NO_GEOMETRY_PROBLEMS);

        assertEquals(FakePlatformProvider.OS_PAGE_BYTE_SIZE, assembly.platform().pageByteSize());
        assertContains(assembly.settings().description(), "platform=test-fake ");
    }

    @Test
    void noProviderOfAKindNamesTheArtifactsOfTheBuiltInOnes() {
        Path file = selecting("test-fake", "test-fake");
        ProviderCatalog catalog = ProviderCatalog.of(List.of(new FakePlatformProvider("test-fake", true),
                new FakeSizeClassesProvider(), new FakePurgeProvider()));

        assertContains(failureOf(file, catalog),
                at(file, 3) + "page-lookup.provider: test-fake (expected: one of the page-lookup providers found: none)",
                "no page-lookup provider was found on the class path or module path; the built-in ones are "
                        + "masking, radix in io.tinyalloc:tinyalloc-strategies (module io.tinyalloc.strategies)");
    }

    @Test
    void everyMissingStrategyIsReportedTogether() {
        Path file = selecting("test-missing", "jemaloc");

        assertContains(failureOf(file, TestConfs.fakeCatalog()),
                at(file, 1) + "platform.provider: test-missing",
                at(file, 2) + "size-classes.provider: jemaloc");
    }

    @Test
    void configurationProblemsComeFirstWithTheMissingStrategiesAttached() {
        Path file = TestConfs.writeRaw(directory,
                "platform.provider = test-fake",
                "size-classes.provider = jemaloc",
                "page-lookup.provider = test-fake",
                "purge.provider = test-delayed",
                "segment-size = 3 MiB",
                "page-selection.provider = test-fake");

        ConfigException.ValidationFailed failure = assertThrows(ConfigException.ValidationFailed.class,
                () -> Assembler.assemble(TestConfs.parse(file), TestConfs.fakeCatalog(), TestConfs.NO_GEOMETRY_PROBLEMS));

        assertContains(failure.getMessage(), at(file, 5) + "segment-size: 3 MiB");
        assertEquals(1, failure.getSuppressed().length);
        assertInstanceOf(IllegalStateException.class, failure.getSuppressed()[0]);
        assertContains(failure.getSuppressed()[0].getMessage(), at(file, 2) + "size-classes.provider: jemaloc");
    }

    /** Writes a file that selects a platform on line 1, size classes on line 2 and fakes for the rest. */
    @Test
    void theSettingsOfASelectedProviderThatIsMissingDoNotHideThatItIsMissing() {
        Path file = TestConfs.writeRaw(directory,
                "platform.provider = test-fake",
                "size-classes { provider = test-plugin, test-plugin { max-size = 1 KiB } }",
                "page-lookup.provider = test-fake",
                "purge.provider = test-delayed");

        String failure = failureOf(file, TestConfs.fakeCatalog());

        assertContains(failure, "size-classes.provider: test-plugin (expected: one of the size-classes providers found");
        assertTrue(!failure.contains("unknown key"), failure);
    }

    private Path selecting(String platform, String sizeClasses) {
        return TestConfs.writeRaw(directory,
                "platform.provider = " + platform,
                "size-classes.provider = " + sizeClasses,
                "page-lookup.provider = test-fake",
                "purge.provider = test-delayed",
                "page-selection.provider = test-fake");
    }

    /** The fake catalog with more providers. */
    private static ProviderCatalog catalogWith(StrategyProvider... more) {
        List<StrategyProvider> providers = new java.util.ArrayList<>(List.of(new FakePlatformProvider("test-fake", true),
                new FakeSizeClassesProvider(), new FakePageLookupProvider(), new FakePurgeProvider(),
                new FakePageSelectionProvider(), new FakeRemoteFreeProvider()));
        providers.addAll(List.of(more));
        return ProviderCatalog.of(providers);
    }

    private static String failureOf(Path file, ProviderCatalog catalog) {
        return assertThrows(IllegalStateException.class,
                () -> Assembler.assemble(TestConfs.parse(file), catalog, TestConfs.NO_GEOMETRY_PROBLEMS)).getMessage();
    }
}
