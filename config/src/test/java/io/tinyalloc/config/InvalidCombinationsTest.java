package io.tinyalloc.config;

import static io.tinyalloc.config.TestConfs.assertContains;
import static io.tinyalloc.config.TestConfs.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.core.Engine;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.SizeClassesProvider;
import io.tinyalloc.spi.StrategyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strategies and geometry that do not fit together, written in a {@code tinyalloc.conf} and
 * given to {@link TinyAlloc#create(Path)} with the real providers: each is refused by validation,
 * before any engine exists, with a problem that names the key path, where it was set, the value
 * and what is allowed. None is left for the engine to find at run time.
 *
 * <p>That nothing was mapped is shown on the same configurations through the configuration
 * module's own path ({@link Assembler}, as {@code TinyAlloc} runs it) with the Linux platform
 * wrapped in one that counts its calls: a refused configuration never reserves or commits
 * memory, while the same wrapper under a valid configuration does. (A strategy that mapped
 * memory by itself, not through the platform, would not be seen; none of the built-in ones does.)
 */
class InvalidCombinationsTest {

    /** The name of the counting platform; selecting it keeps the real one out of the way. */
    private static final String COUNTING_PLATFORM = "counting-linux";

    @TempDir
    Path directory;

    @BeforeEach
    void onLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).equals("linux"), "the engine maps memory here");
    }

    /**
     * One invalid combination.
     *
     * @param what what does not fit
     * @param lines the configuration, line 1 first
     * @param problemLine the line the problem is reported at, or 0 when it is reported where the
     *        default was set ({@code reference.conf}): a problem with a table whose block the
     *        file does not write is reported at that block
     * @param problem the problem as reported: key path, value, and what is allowed
     */
    record Misfit(String what, List<String> lines, int problemLine, String problem) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Misfit> misfits() {
        return Stream.of(
                new Misfit("tinyalloc32 in a 64 KiB segment: its largest class does not fit a 32 KiB page 8 times",
                        List.of("segment-size = 64 KiB",
                                "page-sizes = [4 KiB, 32 KiB]",
                                "size-classes.provider = tinyalloc32"),
                        0, "size-classes.tinyalloc32: largest size class: 50192 B (expected: at most 4 KiB, "
                                + "so that 8 blocks fit in the largest page, 32 KiB)"),
                new Misfit("tinyalloc32 with 128 KiB pages at most",
                        List.of("page-sizes = [64 KiB, 128 KiB]",
                                "size-classes.provider = tinyalloc32"),
                        0, "size-classes.tinyalloc32: largest size class: 50192 B (expected: at most 16 KiB, "
                                + "so that 8 blocks fit in the largest page, 128 KiB)"),
                new Misfit("custom sizes above an eighth of the segment",
                        List.of("segment-size = 64 KiB",
                                "page-sizes = [4 KiB, 32 KiB]",
                                "size-classes { provider = custom, custom.sizes = [8, 16, 16 KiB] }"),
                        3, "size-classes.custom.sizes: 16 KiB, at index 2 (expected: at most 8 KiB, so that 8 blocks "
                                + "fit in a page, which is at most the segment size, 64 KiB)"),
                new Misfit("custom sizes that the largest page does not hold 8 times",
                        List.of("size-classes {",
                                "  provider = custom",
                                "  custom { sizes = [8, 16, 128 KiB] }",
                                "}"),
                        3, "size-classes.custom: largest size class: 128 KiB (expected: at most 64 KiB, "
                                + "so that 8 blocks fit in the largest page, 512 KiB)"),
                new Misfit("custom sizes that are not aligned",
                        List.of("size-classes { provider = custom, custom.sizes = [8, 16, 40] }"),
                        1, "size-classes.custom.sizes: 40, at index 2 (expected: a multiple of 16, or 8 as the first size"),
                new Misfit("jemalloc's largest class above an eighth of the largest page",
                        List.of("size-classes.jemalloc.max-size = 128 KiB"),
                        1, "size-classes.jemalloc: largest size class: 128 KiB (expected: at most 64 KiB, "
                                + "so that 8 blocks fit in the largest page, 512 KiB)"),
                new Misfit("a page larger than the segment",
                        List.of("segment-size = 1 MiB",
                                "page-sizes = [64 KiB, 2 MiB]",
                                "arena-size = 16 MiB"),
                        2, "page-sizes[1]: 2 MiB (expected: at most segment-size, 1 MiB)"),
                new Misfit("a segment with no room for a page after its header",
                        List.of("segment-size = 64 KiB",
                                "page-sizes = [64 KiB]",
                                "size-classes.jemalloc.max-size = 4 KiB"),
                        2, "page-sizes: 64 KiB (expected: a size for which the 64 KiB segment has room for pages after its header)"),
                new Misfit("radix given a setting: it has none",
                        List.of("page-lookup {",
                                "  provider = radix",
                                "  radix { levels = 3 }",
                                "}"),
                        3, "page-lookup.radix.levels: 3 (unknown key; this block has no keys)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misfits")
    void tinyAllocRefusesTheCombinationNamingTheKeyAndWhatIsAllowed(Misfit misfit) {
        Path file = TestConfs.writeRaw(directory, misfit.lines().toArray(String[]::new));

        ConfigException.ValidationFailed refused = assertThrows(ConfigException.ValidationFailed.class,
                () -> TinyAlloc.create(file).close(), misfit.what());

        String message = refused.getMessage();
        assertContains(message, "invalid tinyalloc configuration, 1 problem:");
        if (misfit.problemLine() == 0) {
            assertTrue(Pattern.compile("\n  reference\\.conf:\\d+: " + Pattern.quote(misfit.problem())).matcher(message).find(),
                    "expected the problem at the default's line of reference.conf\n  " + misfit.problem()
                            + "\nbut the message was\n" + message);
        } else {
            assertContains(message, "\n  " + at(file, misfit.problemLine()) + misfit.problem());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misfits")
    void aRefusedCombinationMapsNothing(Misfit misfit) {
        CountingPlatformProvider platform = new CountingPlatformProvider();
        Path file = TestConfs.writeRaw(directory, withCountingPlatform(misfit.lines()));

        String message = assertThrows(ConfigException.ValidationFailed.class, () -> assemble(file, platform),
                misfit.what()).getMessage();

        assertContains(message, "invalid tinyalloc configuration, 1 problem:", misfit.problem());
        assertEquals(0, platform.mappings.get(), misfit.what() + ": reserve or commit calls before the refusal");
    }

    @Test
    void theCountingPlatformSeesTheMappingsOfAValidCombination() {
        CountingPlatformProvider platform = new CountingPlatformProvider();
        Path file = TestConfs.writeRaw(directory, withCountingPlatform(List.of(
                "segment-size = 64 KiB", "page-sizes = [4 KiB, 32 KiB]", "size-classes.jemalloc.max-size = 4 KiB")));

        Assembly assembly = assemble(file, platform);
        try (Allocator allocator = Engine.create(assembly.settings(), assembly.platform(), assembly.sizeClasses(),
                assembly.pageLookup(), assembly.purgePolicy())) {
            allocator.free(allocator.allocate(100));
        }

        assertTrue(platform.mappings.get() > 0, "a valid combination allocated without reserving or committing");
    }

    @Test
    void everyProblemOfAConfigurationIsReportedAtOnce() {
        Path file = TestConfs.writeRaw(directory,
                "segment-size = 64 KiB",
                "page-sizes = [4 KiB, 32 KiB]",
                "size-classes.provider = tinyalloc32",
                "page-lookup { provider = radix, radix.levels = 3 }");

        String message = assertThrows(ConfigException.ValidationFailed.class, () -> TinyAlloc.create(file).close())
                .getMessage();

        assertContains(message, "invalid tinyalloc configuration, 2 problems",
                "size-classes.tinyalloc32: largest size class: 50192 B (expected: at most 4 KiB",
                at(file, 4) + "page-lookup.radix.levels: 3 (unknown key; this block has no keys)");
    }

    private static String[] withCountingPlatform(List<String> lines) {
        List<String> all = new ArrayList<>(lines);
        all.add("platform.provider = " + COUNTING_PLATFORM);
        return all.toArray(String[]::new);
    }

    /** Validates through the configuration module's path, with the real strategies and the counting platform. */
    private static Assembly assemble(Path file, CountingPlatformProvider platform) {
        List<StrategyProvider> providers = new ArrayList<>();
        providers.add(platform);
        Stream.of(SizeClassesProvider.class, PageLookupProvider.class, PurgePolicyProvider.class,
                        PageSelectionProvider.class, io.tinyalloc.spi.RemoteFreeProvider.class)
                .forEach(kind -> ServiceLoader.load(kind).stream().map(ServiceLoader.Provider::get).forEach(providers::add));
        Config config = TestConfs.parse(file);
        return Assembler.assemble(config, ProviderCatalog.of(providers), Engine::checkGeometry);
    }

    /** The Linux platform, counting the calls that map memory: {@code reserve} and {@code commit}. */
    private static final class CountingPlatformProvider implements PlatformMemoryProvider {
        final AtomicInteger mappings = new AtomicInteger();
        private final PlatformMemoryProvider linux = ServiceLoader.load(PlatformMemoryProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("linux"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no linux platform on the test class path"));

        @Override
        public String name() {
            return COUNTING_PLATFORM;
        }

        @Override
        public boolean isSupported() {
            return linux.isSupported();
        }

        @Override
        public PlatformMemory create(Config settings) {
            PlatformMemory memory = linux.create(linux.defaults());
            return new PlatformMemory() {
                @Override
                public long pageByteSize() {
                    return memory.pageByteSize();
                }

                @Override
                public long reserve(long byteSize, long byteAlignment) {
                    mappings.incrementAndGet();
                    return memory.reserve(byteSize, byteAlignment);
                }

                @Override
                public void commit(long address, long byteSize) {
                    mappings.incrementAndGet();
                    memory.commit(address, byteSize);
                }

                @Override
                public void decommit(long address, long byteSize) {
                    memory.decommit(address, byteSize);
                }

                @Override
                public void reset(long address, long byteSize) {
                    memory.reset(address, byteSize);
                }

                @Override
                public void release(long address, long byteSize) {
                    memory.release(address, byteSize);
                }

                @Override
                public void protect(long address, long byteSize, Protection protection) {
                    memory.protect(address, byteSize, protection);
                }
            };
        }
    }
}
