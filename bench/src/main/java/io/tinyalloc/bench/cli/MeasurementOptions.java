package io.tinyalloc.bench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that measures: how long, and where the reports go. */
final class MeasurementOptions {

    @Option(names = "--forks", paramLabel = "N",
            description = "forks per combination and workload (default: " + Settings.DEFAULT_FORKS + "; with --quick: 1)")
    Integer forks;

    @Option(names = "--quick",
            description = "a short run (1 fork, 2 x 250 ms warm-up, 5 x 150 ms measured): about a minute for the"
                    + " default comparison, with intervals that leave out fork-to-fork variation")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every raw figure to FILE as JSON")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "also write a self-contained HTML report with charts to FILE")
    Path html;

    /**
     * @return the settings these options ask for
     * @throws UsageException if the fork count is out of range
     */
    Settings settings() {
        Settings settings = quick ? Settings.QUICK : Settings.DEFAULT;
        if (forks == null) {
            return settings;
        }
        if (forks < 1 || forks > Settings.MAX_FORKS) {
            throw new UsageException("--forks " + forks + " (expected: 1 to " + Settings.MAX_FORKS + ")");
        }
        return settings.withForks(forks);
    }
}
