package io.tinyalloc.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tinyalloc.core.EngineSettings;
import io.tinyalloc.spi.SizeClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes configuration files with known line numbers, and assembles them against fake providers
 * so that the tests do not depend on which real providers are on the class path.
 */
final class TestConfs {

    /** Selects the fakes; appended after the lines of a test, so that those start at line 1. */
    static final List<String> FAKE_SELECTION = List.of(
            "platform.provider = test-fake",
            "size-classes.provider = test-fake",
            "page-lookup.provider = test-fake",
            "purge.provider = test-delayed",
            "page-selection.provider = test-fake");

    /** A geometry check that finds nothing: the engine's own is a stub until the lead lands it. */
    static final Assembler.GeometryCheck NO_GEOMETRY_PROBLEMS = (settings, sizeClasses, osPage) -> List.of();

    private TestConfs() {
    }

    /** A catalog of one fake of every kind, the platform supported. */
    static ProviderCatalog fakeCatalog() {
        return ProviderCatalog.of(List.of(new FakePlatformProvider("test-fake", true), new FakeSizeClassesProvider(),
                new FakePageLookupProvider(), new FakePurgeProvider(), new FakePageSelectionProvider(),
                new FakeRemoteFreeProvider()));
    }

    /**
     * Writes {@code lines} to a file, line 1 first, followed by the selection of the fakes.
     *
     * @return the file
     */
    static Path write(Path directory, String... lines) {
        try {
            Path file = Files.createTempFile(directory, "tinyalloc-", ".conf");
            Files.write(file, concat(List.of(lines), FAKE_SELECTION));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code lines} to a file as they are, without selecting the fakes. */
    static Path writeRaw(Path directory, String... lines) {
        try {
            Path file = Files.createTempFile(directory, "tinyalloc-", ".conf");
            Files.write(file, List.of(lines));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails, showing the whole message, unless it contains every part. */
    static void assertContains(String message, String... parts) {
        for (String part : parts) {
            if (!message.contains(part)) {
                fail("expected the message to contain\n  " + part + "\nbut it was\n" + message);
            }
        }
    }

    static Config parse(Path file) {
        return ConfigFactory.parseFile(file.toFile());
    }

    static Assembly assemble(Path file) {
        return Assembler.assemble(parse(file), fakeCatalog(), NO_GEOMETRY_PROBLEMS);
    }

    /** Assembles {@code file} and returns the validation failure it must give. */
    static ConfigException.ValidationFailed failureOf(Path file) {
        return assertThrows(ConfigException.ValidationFailed.class, () -> assemble(file));
    }

    /** Assembles {@code file} and returns the message of the validation failure it must give. */
    static String problemsOf(Path file) {
        return failureOf(file).getMessage();
    }

    /** The location a problem on a line of {@code file} is reported at. */
    static String at(Path file, int line) {
        return file + ":" + line + ": ";
    }

    static Assembler.GeometryCheck geometryReporting(String message) {
        return (EngineSettings settings, SizeClasses sizeClasses, long osPage) -> List.of(message);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
