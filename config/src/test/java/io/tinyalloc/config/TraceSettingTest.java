package io.tinyalloc.config;

import static io.tinyalloc.config.TestConfs.assertContains;
import static io.tinyalloc.config.TestConfs.at;
import static io.tinyalloc.config.TestConfs.problemsOf;
import static io.tinyalloc.config.TestConfs.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import io.tinyalloc.TracingAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trace.file}: off by default, on with a file, and what a bad value says. */
class TraceSettingTest {

    private static final byte[] TRACE_MAGIC = {(byte) 0x89, 'T', 'A', 'T', 'R', 'A', 'C', 'E'};

    @TempDir
    Path directory;

    @Test
    void offByDefault() {
        assertEquals(Optional.empty(), TestConfs.assemble(write(directory)).traceFile());
    }

    @Test
    void offWhenEmpty() {
        assertEquals(Optional.empty(), TestConfs.assemble(write(directory, "trace.file = \"\"")).traceFile());
    }

    @Test
    void onWithAFile() {
        Path trace = directory.resolve("app.trace");

        Assembly assembly = TestConfs.assemble(write(directory, "trace { file = \"" + trace + "\" }"));

        assertEquals(Optional.of(trace), assembly.traceFile());
        assertContains(String.join("\n", assembly.effectiveConfig().lines()), "trace.file = " + trace + "  # ");
    }

    @Test
    void theAllocatorOfAConfigurationThatTracesRecordsItsCalls() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).equals("linux"), "auto takes linux here");
        Path trace = directory.resolve("app.trace");
        Path conf = TestConfs.writeRaw(directory, "trace.file = \"" + trace + "\"");

        try (Allocator allocator = TinyAlloc.create(conf)) {
            assertInstanceOf(TracingAllocator.class, allocator);
            allocator.free(allocator.allocate(64));
        }

        byte[] written = Files.readAllBytes(trace);
        assertArrayEquals(TRACE_MAGIC, Arrays.copyOf(written, TRACE_MAGIC.length));
        assertEquals(7, written[written.length - 2], "the end record, after close");
        assertEquals(2, written[written.length - 1], "counting the allocation and the free");
    }

    @Test
    void anAllocatorWithoutTraceIsNotWrapped() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).equals("linux"), "auto takes linux here");
        try (Allocator allocator = TinyAlloc.create(TestConfs.writeRaw(directory))) {
            assertFalse(allocator instanceof TracingAllocator);
        }
    }

    @Test
    void aFileInAFolderThatDoesNotExist() {
        Path trace = directory.resolve("no-such-folder").resolve("app.trace");
        Path file = write(directory, "trace.file = \"" + trace + "\"");

        assertContains(problemsOf(file), at(file, 1) + "trace.file: " + trace + " (expected: a file in an existing folder; "
                + trace.getParent() + " is not one)");
    }

    @Test
    void aFolderIsNotAFile() {
        Path file = write(directory, "trace.file = \"" + directory + "\"");

        assertContains(problemsOf(file), at(file, 1) + "trace.file: " + directory + " (expected: a file, not a folder");
    }

    @Test
    void aNumberIsNotAPath() {
        Path file = write(directory, "trace.file = [1, 2]");

        assertContains(problemsOf(file), at(file, 1) + "trace.file: [1, 2] (expected: \"\" for no tracing,"
                + " or the path of a file in an existing folder)");
    }

    @Test
    void traceIsABlock() {
        Path file = write(directory, "trace = yes");

        assertContains(problemsOf(file), at(file, 1) + "trace: yes (expected: a block such as { file = \"app.trace\" })");
    }

    @Test
    void unknownKeyInTheTraceBlock() {
        Path file = write(directory, "trace.fiel = x.trace");

        assertContains(problemsOf(file), at(file, 1) + "trace.fiel: x.trace (unknown key; did you mean `file`?)");
    }
}
