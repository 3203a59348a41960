package io.tinyalloc;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.tinyalloc.spi.EngineProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Static factories for {@link Allocator}s, configured by a {@code tinyalloc.conf} file.
 *
 * <p>{@code tinyalloc.conf} is a HOCON file whose keys are documented, with their defaults, in
 * the {@code reference.conf} of the {@code io.tinyalloc.config} module. A key that is not set
 * takes its default, so an empty file (or none) gives the default strategy combination.
 *
 * {@snippet lang = java :
 * try (Allocator allocator = TinyAlloc.create(Path.of("tinyalloc.conf"))) {
 *     System.out.println(allocator.describe());
 * }
 * }
 *
 * <p>The engine behind these factories is found with {@link ServiceLoader} as an
 * {@link EngineProvider}; the {@code io.tinyalloc.config} module provides it.
 */
public final class TinyAlloc {

    /** The system property that names the configuration file read by {@link #create()}. */
    public static final String CONFIG_FILE_PROPERTY = "tinyalloc.config.file";

    /** The class-path resource read by {@link #create()} when the property is not set. */
    public static final String CONFIG_RESOURCE = "tinyalloc.conf";

    private TinyAlloc() {
    }

    /**
     * Creates an allocator configured by the file named by the system property
     * {@value #CONFIG_FILE_PROPERTY} if it is set, else by the class-path resource
     * {@value #CONFIG_RESOURCE} if there is one, else with the defaults.
     *
     * @return a new allocator
     * @throws ConfigException if the configuration cannot be read or is not valid; the message
     *         lists every problem with its key, file and line
     * @throws IllegalStateException if no engine, or a strategy named in the configuration,
     *         can be found
     * @throws AllocationFailedException if the initial memory cannot be mapped
     */
    public static Allocator create() {
        String file = System.getProperty(CONFIG_FILE_PROPERTY);
        if (file != null) {
            return create(Path.of(file));
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Config config = ConfigFactory.parseResources(loader == null ? TinyAlloc.class.getClassLoader() : loader,
                CONFIG_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(true));
        return create(config);
    }

    /**
     * Creates an allocator configured by a {@code tinyalloc.conf} file.
     *
     * @param confFile the configuration file
     * @return a new allocator
     * @throws ConfigException if the file is missing, cannot be parsed or is not valid; the
     *         message lists every problem with its key, file and line
     * @throws IllegalStateException if no engine, or a strategy named in the configuration,
     *         can be found
     * @throws AllocationFailedException if the initial memory cannot be mapped
     */
    public static Allocator create(Path confFile) {
        return create(ConfigFactory.parseFile(confFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
    }

    /**
     * Creates an allocator from configuration already parsed: the keys of
     * {@code tinyalloc.conf}, at the root of {@code config}. To configure tinyalloc from a
     * block of an application's configuration, pass that block:
     * {@code TinyAlloc.create(config.getConfig("tinyalloc"))}.
     *
     * @param config the settings; keys that are absent take their defaults
     * @return a new allocator
     * @throws ConfigException if the configuration is not valid; the message lists every
     *         problem with its key, file and line
     * @throws IllegalStateException if no engine, or a strategy named in the configuration,
     *         can be found
     * @throws AllocationFailedException if the initial memory cannot be mapped
     */
    public static Allocator create(Config config) {
        return engine().create(config);
    }

    private static EngineProvider engine() {
        List<EngineProvider> engines = ServiceLoader.load(EngineProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        if (engines.isEmpty()) {
            throw new IllegalStateException("no tinyalloc engine found on the class path or module path"
                    + " (expected: the io.tinyalloc:tinyalloc-config artifact, module io.tinyalloc.config,"
                    + " with tinyalloc-core, tinyalloc-strategies and a tinyalloc-platform-* artifact)");
        }
        if (engines.size() > 1) {
            throw new IllegalStateException("more than one tinyalloc engine found: "
                    + engines.stream().map(e -> e.name() + " (" + e.getClass().getName() + ")")
                            .collect(Collectors.joining(", "))
                    + " (expected: exactly one)");
        }
        return engines.getFirst();
    }
}
