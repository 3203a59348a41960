package io.tinyalloc.config;

import com.typesafe.config.ConfigException;
import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link ConfigException.ValidationFailed} whose message lists one problem a line, as
 * {@code file:line: key: value (expected: ...)}. Callers catch the public Typesafe type and may
 * read the problems one by one with {@link #problems()}.
 */
final class InvalidConfigException extends ConfigException.ValidationFailed {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String message;

    /**
     * Creates the exception.
     *
     * @param problems every problem found, at least one, in the order they are to be shown
     */
    InvalidConfigException(List<ValidationProblem> problems) {
        super(List.copyOf(problems));
        this.message = problems.stream()
                .map(InvalidConfigException::line)
                .collect(Collectors.joining("\n  ", header(problems.size()), ""));
    }

    @Override
    public String getMessage() {
        return message;
    }

    private static String header(int problemCount) {
        return "invalid tinyalloc configuration, " + problemCount + (problemCount == 1 ? " problem" : " problems")
                + ":\n  ";
    }

    private static String line(ValidationProblem problem) {
        return Values.location(problem.origin()) + ": " + problem.path() + ": " + problem.problem();
    }
}
