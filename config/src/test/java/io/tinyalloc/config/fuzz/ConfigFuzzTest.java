package io.tinyalloc.config.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.tinyalloc.AllocationFailedException;
import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@code tinyalloc.conf}. Whatever the file holds, {@link TinyAlloc#create} either builds
 * an allocator, which then allocates, frees and closes, giving back every byte it reserved; or
 * it throws one of the documented exceptions without having mapped any memory:
 * <ul>
 *   <li>a {@link ConfigException}: a {@link ConfigException.ValidationFailed} whose every
 *       problem names its key, or Typesafe Config's own exception for a file that does not
 *       parse or a substitution that does not resolve;</li>
 *   <li>an {@link IllegalStateException} listing the {@code <kind>.provider} keys that name a
 *       strategy that cannot be found or used here.</li>
 * </ul>
 * Anything else, such as a {@link NullPointerException}, an {@link ArithmeticException} or an
 * {@link IllegalArgumentException} from the engine's own checks, is a finding.
 *
 * <p>Mappings are observed through {@link CountingPlatformProvider}, which the configurations
 * select as {@code platform.provider = fuzz-counting}. {@link #anyBytes} takes the input as the
 * file's bytes; {@link #structuredConf} builds the file from the keys of {@code reference.conf}
 * with valid and broken values, so that the fuzzer gets past parsing into validation.
 *
 * <p>Regression mode ({@code ./mvnw test}) runs the committed inputs under
 * {@code ConfigFuzzTestInputs/<method>/}; docs/reliability.md says how to fuzz for longer.
 */
class ConfigFuzzTest {

    /** The start of the message of the exception for strategies that cannot be used (see Problems). */
    private static final String UNAVAILABLE_STRATEGIES = "tinyalloc cannot use the strategies its configuration names";
    /** The key under which the configuration names a strategy, in every kind's block. */
    private static final String PROVIDER_KEY = ".provider";
    /** Typesafe Config exceptions that report the file rather than a key: nothing to validate yet. */
    private static final Set<Class<? extends ConfigException>> FILE_LEVEL_FAILURES = Set.of(
            ConfigException.Parse.class, ConfigException.IO.class, ConfigException.UnresolvedSubstitution.class);
    /** Sizes allocated from a built allocator: a small class, a mid class, and one above every default class. */
    private static final List<Long> PROBE_BYTE_SIZES = List.of(8L, 1000L, 256L * 1024);
    private static final byte PROBE_FILL = (byte) 0x5A;
    /** How {@link Allocator#describe()} shows that no memory limit is set. */
    private static final String NO_LIMIT = "limit=off";

    private static final String TRACE = "trace";
    private static final String FILE = "file";
    private static final String TRACE_FILE = TRACE + "." + FILE;
    /** The name a confined trace file takes when the input's name has none of its own (".." or ""). */
    private static final String CONFINED_TRACE_NAME = "fuzz.trace";
    private static final String TRACE_FILE_NOT_CREATED = "cannot create the trace file";

    @TempDir
    static Path scratch;

    /**
     * Any bytes as the file. The platform is made the counting one when the input leaves it to
     * {@code auto} or names this machine's, and a trace file is moved into a scratch folder
     * (see {@link #confinedToScratch}).
     */
    @FuzzTest(maxDuration = "30s")
    void anyBytes(byte[] conf) {
        String text = new String(conf, StandardCharsets.UTF_8);
        checkOutcome(text, () -> TinyAlloc.create(confinedToScratch(text)));
    }

    /** A file written by {@link ConfGenerator}: the reference keys with valid and broken values. */
    @FuzzTest(maxDuration = "30s")
    void structuredConf(FuzzedDataProvider data) {
        String text = new ConfGenerator(data, scratch).conf();
        Path file = write(text);
        checkOutcome(text, () -> TinyAlloc.create(file));
    }

    // ------------------------------------------------------------------ the oracle

    private static void checkOutcome(String conf, Supplier<Allocator> create) {
        CountingPlatform.reset();
        Allocator allocator;
        try {
            allocator = CountingPlatform.run(create);
        } catch (ConfigException e) {
            checkNamesItsKeys(conf, e);
            checkNothingMapped(conf, e);
            return;
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).startsWith(UNAVAILABLE_STRATEGIES)
                    || !e.getMessage().contains(PROVIDER_KEY)) {
                throw undocumented(conf, e);
            }
            checkNothingMapped(conf, e);
            return;
        } catch (RuntimeException | Error e) {
            throw undocumented(conf, e);
        }
        useAndClose(conf, allocator);
    }

    private static void checkNamesItsKeys(String conf, ConfigException e) {
        if (e instanceof ConfigException.ValidationFailed failed) {
            assertTrue(failed.problems().iterator().hasNext(), () -> "no problem listed in " + e + "\nfor\n" + conf);
            for (ConfigException.ValidationProblem problem : failed.problems()) {
                // A key may be the empty string ("" = 1), so its path may be empty; the line still shows it.
                assertTrue(e.getMessage().contains(": " + problem.path() + ": "),
                        () -> "the message does not name " + problem.path() + ": " + e + "\nfor\n" + conf);
            }
        } else if (!FILE_LEVEL_FAILURES.contains(e.getClass()) && !(e instanceof ConfigException.BadValue)
                && !(e instanceof ConfigException.WrongType) && !(e instanceof ConfigException.BadPath)) {
            throw undocumented(conf, e);
        }
    }

    private static void checkNothingMapped(String conf, RuntimeException e) {
        if (CountingPlatform.reserveCalls() != 0) {
            fail(CountingPlatform.reserveCalls() + " reservation(s) made before the configuration was rejected ("
                    + CountingPlatform.unreleasedBytes() + " bytes not released) for\n" + conf, e);
        }
    }

    /** Allocates, writes, reads and frees a few blocks, then closes: every reserved byte must go back. */
    private static void useAndClose(String conf, Allocator allocator) {
        boolean counted = allocator.describe().contains(CountingPlatformProvider.NAME);
        boolean limited = !allocator.describe().contains(NO_LIMIT);
        try (allocator) {
            for (long byteSize : PROBE_BYTE_SIZES) {
                long address;
                try {
                    address = allocator.allocate(byteSize);
                } catch (AllocationFailedException e) {
                    if (!limited) {
                        throw e;
                    }
                    continue;   // a limit as low as one segment may leave no room for a large block
                }
                MemorySegment block = MemorySegment.ofAddress(address).reinterpret(byteSize);
                block.fill(PROBE_FILL);
                assertEquals(PROBE_FILL, block.get(ValueLayout.JAVA_BYTE, byteSize - 1));
                assertTrue(allocator.usableSize(address) >= byteSize, () -> "usableSize below " + byteSize);
                allocator.free(address);
            }
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("the allocator built from this configuration failed: " + allocator.describe()
                    + "\n" + conf, e);
        }
        if (counted) {
            assertTrue(CountingPlatform.reserveCalls() > 0, () -> "allocated without reserving, for\n" + conf);
            assertEquals(0, CountingPlatform.unreleasedBytes(),
                    () -> "bytes still reserved after close(), for " + allocator.describe() + "\n" + conf);
        }
    }

    private static AssertionError undocumented(String conf, Throwable e) {
        return new AssertionError("undocumented " + e + "\nfor\n" + conf, e);
    }

    // ------------------------------------------------------------------ keeping the fuzzer inside its sandbox

    /**
     * Parses {@code text} the way {@link TinyAlloc#create(Path)} would (a syntax error throws the
     * same {@link ConfigException.Parse}), with two differences that keep a fuzzer from touching
     * the machine: {@code include} reads nothing (an include of {@code /dev/zero} or a URL would
     * hang), and a non-empty {@code trace.file}, which tinyalloc creates or empties, is moved
     * into the scratch folder under its last name, so that names tinyalloc must reject (too
     * long, a NUL, {@code .}) still reach it. And the platform becomes the counting one when the
     * input leaves it to {@code auto} or names this machine's, so that mappings can be seen.
     */
    private static Config confinedToScratch(String text) {
        Config parsed = ConfigFactory.parseString(text, ConfigParseOptions.defaults()
                .setOriginDescription("fuzzed tinyalloc.conf").setIncluder(new IncludesNothing()));
        Config resolved;
        try {
            resolved = parsed.resolve();
        } catch (ConfigException e) {
            return parsed;   // TinyAlloc.create resolves it again, and fails the same way, before any file is touched
        }
        return withCountingPlatform(withTraceInScratch(resolved));
    }

    private static Config withTraceInScratch(Config config) {
        if (config.root().get(TRACE) instanceof ConfigObject trace
                && trace.get(FILE) instanceof ConfigValue file && file.valueType() == ConfigValueType.STRING
                && !((String) file.unwrapped()).isEmpty()) {
            // Joined as text, not resolved as a Path: a name that is no valid path (a NUL) is for tinyalloc to reject.
            String name = new File((String) file.unwrapped()).getName();
            String confined = scratch + File.separator + (name.isEmpty() || name.equals("..") ? CONFINED_TRACE_NAME : name);
            return config.withValue(TRACE_FILE, ConfigValueFactory.fromAnyRef(confined, file.origin().description()));
        }
        return config;
    }

    private static Config withCountingPlatform(Config config) {
        ConfigValue platform = config.root().get("platform");
        if (platform != null && !(platform instanceof ConfigObject)) {
            return config;
        }
        ConfigValue provider = platform == null ? null : ((ConfigObject) platform).get("provider");
        if (provider == null || provider.valueType() == ConfigValueType.STRING
                && Set.of("auto", "linux", "macos", "windows").contains((String) provider.unwrapped())) {
            return config.withValue("platform.provider", ConfigValueFactory.fromAnyRef(CountingPlatformProvider.NAME,
                    provider == null ? "fuzz" : provider.origin().description()));
        }
        return config;
    }

    private static Path write(String conf) {
        try {
            // getBytes, not writeString: generated text may hold an unpaired surrogate, written as '?'.
            return Files.write(scratch.resolve("tinyalloc.conf"), conf.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An includer that includes an empty object, whatever it is asked for. */
    private static final class IncludesNothing
            implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {

        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            return ConfigFactory.empty().root();
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File what) {
            return ConfigFactory.empty().root();
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
            return ConfigFactory.empty().root();
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            return ConfigFactory.empty().root();
        }
    }
}
