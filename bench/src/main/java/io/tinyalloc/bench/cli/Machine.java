package io.tinyalloc.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The machine a report was measured on, one line: CPU, cores, memory, OS, JVM. */
final class Machine {

    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Path MEMORY_INFO = Path.of("/proc/meminfo");
    private static final double KIB_PER_GIB = 1024.0 * 1024.0;

    private Machine() {
    }

    static String describe() {
        Runtime runtime = Runtime.getRuntime();
        String cpu = field(CPU_INFO, "model name").orElse(System.getProperty("os.arch"));
        String memory = field(MEMORY_INFO, "MemTotal")
                .map(total -> String.format(Locale.ROOT, ", %.0f GiB", Long.parseLong(total.split("\\s+")[0]) / KIB_PER_GIB))
                .orElse("");
        return cpu + ", " + runtime.availableProcessors() + " CPUs" + memory + "; " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + "; " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version");
    }

    /** The value of the first {@code name : value} line of a /proc file, if there is one. */
    private static Optional<String> field(Path file, String name) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(name))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();   // not Linux: the rest of the line still says what ran
        }
    }
}
