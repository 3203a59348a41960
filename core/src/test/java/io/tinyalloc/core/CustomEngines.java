package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;
import io.tinyalloc.spi.StrategyProvider;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * Engines of the default recipe ({@link TestEngines.Recipe#DEFAULT}, with purge {@code none} unless named) whose
 * engine settings a test changes: checks, limit, leak detection.
 */
final class CustomEngines {

    private CustomEngines() {
    }

    static Allocator create(UnaryOperator<EngineSettings> change) {
        return create("none", change);
    }

    /** The same, with the purge policy named (its default settings). */
    static Allocator create(String purgePolicy, UnaryOperator<EngineSettings> change) {
        TestEngines.Recipe recipe = TestEngines.Recipe.DEFAULT;
        long osPageByteSize = TestEngines.osPageByteSize();
        PageLookupProvider lookup = provider(PageLookupProvider.class, recipe.pageLookup());
        PurgePolicyProvider purge = provider(PurgePolicyProvider.class, purgePolicy);
        return Engine.create(change.apply(TestEngines.settings(recipe)), TestEngines.platform(),
                TestEngines.sizeClasses(recipe),
                lookup.create(new StrategyContext(lookup.defaults(), osPageByteSize, recipe.segmentByteSize())),
                purge.create(new StrategyContext(purge.defaults(), osPageByteSize, recipe.segmentByteSize())));
    }

    private static <P extends StrategyProvider> P provider(Class<P> kind, String name) {
        return ServiceLoader.load(kind).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind.getSimpleName() + " named " + name));
    }
}
