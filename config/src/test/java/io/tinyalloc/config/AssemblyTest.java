package io.tinyalloc.config;

import static io.tinyalloc.config.TestConfs.assertContains;
import static io.tinyalloc.config.TestConfs.at;
import static io.tinyalloc.config.TestConfs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.core.Engine;
import io.tinyalloc.core.EngineSettings;
import io.tinyalloc.spi.PurgePolicy;
import io.tinyalloc.spi.SizeClasses;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid configurations: what the engine is built from, its description and the effective keys. */
class AssemblyTest {

    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final int DEFAULT_VIRTUAL_THREAD_HEAPS = Math.min(2 * Runtime.getRuntime().availableProcessors(), 1024);

    @TempDir
    Path directory;

    @Test
    void defaultsGiveTheReferenceSettingsAndDescription() {
        Assembly assembly = TestConfs.assemble(write(directory));

        assertEquals(new EngineSettings(4 * MIB, List.of(64 * KIB, 512 * KIB), 1024 * MIB, TimeUnit.SECONDS.toNanos(1),
                256 * MIB, DEFAULT_VIRTUAL_THREAD_HEAPS, true,
                "platform=test-fake size-classes=test-fake(max-size=64 KiB) page-lookup=test-fake"
                        + " purge=test-delayed(delay=10 ms, kind=decommit, background=on) page-selection=test-fake remote-free=per-page segment-size=4 MiB"
                        + " page-sizes=[64 KiB, 512 KiB] arena-size=256 MiB large-cache=1 GiB/1 s"
                        + " virtual-thread-heaps=" + DEFAULT_VIRTUAL_THREAD_HEAPS
                        + " checks=on limit=off leak-detection=off secure=off"),
                assembly.settings());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), assembly.purgePolicy().purgeDelayNanos());
        assertEquals(PurgePolicy.PurgeKind.DECOMMIT, assembly.purgePolicy().purgeKind());
        assertEquals(64 * KIB, largestClass(assembly.sizeClasses()));
    }

    @Test
    void everyKeyOfAFullFileReachesTheSettingsAndTheStrategies() {
        Path file = write(directory,
                "segment-size = 1 MiB",
                "page-sizes = [16 KiB, 128 KiB, 1 MiB]",
                "arena-size = 64 MiB",
                "large { cache-capacity = 0, cache-max-age = 250 ms }",
                "virtual-thread-heaps = 7",
                "size-classes.test-fake.max-size = 32 KiB",
                "purge {",
                "  background = on",
                "  test-delayed { delay = 2 s, kind = reset }",
                "}");

        Assembly assembly = TestConfs.assemble(file);

        assertEquals(new EngineSettings(MIB, List.of(16 * KIB, 128 * KIB, MIB), 0, TimeUnit.MILLISECONDS.toNanos(250),
                64 * MIB, 7, true,
                "platform=test-fake size-classes=test-fake(max-size=32 KiB) page-lookup=test-fake"
                        + " purge=test-delayed(delay=2 s, kind=reset, background=on) page-selection=test-fake remote-free=per-page segment-size=1 MiB"
                        + " page-sizes=[16 KiB, 128 KiB, 1 MiB] arena-size=64 MiB large-cache=0 B/250 ms"
                        + " virtual-thread-heaps=7 checks=on limit=off leak-detection=off secure=off"),
                assembly.settings());
        assertEquals(TimeUnit.SECONDS.toNanos(2), assembly.purgePolicy().purgeDelayNanos());
        assertEquals(PurgePolicy.PurgeKind.RESET, assembly.purgePolicy().purgeKind());
        assertEquals(32 * KIB, largestClass(assembly.sizeClasses()));
        assertEquals(3 * MIB, assembly.pageLookup().segmentOf(3 * MIB + 12345), "the lookup got the segment size");
    }

    @Test
    void effectiveConfigShowsWhereEveryKeyCameFrom() {
        Path file = write(directory, "segment-size = 1 MiB", "purge.test-delayed.kind = reset");

        List<String> lines = TestConfs.assemble(file).effectiveConfig().lines();

        assertContains(String.join("\n", lines),
                "segment-size = 1 MiB  # " + file + ":1",
                "purge.test-delayed.kind = reset  # " + file + ":2",
                "purge.test-delayed.delay = 10 ms  # default",
                "arena-size = 256 MiB  # default",
                "page-sizes = [64 KiB, 512 KiB]  # default",
                "purge.background = on  # default",
                "platform.provider = test-fake  # " + file + ":3");
        assertFalse(lines.stream().anyMatch(line -> line.startsWith("size-classes.jemalloc")),
                "blocks of providers that are not selected are not in use: " + lines);
    }

    @Test
    void applicationConfMergedWithTheReferenceByConfigFactoryLoadIsValid() {
        // ConfigFactory.load() merges every reference.conf, so the blocks of built-in providers that are
        // not on this class path (jemalloc here) arrive with the user's keys: they are not the user's typos.
        Config application = ConfigFactory.parseString("tinyalloc { segment-size = 8 MiB\n"
                        + String.join("\n", TestConfs.FAKE_SELECTION) + " }")
                .withFallback(ConfigFactory.parseResources(AssemblyTest.class, "/reference.conf"))
                .resolve();

        Assembly assembly = Assembler.assemble(application.getConfig("tinyalloc"), TestConfs.fakeCatalog(),
                TestConfs.NO_GEOMETRY_PROBLEMS);

        assertEquals(8 * MIB, assembly.settings().segmentByteSize());
    }

    @Test
    void substitutionsAreResolved() {
        Path file = write(directory, "segment-size = 2 MiB", "arena-size = ${segment-size}");

        assertEquals(2 * MIB, TestConfs.assemble(file).settings().arenaByteSize());
    }

    @Test
    void geometryCheckSeesTheDescribedSettingsAndTheOsPageSize() {
        Path file = write(directory, "segment-size = 2 MiB");
        List<Object> seen = new java.util.ArrayList<>();

        Assembler.assemble(TestConfs.parse(file), TestConfs.fakeCatalog(), (settings, sizeClasses, osPage) -> {
            seen.add(settings.segmentByteSize());
            seen.add(settings.description().isEmpty());
            seen.add(osPage);
            return List.of();
        });

        assertEquals(List.of(2 * MIB, false, FakePlatformProvider.OS_PAGE_BYTE_SIZE), seen);
    }

    @Test
    void largestSizeClassThatDoesNotFitEnoughBlocksInTheLargestPage() {
        Path file = write(directory, "page-sizes = [64 KiB, 512 KiB]", "size-classes.test-fake.max-size = 128 KiB");

        ConfigException.ValidationFailed failure = assertThrows(ConfigException.ValidationFailed.class,
                () -> Assembler.assemble(TestConfs.parse(file), TestConfs.fakeCatalog(), Engine::checkGeometry));

        assertContains(failure.getMessage(), at(file, 2) + "size-classes.test-fake: largest size class: 128 KiB "
                + "(expected: at most 64 KiB, so that 8 blocks fit in the largest page, 512 KiB)");
    }

    @Test
    void defaultsPassTheEngineGeometryCheck() {

        Assembly assembly = Assembler.assemble(TestConfs.parse(write(directory)), TestConfs.fakeCatalog(),
                Engine::checkGeometry);

        assertEquals(4 * MIB, assembly.settings().segmentByteSize());
    }

    private static long largestClass(SizeClasses sizeClasses) {
        return sizeClasses.byteSize(sizeClasses.count() - 1);
    }
}
