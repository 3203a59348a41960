package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tinyalloc.Allocator;
import io.tinyalloc.TracingAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The {@value #TRACE} block of {@code tinyalloc.conf}: whether the allocator records its calls
 * in a trace file, and which.
 */
final class TraceSetting {

    static final String TRACE = "trace";
    static final String FILE = "file";
    static final String TRACE_FILE = TRACE + "." + FILE;
    /** The keys of the {@value #TRACE} block. */
    static final Set<String> KEYS = Set.of(FILE);
    /** The value of {@value #TRACE_FILE} that turns tracing off. */
    static final String OFF = "";

    private static final String EXPECTED = "\"\" for no tracing, or the path of a file in an existing folder";

    private TraceSetting() {
    }

    /**
     * Reports keys of the {@value #TRACE} block that nothing reads.
     *
     * @param user the configuration as the user wrote it
     * @param problems where unknown keys are recorded
     */
    static void checkKeys(Config user, Problems problems) {
        ConfigValue trace = user.root().get(TRACE);
        if (trace instanceof ConfigObject block) {
            block.forEach((key, value) -> {
                if (!KEYS.contains(key)) {
                    problems.unknownKey(TRACE + "." + key, value, KEYS, "");
                }
            });
        } else if (trace != null) {
            problems.invalid(TRACE, trace, "a block such as { " + FILE + " = \"app.trace\" }");
        }
    }

    /**
     * Reads {@value #TRACE_FILE}.
     *
     * @param config the configuration, over the reference defaults
     * @param problems where a bad value is recorded
     * @return the trace file, or empty if tracing is off or the value is not valid
     */
    static Optional<Path> read(Config config, Problems problems) {
        if (!(Values.at(config, TRACE) instanceof ConfigObject)) {
            return Optional.empty();   // reported by checkKeys
        }
        ConfigValue value = Values.at(config, TRACE_FILE);
        if (value == null || value.valueType() != ConfigValueType.STRING) {
            problems.invalid(TRACE_FILE, value, EXPECTED);
            return Optional.empty();
        }
        String text = (String) value.unwrapped();
        if (text.equals(OFF)) {
            return Optional.empty();
        }
        try {
            Path file = Path.of(text).toAbsolutePath();
            if (Files.isDirectory(file)) {
                problems.invalid(TRACE_FILE, value, "a file, not a folder (" + EXPECTED + ")");
                return Optional.empty();
            }
            if (!Files.isDirectory(file.getParent())) {
                problems.invalid(TRACE_FILE, value, "a file in an existing folder; " + file.getParent() + " is not one");
                return Optional.empty();
            }
            return Optional.of(file);
        } catch (InvalidPathException e) {
            problems.invalid(TRACE_FILE, value, EXPECTED + "; " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Creates (or empties) the trace file, before anything is mapped, so that a file that cannot
     * be written is a configuration error like any other: no engine was made for nothing.
     *
     * @throws ConfigException.BadValue if the file cannot be created
     */
    static void create(Path traceFile, Config config) {
        try {
            Files.newOutputStream(traceFile).close();
        } catch (IOException e) {
            throw cannotCreate(traceFile, config, e);
        }
    }

    private static ConfigException.BadValue cannotCreate(Path traceFile, Config config, IOException e) {
        return new ConfigException.BadValue(Values.at(config, TRACE_FILE).origin(), TRACE_FILE,
                "cannot create the trace file " + traceFile + " (expected: a file that can be written): " + e, e);
    }

    /**
     * Wraps an engine in a tracer. If the file cannot be opened, the engine is closed.
     *
     * @param engine the allocator
     * @param traceFile the file, checked by {@link #read}
     * @param config the configuration, for the origin of the value in an error
     * @return the tracing allocator
     * @throws ConfigException.BadValue if the file cannot be created
     */
    static Allocator traced(Allocator engine, Path traceFile, Config config) {
        try {
            return TracingAllocator.wrap(engine, traceFile);
        } catch (IOException e) {
            engine.close();
            throw cannotCreate(traceFile, config, e);
        }
    }
}
