/**
 * Reads and validates {@code tinyalloc.conf}, finds the strategies it names with
 * {@link java.util.ServiceLoader} and builds the engine from them.
 *
 * <p>The only public class is {@link io.tinyalloc.config.ConfiguredEngineProvider}, which
 * {@code ServiceLoader} instantiates; the package is not exported. Start-up problems reach the
 * user as a {@link com.typesafe.config.ConfigException.ValidationFailed} (the file is wrong:
 * every problem, each with its file, line, key, value and what was expected) or an
 * {@link IllegalStateException} (a strategy it names cannot be found or used here).
 */
package io.tinyalloc.config;
