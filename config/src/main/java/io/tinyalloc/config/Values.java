package io.tinyalloc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.stream.Collectors;

/** How configuration values are found by path and shown in messages: value, file and line. */
final class Values {

    /** Values longer than this are cut in messages: the file has the rest. */
    private static final int MAX_RENDERED_LENGTH = 80;
    private static final String ELLIPSIS = "...";

    private Values() {
    }

    /**
     * Returns the value at a path, including an explicit {@code null}, or {@code null} if the path
     * is absent or runs through a value that is not an object. Unlike {@link Config#getValue}
     * this never throws.
     *
     * @param config the configuration
     * @param path a path expression, such as {@code purge.delayed.delay}
     * @return the value, or {@code null}
     */
    static ConfigValue at(Config config, String path) {
        ConfigValue value = config.root();
        for (String key : ConfigUtil.splitPath(path)) {
            if (!(value instanceof ConfigObject object)) {
                return null;
            }
            value = object.get(key);
            if (value == null) {
                return null;
            }
        }
        return value;
    }

    /**
     * Shows a value as a user would write it: strings without quotes, blocks as {@code {...}},
     * long values cut.
     *
     * @param value the value, or {@code null} if absent
     * @return the value as text
     */
    static String render(ConfigValue value) {
        String text = switch (value) {
            case null -> "(not set)";
            case ConfigObject ignored -> "{...}";
            case ConfigList list -> list.stream().map(Values::render).collect(Collectors.joining(", ", "[", "]"));
            default -> value.unwrapped() instanceof String string ? string : value.render(ConfigRenderOptions.concise());
        };
        return text.length() <= MAX_RENDERED_LENGTH ? text : text.substring(0, MAX_RENDERED_LENGTH) + ELLIPSIS;
    }

    /**
     * Shows where a value was set as {@code file:line}: the file name for a file, the resource
     * name for a class-path resource (so {@code reference.conf:12} for a default), else the
     * origin's own description.
     *
     * @param origin the origin of a value
     * @return the location, for example {@code /etc/app/tinyalloc.conf:7}
     */
    static String location(ConfigOrigin origin) {
        String source;
        if (origin.resource() != null) {
            source = origin.resource();
        } else if (origin.filename() != null) {
            source = origin.filename();
        } else if (origin.url() != null) {
            source = origin.url().toString();
        } else {
            source = withoutLineNumber(origin);
        }
        return origin.lineNumber() < 0 ? source : source + ":" + origin.lineNumber();
    }

    private static String withoutLineNumber(ConfigOrigin origin) {
        String description = origin.description();
        String lineSuffix = ": " + origin.lineNumber();
        return origin.lineNumber() >= 0 && description.endsWith(lineSuffix)
                ? description.substring(0, description.length() - lineSuffix.length())
                : description;
    }
}
