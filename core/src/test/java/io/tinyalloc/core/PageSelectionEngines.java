package io.tinyalloc.core;

import com.typesafe.config.ConfigValueFactory;
import io.tinyalloc.Allocator;
import io.tinyalloc.spi.PageLookupProvider;
import io.tinyalloc.spi.PageSelection;
import io.tinyalloc.spi.PageSelectionProvider;
import io.tinyalloc.spi.PurgePolicyProvider;
import io.tinyalloc.spi.StrategyContext;
import io.tinyalloc.spi.StrategyProvider;
import java.util.ServiceLoader;

/**
 * Engines of a {@link TestEngines.Recipe} with a page selection named as in
 * {@code page-selection.provider}, found with {@link ServiceLoader} like the other strategies.
 * Every purge delay of the recipe's policy is the recipe's.
 */
final class PageSelectionEngines {

    static final String FIRST_FIT = "first-fit";
    static final String LOWEST_ADDRESS = "lowest-address";

    private PageSelectionEngines() {
    }

    static Allocator create(TestEngines.Recipe recipe, String pageSelection) {
        long osPageByteSize = TestEngines.osPageByteSize();
        PageLookupProvider lookup = provider(PageLookupProvider.class, recipe.pageLookup());
        PurgePolicyProvider purge = provider(PurgePolicyProvider.class, recipe.purge());
        PageSelectionProvider selection = provider(PageSelectionProvider.class, pageSelection);
        var purgeSettings = purge.defaults();
        for (String key : purge.defaults().root().keySet()) {
            if (key.endsWith(TestEngines.DELAY_KEY_SUFFIX)) {
                purgeSettings = purgeSettings.withValue(key,
                        ConfigValueFactory.fromAnyRef(recipe.purgeDelay().toNanos() + "ns"));
            }
        }
        PageSelection order = selection.create(new StrategyContext(selection.defaults(), osPageByteSize,
                recipe.segmentByteSize()));
        return Engine.create(TestEngines.settings(recipe), TestEngines.platform(), TestEngines.sizeClasses(recipe),
                lookup.create(new StrategyContext(lookup.defaults(), osPageByteSize, recipe.segmentByteSize())),
                purge.create(new StrategyContext(purgeSettings, osPageByteSize, recipe.segmentByteSize())), order);
    }

    private static <P extends StrategyProvider> P provider(Class<P> kind, String name) {
        return ServiceLoader.load(kind).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind.getSimpleName() + " named " + name));
    }
}
