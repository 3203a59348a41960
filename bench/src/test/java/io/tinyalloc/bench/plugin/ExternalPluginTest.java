package io.tinyalloc.bench.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin of {@code examples/plugin}, used as a project outside tinyalloc would use
 * it: its compiled classes are packed into a jar, and a fresh JVM runs {@link PluginProbe} on
 * this module's class path plus that jar, with a {@code tinyalloc.conf} that names the plugin's
 * size classes and purge policy. Without the jar, the same configuration must fail with the
 * message that lists the providers found.
 *
 * <p>The plugin is found in {@code examples/plugin/target/classes} under the repository root:
 * the system property {@value #HOME_PROPERTY} when set, else the working directory or its
 * parent (tests run in {@code bench/}). The reactor builds it before this module.
 */
class ExternalPluginTest {

    private static final String HOME_PROPERTY = "tinyalloc.home";
    private static final Path PLUGIN_CLASSES = Path.of("examples", "plugin", "target", "classes");
    private static final String SIZE_CLASSES_NAME = "example-powers-of-two";
    private static final String PURGE_NAME = "example-fixed-delay";
    private static final String PLUGIN_PACKAGE = "com.example.tinyalloc";
    private static final String CONF = """
            size-classes {
              provider = %s
              %s.max-size = 32 KiB
            }
            purge {
              provider = %s
              %s.delay = 5 ms
            }
            """.formatted(SIZE_CLASSES_NAME, SIZE_CLASSES_NAME, PURGE_NAME, PURGE_NAME);
    private static final long PROBE_TIMEOUT_SECONDS = 60;

    @TempDir
    static Path directory;
    private static Path conf;

    @BeforeAll
    static void writeConf() throws IOException {
        conf = Files.writeString(directory.resolve("tinyalloc.conf"), CONF);
    }

    @Test
    void tinyAllocSelectsThePluginsNamedInTheConfiguration() throws IOException, InterruptedException {
        Path jar = packPlugin(pluginClasses(), directory.resolve("tinyalloc-example-plugin.jar"));

        Result result = runProbe(classPathWithout(PLUGIN_CLASSES) + File.pathSeparator + jar);

        assertEquals(0, result.exitStatus(), result.toString());
        assertTrue(result.out().contains("size-classes=" + SIZE_CLASSES_NAME + "(max-size=32 KiB)"), result.toString());
        assertTrue(result.out().contains("purge=" + PURGE_NAME + "("), result.toString());
        assertTrue(result.out().contains("delay=5 ms"), result.toString());
        // Powers of two, where the default jemalloc table would give 112, 3072 and 20480 bytes.
        assertTrue(result.out().contains(PluginProbe.USABLE_PREFIX + "100 -> 128"), result.toString());
        assertTrue(result.out().contains(PluginProbe.USABLE_PREFIX + "3000 -> 4096"), result.toString());
        assertTrue(result.out().contains(PluginProbe.USABLE_PREFIX + "20000 -> 32768"), result.toString());
    }

    @Test
    void withoutThePluginTheErrorNamesTheMissingProviderAndListsTheOnesFound()
            throws IOException, InterruptedException {
        Result result = runProbe(classPathWithout(PLUGIN_CLASSES));

        assertEquals(PluginProbe.EXIT_FAILED, result.exitStatus(), result.toString());
        String error = result.err();
        assertTrue(error.contains("size-classes.provider: " + SIZE_CLASSES_NAME), error);
        assertTrue(error.contains("purge.provider: " + PURGE_NAME), error);
        for (String builtIn : List.of("jemalloc", "mimalloc", "tinyalloc32", "custom", "delayed", "immediate", "none")) {
            assertTrue(error.contains("found: " + builtIn + " ("), "lists " + builtIn + ":\n" + error);
        }
        assertFalse(result.out().contains(PluginProbe.DESCRIBE_PREFIX), result.toString());
    }

    /** What the probe JVM did. */
    private record Result(int exitStatus, String out, String err) {
        @Override
        public String toString() {
            return "exit status " + exitStatus + "; stdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static Result runProbe(String classPath) throws IOException, InterruptedException {
        String name = "probe-" + System.nanoTime();
        Path out = directory.resolve(name + ".out");
        Path err = directory.resolve(name + ".err");
        List<String> command = List.of(javaExecutable(), "--enable-native-access=ALL-UNNAMED",
                "-cp", classPath, PluginProbe.class.getName(), conf.toString());
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish within " + PROBE_TIMEOUT_SECONDS + " s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * Returns this JVM's class path without the plugin, and checks that the plugin is not on it
     * in any other form, so that only the jar can bring it in.
     */
    private static String classPathWithout(Path pluginClasses) {
        List<String> entries = new ArrayList<>(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        entries.removeIf(entry -> Path.of(entry).toAbsolutePath().normalize().endsWith(pluginClasses)
                || entry.contains("tinyalloc-example-plugin"));
        for (String entry : entries) {
            Path path = Path.of(entry);
            assertFalse(Files.isDirectory(path) && Files.exists(path.resolve(PLUGIN_PACKAGE.replace('.', '/'))),
                    "the plugin's classes are already on the class path: " + entry);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path pluginClasses() {
        Path classes = repositoryRoot().resolve(PLUGIN_CLASSES);
        assertTrue(Files.isDirectory(classes.resolve(PLUGIN_PACKAGE.replace('.', '/'))),
                classes + " holds no compiled plugin (expected: examples/plugin built first, as the reactor does;"
                        + " run ./mvnw -o -pl examples/plugin install)");
        return classes;
    }

    private static Path repositoryRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            return Path.of(home);
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        return Stream.of(workingDirectory, workingDirectory.getParent())
                .filter(candidate -> candidate != null && Files.isDirectory(candidate.resolve("examples")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no examples/ folder in " + workingDirectory
                        + " or its parent (expected: the repository root, or -D" + HOME_PROPERTY + "=it)"));
    }

    /** Packs a folder of compiled classes and resources into a jar, as the jar plugin would. */
    private static Path packPlugin(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
