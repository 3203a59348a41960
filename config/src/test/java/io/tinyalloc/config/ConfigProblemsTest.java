package io.tinyalloc.config;

import static io.tinyalloc.config.TestConfs.at;
import static io.tinyalloc.config.TestConfs.problemsOf;
import static io.tinyalloc.config.TestConfs.write;
import static io.tinyalloc.config.TestConfs.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per kind of bad configuration. Each asserts the whole line of the problem: the file
 * and line, the key path, the offending value and what was expected.
 */
class ConfigProblemsTest {

    @TempDir
    Path directory;

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        Path file = write(directory, "segmnet-size = 4 MiB");

        assertContains(problemsOf(file), at(file, 1) + "segmnet-size: 4 MiB (unknown key; did you mean `segment-size`?)");
    }

    @Test
    void wholeApplicationConfigSaysToPassTheTinyallocBlock() {
        Path file = write(directory, "tinyalloc { segment-size = 4 MiB }");

        assertContains(problemsOf(file), at(file, 1) + "tinyalloc: {...} (unknown key; expected one of: ",
                "; tinyalloc's keys go at the root: pass the block, TinyAlloc.create(config.getConfig(\"tinyalloc\")))");
    }

    @Test
    void unknownKeyFarFromAnyKnownKeyListsTheKnownKeys() {
        Path file = write(directory, "large { cache-capacity = 1 MiB, colour = blue }");

        assertContains(problemsOf(file), at(file, 1) + "large.colour: blue (unknown key; expected one of: cache-capacity, cache-max-age)");
    }

    @Test
    void unknownKeyInAProviderBlockSuggestsAKeyOfItsDefaults() {
        Path file = write(directory, "purge.test-delayed { dela = 5 ms }");

        assertContains(problemsOf(file), at(file, 1) + "purge.test-delayed.dela: 5 ms (unknown key; did you mean `delay`?)");
    }

    @Test
    void unknownKeyInTheBlockOfAProviderThatIsNotSelectedIsReportedToo() {
        Path file = write(directory, "page-lookup.test-fake.anything = 1");

        assertContains(problemsOf(file), at(file, 1) + "page-lookup.test-fake.anything: 1 (unknown key; this block has no keys)");
    }

    @Test
    void blockNamedAfterAMissingBuiltInProviderIsUnknownAndNamesItsArtifact() {
        Path file = write(directory, "size-classes.mimalloc { max-size = 32 KiB }");

        assertContains(problemsOf(file), at(file, 1) + "size-classes.mimalloc: {...} (unknown key; "
                + "expected one of: provider, test-fake; `mimalloc` is a built-in size-classes provider not found here: "
                + "it is in io.tinyalloc:tinyalloc-strategies");
    }

    @Test
    void wrongTypesNameTheValueAndTheExpectedType() {
        Path file = write(directory,
                "segment-size = lots",
                "virtual-thread-heaps = many",
                "purge.background = maybe",
                "large.cache-max-age = [1, 2]",
                "page-sizes = 64 KiB");

        assertContains(problemsOf(file), 
                at(file, 1) + "segment-size: lots (expected: a power of two between 64 KiB and 64 MiB)",
                at(file, 2) + "virtual-thread-heaps: many (expected: auto (2 per processor) or an integer from 1 to 1024)",
                at(file, 3) + "purge.background: maybe (expected: on or off)",
                at(file, 4) + "large.cache-max-age: [1, 2] (expected: a duration more than 0 and at most 1 h)",
                at(file, 5) + "page-sizes: 64 KiB (expected: a list of 1 to 4 ascending powers of two, such as [64 KiB, 512 KiB])");
    }

    @Test
    void segmentSizeThatIsNotAPowerOfTwo() {
        Path file = write(directory, "segment-size = 3 MiB");

        assertContains(problemsOf(file), at(file, 1) + "segment-size: 3 MiB (expected: a power of two between 64 KiB and 64 MiB)");
    }

    @Test
    void segmentSizeOutOfRange() {
        Path file = write(directory, "segment-size = 128 MiB");

        assertContains(problemsOf(file), at(file, 1) + "segment-size: 128 MiB (expected: a power of two between 64 KiB and 64 MiB)");
    }

    @Test
    void pageBiggerThanTheSegment() {
        Path file = write(directory, "segment-size = 1 MiB", "page-sizes = [64 KiB, 2 MiB]", "arena-size = 16 MiB");

        assertContains(problemsOf(file), at(file, 2) + "page-sizes[1]: 2 MiB (expected: at most segment-size, 1 MiB)");
    }

    @Test
    void defaultPageBiggerThanTheSegmentIsReportedAtTheReferenceConf() {
        Path file = write(directory, "segment-size = 256 KiB");

        String message = problemsOf(file);

        assertTrue(Pattern.compile("\n  reference\\.conf:\\d+: page-sizes\\[1]: 512 KiB "
                + "\\(expected: at most segment-size, 256 KiB\\)").matcher(message).find(), message);
    }

    @Test
    void pageSizesNotAscending() {
        Path file = write(directory, "page-sizes = [", "  512 KiB", "  64 KiB", "]");

        assertContains(problemsOf(file), at(file, 3) + "page-sizes[1]: 64 KiB (expected: more than page-sizes[0], 512 KiB: page sizes ascend)");
    }

    @Test
    void pageSmallerThanTheOsPage() {
        Path file = write(directory, "page-sizes = [1 KiB]");

        assertContains(problemsOf(file), at(file, 1) + "page-sizes[0]: 1 KiB (expected: at least the OS page size, 4 KiB)");
    }

    @Test
    void tooManyPageSizes() {
        Path file = write(directory, "page-sizes = [64 KiB, 128 KiB, 256 KiB, 512 KiB, 1 MiB]");

        assertContains(problemsOf(file), at(file, 1) + "page-sizes: [64 KiB, 128 KiB, 256 KiB, 512 KiB, 1 MiB] "
                + "(expected: a list of 1 to 4 ascending powers of two");
    }

    @Test
    void arenaSizeThatIsNotAMultipleOfTheSegmentSize() {
        Path file = write(directory, "arena-size = 10 MiB");

        assertContains(problemsOf(file), at(file, 1) + "arena-size: 10 MiB (expected: a multiple of segment-size, 4 MiB)");
    }

    @Test
    void arenaSizeOutOfRange() {
        Path file = write(directory, "arena-size = 128 GiB");

        assertContains(problemsOf(file), at(file, 1) + "arena-size: 128 GiB (expected: a multiple of segment-size, at most 64 GiB)");
    }

    @Test
    void largeCacheOutOfRange() {
        Path file = write(directory, "large {", "  cache-capacity = -1", "  cache-max-age = 2 h", "}");

        assertContains(problemsOf(file), 
                at(file, 2) + "large.cache-capacity: -1 (expected: a memory size, 0 or more (0 disables the cache))",
                at(file, 3) + "large.cache-max-age: 2 h (expected: a duration more than 0 and at most 1 h)");
    }

    @Test
    void virtualThreadHeapsOutOfRange() {
        Path file = write(directory, "virtual-thread-heaps = 0");

        assertContains(problemsOf(file), at(file, 1) + "virtual-thread-heaps: 0 (expected: auto (2 per processor) or an integer from 1 to 1024)");
    }

    @Test
    void badPurgeDelayIsReportedUnderTheProviderBlock() {
        Path file = write(directory, "purge.test-delayed.delay = -5 ms");

        assertContains(problemsOf(file), at(file, 1) + "purge.test-delayed.delay: -5 ms (expected: a duration, 0 or more)");
    }

    @Test
    void purgeDelayThatIsNotADurationIsReportedUnderTheProviderBlock() {
        Path file = write(directory, "purge.test-delayed.delay = soon");

        assertContains(problemsOf(file), at(file, 1) + "purge.test-delayed.delay: ", "soon");
    }

    @Test
    void badPurgeKindIsReportedUnderTheProviderBlock() {
        Path file = write(directory, "purge.test-delayed { kind = sometimes }");

        assertContains(problemsOf(file), at(file, 1) + "purge.test-delayed.kind: sometimes (expected: decommit or reset)");
    }

    @Test
    void blockThatIsNotABlock() {
        Path file = write(directory, "large = 5");

        assertContains(problemsOf(file), at(file, 1) + "large: 5 (expected: a block such as { cache-capacity = 1 GiB, cache-max-age = 1 s })");
    }

    @Test
    void providerNameThatIsNotAString() {
        Path file = TestConfs.writeRaw(directory,
                "page-lookup.provider = [test-fake]",
                "platform.provider = test-fake",
                "size-classes.provider = test-fake",
                "purge.provider = test-delayed");

        assertContains(problemsOf(file), at(file, 1)
                + "page-lookup.provider: [test-fake] (expected: the name of a page-lookup provider, one of: test-fake, masking, radix)");
    }

    @Test
    void everyProblemIsReportedTogetherInOneException() {
        Path file = write(directory,
                "segment-size = 3 MiB",
                "arena-size = 10 MiB",
                "purge.test-delayed.kind = sometimes",
                "virtual-thread-heaps = 0",
                "segmnet-size = 4 MiB");

        ConfigException.ValidationFailed failure = TestConfs.failureOf(file);

        assertTrue(failure.getMessage().startsWith("invalid tinyalloc configuration, 4 problems:\n  "), failure.getMessage());
        assertContains(failure.getMessage(),
                at(file, 1) + "segment-size: 3 MiB",
                at(file, 3) + "purge.test-delayed.kind: sometimes",
                at(file, 4) + "virtual-thread-heaps: 0",
                at(file, 5) + "segmnet-size: 4 MiB");
        List<ConfigException.ValidationProblem> problems = new ArrayList<>();
        failure.problems().forEach(problems::add);
        assertEquals(List.of("segment-size", "purge.test-delayed.kind", "virtual-thread-heaps", "segmnet-size"),
                problems.stream().map(ConfigException.ValidationProblem::path).toList());
        assertTrue(problems.stream().allMatch(problem -> file.toString().equals(problem.origin().filename())));
    }

    @Test
    void geometryProblemOfTheEngineAboutAKeyIsReportedAtThatKey() {
        Path file = write(directory, "segment-size = 4 MiB", "page-sizes = [64 KiB, 256 KiB]");

        String message = geometryFailureOf(file, "page-sizes: 256 KiB (expected: a size the engine likes)");

        assertContains(message, at(file, 2) + "page-sizes: 256 KiB (expected: a size the engine likes)");
    }

    @Test
    void geometryProblemOfTheEngineAboutTheSizeClassesIsReportedAtTheirProvider() {
        Path file = write(directory, "size-classes.test-fake {", "  max-size = 128 KiB", "}");

        String message = geometryFailureOf(file, "largest size class: 128 KiB (expected: at most 64 KiB)");

        assertContains(message, at(file, 1) + "size-classes.test-fake: largest size class: 128 KiB (expected: at most 64 KiB)");
    }

    private static String geometryFailureOf(Path file, String engineMessage) {
        return assertThrows(ConfigException.ValidationFailed.class, () -> Assembler.assemble(TestConfs.parse(file),
                TestConfs.fakeCatalog(), TestConfs.geometryReporting(engineMessage))).getMessage();
    }
}
