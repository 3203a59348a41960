package io.tinyalloc.config;

import com.typesafe.config.Config;
import io.tinyalloc.Allocator;
import io.tinyalloc.core.Engine;
import io.tinyalloc.spi.EngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link io.tinyalloc.TinyAlloc}, named {@value #NAME}: validates
 * {@code tinyalloc.conf}, finds the strategies it names with {@link java.util.ServiceLoader}
 * and builds the engine from them.
 *
 * <p>Validation reports every problem at once. A {@link com.typesafe.config.ConfigException.ValidationFailed}
 * lists them one a line, each as {@code file:line: key: value (expected: ...)}:
 *
 * {@snippet lang = text :
 * invalid tinyalloc configuration, 2 problems:
 *   /etc/app/tinyalloc.conf:3: segment-size: 3 MiB (expected: a power of two between 64 KiB and 64 MiB)
 *   /etc/app/tinyalloc.conf:9: purge.delyed: {...} (unknown key; did you mean `delayed`?)
 * }
 *
 * <p>When {@code trace.file} is set, the engine is wrapped in a {@link io.tinyalloc.TracingAllocator}
 * that records every call in that file.
 *
 * <p>A strategy that is named but cannot be found, is provided twice or is not supported here
 * is an {@link IllegalStateException} instead, whose message lists every provider found for
 * its kind. Nothing falls back silently to another strategy.
 */
public final class ConfiguredEngineProvider implements EngineProvider {

    /** The name of this engine. */
    public static final String NAME = "tinyalloc";

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredEngineProvider.class);

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public ConfiguredEngineProvider() {
    }

    /** @return {@value #NAME} */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Keys that are absent take their defaults from this module's {@code reference.conf}, and
     * a provider's keys from its {@linkplain io.tinyalloc.spi.StrategyProvider#defaults() defaults}.
     *
     * @throws com.typesafe.config.ConfigException.ValidationFailed if the configuration is not
     *         valid, with every problem
     * @throws com.typesafe.config.ConfigException if a substitution cannot be resolved
     */
    @Override
    public Allocator create(Config config) {
        Assembly assembly = Assembler.assemble(config, ProviderCatalog.discover(), Engine::checkGeometry);
        LOG.debug("creating allocator: {}", assembly.settings().description());
        assembly.traceFile().ifPresent(file -> TraceSetting.create(file, config));
        Allocator engine = Engine.create(assembly.settings(), assembly.platform(), assembly.sizeClasses(),
                assembly.pageLookup(), assembly.purgePolicy(), assembly.pageSelection(),
                assembly.remoteFree());
        return assembly.traceFile().isEmpty() ? engine : TraceSetting.traced(engine, assembly.traceFile().get(), config);
    }

    @Override
    public String toString() {
        return "ConfiguredEngineProvider[" + NAME + "]";
    }
}
