package io.tinyalloc.config;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Whatever is written for any key, the only failures are the documented ones: a
 * {@link ConfigException} for the file, an {@link IllegalStateException} for a strategy that
 * cannot be found or used. Never a {@link NullPointerException}, {@link ClassCastException},
 * {@link NumberFormatException} or {@link ArithmeticException}. QuickTheories prints the seed of
 * a failing run.
 */
class GarbageConfigTest {

    private static final int EXAMPLES = 300;

    /** Every key tinyalloc reads, the blocks that hold them, and a few it does not. */
    private static final List<String> KEYS = List.of(
            "segment-size", "page-sizes", "arena-size", "large", "large.cache-capacity", "large.cache-max-age",
            "virtual-thread-heaps", "platform", "platform.provider", "platform.linux", "platform.test-fake",
            "size-classes", "size-classes.provider", "size-classes.test-fake", "size-classes.test-fake.max-size",
            "size-classes.jemalloc", "size-classes.jemalloc.max-size", "size-classes.mimalloc.max-size",
            "page-lookup", "page-lookup.provider", "page-lookup.masking", "purge", "purge.provider", "purge.background",
            "purge.test-delayed", "purge.test-delayed.delay", "purge.test-delayed.kind", "purge.delayed.delay",
            "purge.delayed.kind", "purge.immediate.kind", "purge.none", "tinyalloc", "segment-size.x", "\"a.b\"");

    /** Values chosen to sit on edges: units, overflows, the other types, nothing. */
    private static final List<String> TRICKY_VALUES = List.of(
            "auto", "\"\"", "null", "on", "off", "true", "0", "-1", "1", "3", "64 KiB", "4 MiB", "3 MiB", "-4 MiB",
            "64 GiB", "1 TiB", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
            "\"1e400 KiB\"", "\"NaN s\"", "\"Infinity\"", "1e300", "-0.5", "1.5 KiB", "10 ms", "-5 ms", "2 h",
            "\"1e300 d\"", "decommit", "reset", "jemalloc", "mimalloc", "masking", "delayed", "none", "linux",
            "test-fake", "test-delayed", "test-duplicate", "test-unsupported", "[]", "[64 KiB]",
            "[64 KiB, 512 KiB]", "[512 KiB, 64 KiB]", "[1, 2, 3, 4, 5]", "[[1]]", "[null]", "{}", "{ a = 1 }",
            "{ provider = test-fake }", "{ max-size = 1 }", "{ delay = {} }");

    @Test
    void garbageWithTheFakesGivesOnlyDocumentedFailures() {
        qt().withExamples(EXAMPLES).forAll(confs()).checkAssert(conf -> assembleWith(conf, TestConfs.fakeCatalog(),
                String.join("\n", TestConfs.FAKE_SELECTION)));
    }

    @Test
    void garbageWithTheDiscoveredProvidersGivesOnlyDocumentedFailures() {
        ProviderCatalog discovered = ProviderCatalog.discover();
        qt().withExamples(EXAMPLES).forAll(confs()).checkAssert(conf -> assembleWith(conf, discovered, ""));
    }

    /** A file of one to five lines, each a key and a value. */
    private static Gen<String> confs() {
        Gen<String> line = Generate.pick(KEYS).zip(values(), (key, value) -> key + " = " + value);
        return lists().of(line).ofSizeBetween(1, 5).map(lines -> String.join("\n", lines));
    }

    private static Gen<String> values() {
        Gen<String> tricky = Generate.pick(TRICKY_VALUES);
        Gen<String> numbers = longs().all().map((Long number) -> String.valueOf(number));
        Gen<String> units = Generate.pick(List.of("B", "KiB", "MiB", "GiB", "TiB", "ms", "s", "h", "x"));
        Gen<String> sizes = integers().between(-3, 1 << 20).zip(units, (amount, unit) -> amount + " " + unit);
        Gen<String> text = strings().basicLatinAlphabet().ofLengthBetween(0, 12).map(string -> ConfigUtil.quoteString(string));
        Gen<String> list = lists().of(Generate.oneOf(tricky, sizes)).ofSizeBetween(0, 5)
                .map(elements -> elements.stream().collect(Collectors.joining(", ", "[", "]")));
        return Generate.oneOf(tricky, tricky, numbers, sizes, sizes, text, list);
    }

    private static void assembleWith(String conf, ProviderCatalog catalog, String selection) {
        try {
            // The selection first, so that the garbage may override it.
            Assembler.assemble(ConfigFactory.parseString(selection + "\n" + conf), catalog,
                    TestConfs.NO_GEOMETRY_PROBLEMS);
        } catch (ConfigException | IllegalStateException documented) {
            // the failures the API promises
        } catch (RuntimeException undocumented) {
            fail("undocumented " + undocumented + " for\n" + conf, undocumented);
        }
    }
}
