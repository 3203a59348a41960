package io.tinyalloc.core;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of a random test. A test that declares a {@code Seed} parameter (in a class
 * extended with {@link SeedExtension}) gets a fresh random seed, or the one given with
 * {@code -D}{@value #PROPERTY}; when the test fails, the seed and the command line that
 * replays it are added to the failure.
 *
 * {@snippet lang = java :
 * @ExtendWith(SeedExtension.class)
 * class SomeTest {
 *     @Test
 *     void randomWalk(Seed seed) {
 *         SplittableRandom random = seed.random();
 *         // ...
 *     }
 * }
 * }
 *
 * @param value the seed
 */
record Seed(long value) {

    /** The system property that fixes the seed of every random test, to replay a failure. */
    static final String PROPERTY = "tinyalloc.test.seed";

    /** Returns the seed fixed with {@value #PROPERTY}, or a new random one. */
    static Seed pick() {
        String fixed = System.getProperty(PROPERTY);
        if (fixed == null || fixed.isBlank()) {
            return new Seed(ThreadLocalRandom.current().nextLong());
        }
        try {
            return new Seed(Long.parseLong(fixed.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + fixed + " (expected: a long)", e);
        }
    }

    /** A generator seeded with this seed; every call starts the same sequence. */
    SplittableRandom random() {
        return new SplittableRandom(value);
    }

    /** What to add to a failure so that it can be replayed. */
    String replayHint() {
        return "seed " + value + " (replay: ./mvnw -o -pl core test -Dtest=<class>#<method> -D" + PROPERTY + "="
                + value + ")";
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
