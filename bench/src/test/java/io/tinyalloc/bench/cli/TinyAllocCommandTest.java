package io.tinyalloc.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TinyAllocCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = TinyAllocCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void helpDescribesTheDefaultRunTheCommandsAndTheExitCodes() {
        assertEquals(TinyAllocCommand.EXIT_OK, run("--help"));

        String help = out.toString();
        assertTrue(help.startsWith("Usage: tinyalloc [-hV] [COMMAND]"), help);
        assertTrue(help.contains("compares the default tinyalloc.conf with glibc malloc"), help);
        for (String command : new String[] {"compare", "replay", "import-valgrind", "config", "list", "classes", "footprint"}) {
            assertTrue(help.contains("  " + command), command + " in " + help);
        }
        assertTrue(!help.contains("launch-file"), "the script's command is hidden");
        assertTrue(help.contains("2   invalid arguments"), help);
        assertEquals("", err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"compare", "replay", "import-valgrind", "config", "list", "classes", "footprint"}) {
            assertEquals(TinyAllocCommand.EXIT_OK, run(command, "--help"), command);
            assertTrue(out.toString().contains("Usage: tinyalloc " + command), command);
        }
        assertTrue(out.toString().contains("95% confidence interval"), "no format errors in the descriptions");
    }

    @Test
    void unknownOptionIsAUsageErrorThatNamesIt() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("--no-such-option"));
        assertTrue(err.toString().startsWith("Unknown option: '--no-such-option'"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void compareNeedsTwoCombinations() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("compare", "tinyalloc"));
        assertTrue(err.toString().contains("requires at least 2 values"), err.toString());
    }

    @Test
    void missingConfigurationFileIsAUsageErrorThatNamesIt() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("compare", "tinyalloc", "no-such.conf"));
        assertTrue(err.toString().startsWith("compare: no-such.conf: no such file"), err.toString());
        assertTrue(err.toString().contains("baseline:glibc"), "lists the baselines: " + err);
        assertEquals("", out.toString());
    }

    @Test
    void unknownBaselineListsTheKnownOnes() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("compare", "tinyalloc", "baseline:nope"));
        assertTrue(err.toString().contains("unknown baseline: baseline:nope (expected one of: baseline:glibc"), err.toString());
    }

    @Test
    void unknownWorkloadListsTheKnownOnes() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("compare", "tinyalloc", "baseline:glibc", "-w", "nope"));
        assertTrue(err.toString().contains("unknown workload: nope (expected one of: batch-64"), err.toString());
    }

    @Test
    void unknownTraceIsAUsageError() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("compare", "tinyalloc", "baseline:glibc", "-w", "trace:nope"));
        assertTrue(err.toString().contains("nope"), err.toString());
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("replay", "no-such-trace"));
    }

    @Test
    void aMalformedTraceFailsBeforeAnyForkWithItsLineNumber(@TempDir Path directory) throws IOException {
        Path log = Files.writeString(directory.resolve("bad.vg"),
                "--1-- malloc(16) = 0x1000\n--1-- malloc(oops) = 0x2000\n");

        assertEquals(TinyAllocCommand.EXIT_FAILED, run("replay", log.toString()));

        assertTrue(err.toString().contains("bad.vg:2"), err.toString());
    }

    @Test
    void importOfAMalformedLogFailsWithItsLineNumberAndWritesNothing(@TempDir Path directory) throws IOException {
        Path log = Files.writeString(directory.resolve("bad.vg"), "--1-- free(0x1000)\n--1-- realloc(zz\n");
        Path out = directory.resolve("out.trace");

        assertEquals(TinyAllocCommand.EXIT_FAILED, run("import-valgrind", log.toString(), out.toString()));

        assertTrue(err.toString().contains("bad.vg:2"), err.toString());
        assertTrue(Files.notExists(out), "a failed import left " + out);
    }

    @Test
    void classesReportsEveryClassOfTheConfiguredTableAndASummary(@TempDir Path directory) throws IOException {
        assertEquals(TinyAllocCommand.EXIT_OK, run("classes"), err.toString());
        String report = out.toString();
        assertTrue(report.contains("size-classes=jemalloc"), report);
        assertTrue(report.matches("(?s).*\\n *44 +65536 +512\\.0 KiB +8 +0 +100\\.00%.*"), report);
        assertTrue(report.contains("perfect fits: ") && report.contains("worst: ") && report.contains("average utilization: "),
                report);

        Path conf = Files.writeString(directory.resolve("mimalloc.conf"), "size-classes.provider = mimalloc\n");
        assertEquals(TinyAllocCommand.EXIT_OK, run("classes", conf.toString()), err.toString());
        assertTrue(out.toString().contains("size-classes=mimalloc"), out.toString());

        assertEquals(TinyAllocCommand.EXIT_USAGE, run("classes", directory.resolve("none.conf").toString()));
    }

    @Test
    void forksOutOfRangeIsAUsageError() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("compare", "tinyalloc", "baseline:glibc", "--forks", "0"));
        assertTrue(err.toString().contains("--forks 0 (expected: 1 to 100)"), err.toString());
    }

    @Test
    void invalidConfigurationFailsAsTheConfigModuleReportsIt(@TempDir Path directory) throws IOException {
        Path conf = Files.writeString(directory.resolve("bad.conf"), "segment-size = 3 MiB\n");

        assertEquals(TinyAllocCommand.EXIT_FAILED, run("compare", "tinyalloc", conf.toString()));

        assertTrue(err.toString().contains("bad.conf:1: segment-size: 3 MiB (expected: a power of two"), err.toString());
        assertEquals(TinyAllocCommand.EXIT_FAILED, run("config", conf.toString()));
    }

    @Test
    void configShowsEachKeyWithItsOriginAndTheCombination(@TempDir Path directory) throws IOException {
        Path conf = Files.writeString(directory.resolve("a.conf"), "# mine\npurge.delayed.delay = 50 ms\n");

        assertEquals(TinyAllocCommand.EXIT_OK, run("config", conf.toString()), err.toString());

        String config = out.toString();
        assertTrue(config.contains("combination: platform=linux size-classes=jemalloc"), config);
        assertTrue(config.contains("purge.delayed.delay = 50 ms  # " + conf.toAbsolutePath() + ":2"), config);
        assertTrue(config.matches("(?s).*segment-size = 4 MiB  # default \\(reference\\.conf:\\d+\\).*"), config);
        assertTrue(config.contains("size-classes.jemalloc.max-size"), config);
        assertTrue(!config.contains("size-classes.mimalloc"), "a strategy that is not selected: " + config);
    }

    @Test
    void configWithoutAFileShowsTheDefaults() {
        assertEquals(TinyAllocCommand.EXIT_OK, run("config"), err.toString());
        assertTrue(out.toString().contains("configuration: none (the defaults)"), out.toString());
        assertTrue(out.toString().contains("arena-size = 256 MiB  # default"), out.toString());
    }

    @Test
    void importOfAMissingLogIsAUsageError() {
        assertEquals(TinyAllocCommand.EXIT_USAGE, run("import-valgrind", "no-such.vg.gz", "out.trace"));
        assertTrue(err.toString().contains("no-such.vg.gz: no such file"), err.toString());
    }

    @Test
    void versionComesFromTheBuild() {
        assertEquals(TinyAllocCommand.EXIT_OK, run("--version"));
        assertTrue(out.toString().matches("tinyalloc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), out.toString());
    }

    @Test
    void listNamesWorkloadsAndAllocators() {
        assertEquals(TinyAllocCommand.EXIT_OK, run("list"));

        String list = out.toString();
        for (String name : new String[] {"batch-64", "batch-mixed", "trace:gcc", "trace:jq", "tinyalloc:FILE", "baseline:glibc"}) {
            assertTrue(list.contains(name), name + " in " + list);
        }
    }

    @Test
    void launchFileNamesJavaAndTheClassPath(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("launch");

        assertEquals(TinyAllocCommand.EXIT_OK, run("launch-file", file.toString()));

        String launch = Files.readString(file);
        assertTrue(launch.startsWith("java=/"), launch);
        assertTrue(launch.contains("\nclasspath=" + System.getProperty("java.class.path") + "\n"), launch);
        assertEquals(java.util.List.of("-Xss1m", "-Dx=y"),
                LaunchFileCommand.jvmOptions(new String[] {"-Xss1m", "-Dx=y", "-classpath", "a.jar", "Main", "arg"}));
    }
}
