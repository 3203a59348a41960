package io.tinyalloc.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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
    void helpDescribesTheDefaultRunAndTheExitCodes() {
        assertEquals(TinyAllocCommand.EXIT_OK, run("--help"));

        String help = out.toString();
        assertTrue(help.startsWith("Usage: tinyalloc [-hV] [COMMAND]"), help);
        assertTrue(help.contains("compares the default tinyalloc.conf with glibc malloc"), help);
        assertTrue(help.contains("list"), help);
        assertTrue(help.contains("2   invalid arguments"), help);
        assertEquals("", err.toString());
    }

    @Test
    void unknownOptionIsAUsageErrorThatNamesIt() {
        int status = run("--no-such-option");

        assertEquals(CommandLine.ExitCode.USAGE, status);
        assertTrue(err.toString().startsWith("Unknown option: '--no-such-option'"), err.toString());
        assertTrue(err.toString().contains("Usage: tinyalloc"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(CommandLine.ExitCode.USAGE, run("frobnicate"));
        assertTrue(err.toString().contains("'frobnicate'"), err.toString());
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
}
