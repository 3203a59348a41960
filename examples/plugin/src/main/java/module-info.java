/**
 * An example of strategies written outside tinyalloc: the {@code example-powers-of-two} size
 * classes and the {@code example-fixed-delay} purge policy. It reads only tinyalloc's api module;
 * the engine finds the providers with {@link java.util.ServiceLoader}, through the
 * {@code provides} clauses below on the module path and through {@code META-INF/services} on
 * the class path.
 */
module com.example.tinyalloc {
    requires io.tinyalloc;

    provides io.tinyalloc.spi.SizeClassesProvider
            with com.example.tinyalloc.PowersOfTwoSizeClassesProvider;
    provides io.tinyalloc.spi.PurgePolicyProvider
            with com.example.tinyalloc.FixedDelayPurgePolicyProvider;
}
