package io.tinyalloc.core;

import io.tinyalloc.Allocator;
import java.util.function.UnaryOperator;

/**
 * Engines of the default recipe ({@link TestEngines.Recipe#DEFAULT}, with purge {@code none} unless
 * named) whose engine settings a test changes: checks, limit, leak detection, hardened mode.
 */
final class CustomEngines {

    private CustomEngines() {
    }

    static Allocator create(UnaryOperator<EngineSettings> change) {
        return create("none", change);
    }

    /** The same, with the purge policy named (its default settings, the recipe's short delay). */
    static Allocator create(String purgePolicy, UnaryOperator<EngineSettings> change) {
        return TestEngines.createUnchecked(TestEngines.Recipe.DEFAULT.withPurge(purgePolicy), change);
    }
}
