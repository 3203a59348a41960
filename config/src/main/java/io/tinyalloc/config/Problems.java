package io.tinyalloc.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigException.ValidationProblem;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects every start-up problem, so that one run reports them all, then throws them as one
 * exception: a {@link ConfigException.ValidationFailed} if the configuration is wrong, else an
 * {@link IllegalStateException} if a strategy it names cannot be found or used.
 *
 * <p>Each configuration problem has a key path, the origin of the offending value and a text
 * that names the value and what was expected.
 */
final class Problems {

    /** The origin given to a problem whose value has none, such as a key that is absent. */
    private static final ConfigOrigin NO_ORIGIN = ConfigOriginFactory.newSimple("tinyalloc configuration");
    /** How Typesafe Config words a {@link ConfigException.BadValue}: the key, then the problem. */
    private static final Pattern BAD_VALUE = Pattern.compile("Invalid value at '(.+?)': (.*)", Pattern.DOTALL);
    private static final Comparator<ValidationProblem> BY_LOCATION = Comparator
            .comparing((ValidationProblem problem) -> source(problem.origin()))
            .thenComparingInt(problem -> problem.origin().lineNumber());

    private final List<ValidationProblem> invalid = new ArrayList<>();
    private final List<String> unavailable = new ArrayList<>();

    /**
     * Records a value that is not what was expected.
     *
     * @param path the key path
     * @param value the value, or {@code null} if absent
     * @param expected what was expected, such as {@code a power of two between 64 KiB and 64 MiB}
     */
    void invalid(String path, ConfigValue value, String expected) {
        add(path, value, Values.render(value) + " (expected: " + expected + ")");
    }

    /**
     * Records a key that nothing reads.
     *
     * @param path the key path
     * @param value its value
     * @param knownKeys the keys that are read at that level, to suggest the closest from
     * @param note more about the key, such as which artifact provides a block of that name;
     *        empty for none
     */
    void unknownKey(String path, ConfigValue value, Collection<String> knownKeys, String note) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        String hint = Suggestions.closest(key, knownKeys)
                .map(suggestion -> "did you mean `" + suggestion + "`?")
                .orElseGet(() -> knownKeys.isEmpty() ? "this block has no keys"
                        : "expected one of: " + String.join(", ", knownKeys.stream().sorted().toList()));
        add(path, value, Values.render(value) + " (unknown key; " + hint + (note.isEmpty() ? "" : "; " + note) + ")");
    }

    /**
     * Records a problem found by someone else, such as the engine's geometry check, whose text
     * already names the value and what was expected.
     *
     * @param path the key path the problem is reported under
     * @param value the value that the problem is about, for its origin
     * @param problem the text of the problem
     */
    void found(String path, ConfigValue value, String problem) {
        add(path, value, problem);
    }

    /**
     * Records a {@link ConfigException} thrown by a strategy provider about its own block.
     *
     * @param blockPath the path of the provider's block, such as {@code purge.delayed}
     * @param blockOrigin where the block was set, for exceptions that carry no origin
     * @param exception what the provider threw
     */
    void fromProvider(String blockPath, ConfigOrigin blockOrigin, ConfigException exception) {
        if (exception instanceof ConfigException.ValidationFailed failed) {
            failed.problems().forEach(problem ->
                    invalid.add(new ValidationProblem(blockPath + "." + problem.path(), problem.origin(), problem.problem())));
            return;
        }
        ConfigOrigin origin = exception.origin() != null ? exception.origin() : blockOrigin;
        String message = String.valueOf(exception.getMessage());
        String originPrefix = origin.description() + ": ";
        if (message.startsWith(originPrefix)) {
            message = message.substring(originPrefix.length());
        }
        Matcher badValue = BAD_VALUE.matcher(message);
        if (badValue.matches()) {
            invalid.add(new ValidationProblem(blockPath + "." + badValue.group(1), origin, badValue.group(2)));
        } else {
            invalid.add(new ValidationProblem(blockPath, origin, message));
        }
    }

    /**
     * Records that a strategy cannot be found or used here.
     *
     * @param message the problem, starting with the location and key of the provider name
     */
    void unavailable(String message) {
        unavailable.add(message);
    }

    /** @return whether a configuration problem was recorded */
    boolean hasInvalid() {
        return !invalid.isEmpty();
    }

    /**
     * Throws what was recorded, if anything. Configuration problems come first: strategies that
     * cannot be found are then attached to the exception as a suppressed one, so that nothing
     * found is lost.
     *
     * @throws ConfigException.ValidationFailed if the configuration has problems
     * @throws IllegalStateException if only strategies are missing or unusable
     */
    void throwIfAny() {
        IllegalStateException unavailableStrategies = unavailable.isEmpty() ? null : new IllegalStateException(
                "tinyalloc cannot use the strategies its configuration names:\n  " + String.join("\n  ", unavailable));
        if (!invalid.isEmpty()) {
            InvalidConfigException exception = new InvalidConfigException(invalid.stream().sorted(BY_LOCATION).toList());
            if (unavailableStrategies != null) {
                exception.addSuppressed(unavailableStrategies);
            }
            throw exception;
        }
        if (unavailableStrategies != null) {
            throw unavailableStrategies;
        }
    }

    private void add(String path, ConfigValue value, String problem) {
        invalid.add(new ValidationProblem(path, value == null ? NO_ORIGIN : value.origin(), problem));
    }

    private static String source(ConfigOrigin origin) {
        String location = Values.location(origin);
        return origin.lineNumber() < 0 ? location : location.substring(0, location.lastIndexOf(':'));
    }
}
