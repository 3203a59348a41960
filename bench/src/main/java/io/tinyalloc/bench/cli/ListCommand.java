package io.tinyalloc.bench.cli;

import io.tinyalloc.bench.alloc.BenchAllocators;
import io.tinyalloc.bench.trace.TraceLibrary;
import io.tinyalloc.bench.workload.Workload;
import io.tinyalloc.bench.workload.Workloads;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tinyalloc list}: the workloads and allocators that the other commands accept. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the workloads and the allocator names.")
final class ListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Workloads:");
        for (Workload workload : Workloads.all(TraceLibrary.ofRepository())) {
            out.printf("  %-18s %s%n", workload.name(), workload.description());
        }
        out.println("Allocators:");
        BenchAllocators.names().forEach(name -> out.println("  " + name));
        return TinyAllocCommand.EXIT_OK;
    }
}
