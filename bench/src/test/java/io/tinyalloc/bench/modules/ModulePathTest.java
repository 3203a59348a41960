package io.tinyalloc.bench.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a fresh JVM with tinyalloc's modules on the module path, as a modular application
 * would: the module descriptors must resolve, {@code TinyAlloc.create()} must find the engine
 * and the strategies through {@code provides}/{@code uses}, and with native access granted to
 * the modules that need it there is no restricted-method warning. The other tests run on the
 * class path, through {@code META-INF/services}.
 */
class ModulePathTest {

    /** The class-path entries that are modules of the application: tinyalloc's and their dependencies. */
    private static final Pattern APPLICATION_MODULE = Pattern.compile(
            ".*(/(api|core|config|strategies|platform-linux|platform-macos|platform-windows)/target/classes"
                    + "|tinyalloc-(api|core|config|strategies|platform-linux|platform-macos|platform-windows)-[^/]*\\.jar"
                    + "|/config-[0-9.]+\\.jar|/slf4j-api-[0-9.]+\\.jar)$");

    private static final String NATIVE_MODULES = "io.tinyalloc,io.tinyalloc.core,io.tinyalloc.platform.linux";

    private static final String PROBE = """
            import io.tinyalloc.Allocator;
            import io.tinyalloc.TinyAlloc;

            public class Probe {
                public static void main(String[] args) {
                    try (Allocator allocator = TinyAlloc.create()) {
                        long small = allocator.allocate(64);
                        long large = allocator.allocate(1 << 20);
                        allocator.free(small);
                        allocator.free(large);
                        System.out.println("module " + Allocator.class.getModule().getName());
                        System.out.println("engine " + allocator.getClass().getModule().getName());
                        System.out.println(allocator.describe());
                    }
                }
            }
            """;

    @Test
    void tinyAllocStartsOnTheModulePathWithoutWarnings(@TempDir Path directory) throws IOException, InterruptedException {
        Path probe = Files.writeString(directory.resolve("Probe.java"), PROBE);
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "--module-path", modulePath(),
                "--add-modules", "ALL-MODULE-PATH", "--enable-native-access=" + NATIVE_MODULES, probe.toString()));
        Process process = new ProcessBuilder(command).redirectOutput(directory.resolve("out").toFile())
                .redirectError(directory.resolve("err").toFile()).start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the probe JVM did not finish");
        String out = Files.readString(directory.resolve("out"));
        String err = Files.readString(directory.resolve("err"));

        assertEquals(0, process.exitValue(), "exit status; stdout:\n" + out + "\nstderr:\n" + err);
        assertTrue(out.contains("module io.tinyalloc"), out);
        assertTrue(out.contains("engine io.tinyalloc.core"), out);
        assertTrue(out.contains("platform=linux size-classes=jemalloc"), out);
        assertFalse(err.contains("restricted method"), "warnings on stderr:\n" + err);
    }

    private static String modulePath() {
        List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> APPLICATION_MODULE.matcher(entry.replace(File.separatorChar, '/')).matches())
                .toList();
        assertTrue(entries.size() >= 9, "tinyalloc's modules and their dependencies on the class path: " + entries);
        return String.join(File.pathSeparator, entries);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
