package io.tinyalloc.config.faults;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives a random test its generator, seeded at random or with {@code -D}{@value #PROPERTY}, and
 * adds the seed and the command that replays it to the test's failure.
 *
 * {@snippet lang = java :
 * @ExtendWith(Seeds.class)
 * class SomeTest {
 *     @Test
 *     void walk(SplittableRandom random) { ... }
 * }
 * }
 */
final class Seeds implements ParameterResolver, TestExecutionExceptionHandler {

    /** The system property that fixes the seed, to replay a failure. */
    static final String PROPERTY = "tinyalloc.test.seed";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Seeds.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SplittableRandom.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        long seed = pick();
        context.getStore(NAMESPACE).put(PROPERTY, seed);
        return new SplittableRandom(seed);
    }

    private static long pick() {
        String fixed = System.getProperty(PROPERTY);
        if (fixed == null || fixed.isBlank()) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(fixed.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + fixed + " (expected: a long)", e);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Long seed = context.getStore(NAMESPACE).get(PROPERTY, Long.class);
        if (seed == null) {
            throw failure;
        }
        String replay = "seed " + seed + " (replay: ./mvnw -o -pl config test -Dtest="
                + context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName()
                + " -D" + PROPERTY + "=" + seed + ")";
        System.err.println(context.getDisplayName() + " failed with " + replay);
        throw new AssertionError(failure.getMessage() + " [" + replay + "]", failure);
    }
}
