package io.tinyalloc.config;

import static io.tinyalloc.config.TestConfs.assertContains;
import static io.tinyalloc.config.TestConfs.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigException;
import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in strategies and the Linux platform, found with {@link java.util.ServiceLoader} on
 * the test class path (test-scope dependencies), as a user gets them.
 */
class RealProvidersTest {

    private static final int DEFAULT_VIRTUAL_THREAD_HEAPS = Math.min(2 * Runtime.getRuntime().availableProcessors(), 1024);

    @TempDir
    Path directory;

    private ProviderCatalog catalog;

    @BeforeEach
    void discover() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).equals("linux"), "auto takes linux here");
        catalog = ProviderCatalog.discover();
    }

    @Test
    void defaultsDescribeTheDefaultCombination() {
        Assembly assembly = assemble(TestConfs.writeRaw(directory));

        assertEquals("platform=linux size-classes=jemalloc(max-size=64 KiB) page-lookup=masking"
                + " purge=delayed(delay=25 ms, kind=decommit, background=on) page-selection=first-fit remote-free=per-page segment-size=4 MiB"
                + " page-sizes=[64 KiB, 512 KiB] arena-size=256 MiB large-cache=1 GiB/1 s"
                + " virtual-thread-heaps=" + DEFAULT_VIRTUAL_THREAD_HEAPS + " checks=on limit=off leak-detection=off secure=off",
                assembly.settings().description());
    }

    @Test
    void mimallocAndImmediatePurge() {
        Path file = TestConfs.writeRaw(directory,
                "size-classes { provider = mimalloc, mimalloc.max-size = 32 KiB }",
                "purge { provider = immediate, immediate.kind = reset }");

        assertContains(assemble(file).settings().description(),
                "size-classes=mimalloc(max-size=32 KiB)", "purge=immediate(kind=reset, background=on)");
    }

    @Test
    void badPurgeDelay() {
        Path file = TestConfs.writeRaw(directory, "purge.delayed.delay = 2 h");

        assertContains(failureOf(file), at(file, 1) + "purge.delayed.delay: 2 h (expected: a duration from 0 to 1 h)");
    }

    @Test
    void badPurgeKind() {
        Path file = TestConfs.writeRaw(directory, "purge.delayed {", "  kind = sometimes", "}");

        assertContains(failureOf(file), at(file, 2) + "purge.delayed.kind: sometimes (expected: decommit or reset)");
    }

    @Test
    void badSettingOfAProviderThatIsNotSelectedIsNotCreatedButItsKeysAreChecked() {
        Path file = TestConfs.writeRaw(directory, "size-classes.mimalloc.max-sise = 32 KiB");

        assertContains(failureOf(file),
                at(file, 1) + "size-classes.mimalloc.max-sise: 32 KiB (unknown key; did you mean `max-size`?)");
    }

    @Test
    void unknownProviderListsEveryProviderFound() {
        Path file = TestConfs.writeRaw(directory, "size-classes.provider = jemaloc");

        String message = assertThrows(IllegalStateException.class, () -> assemble(file)).getMessage();

        assertContains(message, at(file, 1) + "size-classes.provider: jemaloc (expected: one of the size-classes providers "
                        + "found: custom, jemalloc, mimalloc, test-duplicate, test-fake, tinyalloc32; did you mean `jemalloc`?)",
                "found: jemalloc (io.tinyalloc.strategies.JemallocSizeClassesProvider, supported here)",
                "found: mimalloc (io.tinyalloc.strategies.MimallocSizeClassesProvider, supported here)");
    }

    @Test
    void lowestAddressPageSelectionIsSelectedByNameAndBuildsAWorkingAllocator() {
        Path file = TestConfs.writeRaw(directory, "page-selection.provider = lowest-address");

        try (Allocator allocator = TinyAlloc.create(file)) {
            assertContains(allocator.describe(), " page-selection=lowest-address ");
            long address = allocator.allocate(100);
            allocator.free(address);
        }
    }

    @Test
    void unknownPageSelectionListsEveryProviderFound() {
        Path file = TestConfs.writeRaw(directory, "page-selection.provider = lowest");

        String message = assertThrows(IllegalStateException.class, () -> assemble(file)).getMessage();

        assertContains(message, at(file, 1) + "page-selection.provider: lowest (expected: one of the page-selection"
                        + " providers found: first-fit, lowest-address, test-fake",
                "found: lowest-address (io.tinyalloc.strategies.LowestAddressPageSelectionProvider, supported here)");
    }

    @Test
    void pageSelectionProvidersHaveNoSettings() {
        Path file = TestConfs.writeRaw(directory, "page-selection.lowest-address.order = descending");

        assertContains(failureOf(file), at(file, 1) + "page-selection.lowest-address.order: descending (unknown key");
    }

    @Test
    void batchedRemoteFreeIsSelectedByNameWithItsBatchSize() {
        Path file = TestConfs.writeRaw(directory, "remote-free { provider = batched, batched.batch-size = 16 }");

        try (Allocator allocator = TinyAlloc.create(file)) {
            assertContains(allocator.describe(), " remote-free=batched(batch-size=16) ");
            long address = allocator.allocate(100);
            allocator.free(address);
        }
    }

    @Test
    void batchSizeOutOfRangeIsReportedAtItsKey() {
        Path file = TestConfs.writeRaw(directory, "remote-free { provider = batched, batched.batch-size = 1 }");

        assertContains(failureOf(file), at(file, 1) + "remote-free.batched.batch-size",
                "1 (expected: an integer from 2 to 4096 blocks)");
    }

    @Test
    void tinyAllocCreatesAnAllocatorThatDescribesItsConfiguration() {
        Path file = TestConfs.writeRaw(directory, "segment-size = 2 MiB", "purge.provider = none");

        try (Allocator allocator = TinyAlloc.create(file)) {
            assertEquals("platform=linux size-classes=jemalloc(max-size=64 KiB) page-lookup=masking"
                    + " purge=none(background=on) page-selection=first-fit remote-free=per-page segment-size=2 MiB"
                    + " page-sizes=[64 KiB, 512 KiB] arena-size=256 MiB"
                    + " large-cache=1 GiB/1 s virtual-thread-heaps=" + DEFAULT_VIRTUAL_THREAD_HEAPS
                    + " checks=on limit=off leak-detection=off secure=off", allocator.describe());
            long address = allocator.allocate(100);
            allocator.free(address);
        }
    }

    private Assembly assemble(Path file) {
        return Assembler.assemble(TestConfs.parse(file), catalog, TestConfs.NO_GEOMETRY_PROBLEMS);
    }

    private String failureOf(Path file) {
        return assertThrows(ConfigException.ValidationFailed.class, () -> assemble(file)).getMessage();
    }
}
