package io.tinyalloc.core;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Resolves {@link Seed} parameters and names the seed in the failure of a test that used one,
 * so that every random failure can be replayed.
 */
final class SeedExtension implements ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SeedExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Seed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Seed seed = Seed.pick();
        context.getStore(NAMESPACE).put(Seed.class, seed);
        return seed;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Seed seed = context.getStore(NAMESPACE).get(Seed.class, Seed.class);
        if (seed == null) {
            throw failure;
        }
        String hint = seed.replayHint().replace("<class>#<method>",
                context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName());
        System.err.println(context.getDisplayName() + " failed with " + hint);
        AssertionError withSeed = new AssertionError(failure.getMessage() + " [" + hint + "]", failure);
        withSeed.setStackTrace(new StackTraceElement[0]);
        throw withSeed;
    }
}
