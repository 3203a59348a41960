package io.tinyalloc.bench.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyalloc compare}: two or more combinations on the same workloads, with a verdict for each. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
            "Runs every combination on every workload with JMH, each fork a JVM of its own, the forks of the"
                    + " combinations interleaved (A B A B ...), and prints per workload and combination: the median"
                    + " ns/op with its 95%% confidence interval, the ratio to the first combination with its interval,"
                    + " a verdict (faster, slower, no significant difference) given only when that interval excludes 1,"
                    + " the allocator's peak committed bytes, its committed bytes once everything was freed and the"
                    + " purge delay passed, and the fork's peak RSS.",
            "",
            "A default run (5 forks) takes about 5 s per fork: 2 combinations on the 5 default workloads, about"
                    + " 4 minutes. --quick takes about a minute."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything ran", "1:a benchmark failed, or a configuration is not valid",
            "2:invalid arguments: a missing file, an unknown workload or baseline"})
final class CompareCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "COMBINATION", arity = "2..*",
            description = {"a tinyalloc.conf file, tinyalloc (the defaults) or baseline:NAME (see `tinyalloc list`);"
                    + " the first is the reference of the ratios"})
    private List<String> combinations;

    @Option(names = {"-w", "--workload"}, paramLabel = "W",
            description = "a workload (repeatable; see `tinyalloc list`); default: batch-64, batch-4k, batch-1m,"
                    + " batch-mixed and trace:gcc")
    private List<String> workloads;

    @Mixin
    private MeasurementOptions options;

    @Override
    public Integer call() throws Exception {
        return new ComparisonRun(spec.commandLine().getOut(), spec.commandLine().getErr(), TinyAllocCommand.commandLineOf(spec))
                .run(combinations, ComparisonRun.workloads(workloads), options.settings(), options.json, options.html);
    }
}
