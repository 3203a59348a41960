package io.tinyalloc.bench.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tinyalloc.Allocator;
import io.tinyalloc.TinyAlloc;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tinyalloc config}: the configuration an allocator would be built from, key by key, with
 * where each value came from, and the strategy combination it gives.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Validates a tinyalloc.conf and prints the combination it gives, on one line, then every key"
                + " in use with its value and where it came from: the file and line that set it, or the default"
                + " (the line of reference.conf). The blocks of strategies that are not selected are left out."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the configuration is valid", "1:it is not (every problem is listed with its file and line)",
            "2:invalid arguments: no such file"})
final class ConfigCommand implements Callable<Integer> {

    /** The block of reference.conf that holds tinyalloc's keys. */
    private static final String REFERENCE_BLOCK = "tinyalloc";
    private static final String REFERENCE_RESOURCE = "reference.conf";
    /** The key of a block that names which of its sub-blocks is in use. */
    private static final String PROVIDER_KEY = "provider";

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "C", arity = "0..1",
            description = "a tinyalloc.conf; default: the file named by -D" + TinyAlloc.CONFIG_FILE_PROPERTY
                    + ", else the defaults")
    private Path confFile;

    @Override
    public Integer call() {
        Path file = confFile != null ? confFile
                : System.getProperty(TinyAlloc.CONFIG_FILE_PROPERTY) == null ? null
                : Path.of(System.getProperty(TinyAlloc.CONFIG_FILE_PROPERTY));
        if (file != null && !Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file (expected: a tinyalloc.conf file)");
        }
        Config user = file == null ? ConfigFactory.empty("no tinyalloc.conf")
                : ConfigFactory.parseFile(file.toAbsolutePath().toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        String combination;
        try (Allocator allocator = TinyAlloc.create(user)) {   // validates, as the config module reports problems
            combination = allocator.describe();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("configuration: " + (file == null ? "none (the defaults)" : file.toAbsolutePath()));
        out.println("combination: " + combination);
        lines(user, reference()).forEach(out::println);
        return TinyAllocCommand.EXIT_OK;
    }

    /**
     * @param user the keys the user set
     * @param reference the defaults: the {@value #REFERENCE_BLOCK} block of reference.conf
     * @return {@code key = value  # origin}, one per key in use, sorted by key
     */
    static List<String> lines(Config user, Config reference) {
        Config effective = user.withFallback(reference).resolve();
        return effective.entrySet().stream()
                .filter(entry -> selected(effective, entry.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + " = " + render(entry.getValue()) + "  # " + origin(user, entry.getKey(),
                        entry.getValue().origin()))
                .toList();
    }

    private static Config reference() {
        return ConfigFactory.parseResources(ConfigCommand.class.getClassLoader(), REFERENCE_RESOURCE)
                .getConfig(REFERENCE_BLOCK);
    }

    /** False for a key inside the block of a strategy that its parent's {@code provider} does not select. */
    private static boolean selected(Config effective, String path) {
        List<String> keys = ConfigUtil.splitPath(path);
        for (int i = 0; i < keys.size() - 1; i++) {
            String parent = i == 0 ? "" : ConfigUtil.joinPath(keys.subList(0, i));
            String providerPath = parent.isEmpty() ? PROVIDER_KEY : parent + "." + PROVIDER_KEY;
            String block = keys.get(i);
            boolean blockIsObject = effective.getValue(ConfigUtil.joinPath(keys.subList(0, i + 1))).valueType()
                    == ConfigValueType.OBJECT;
            if (blockIsObject && effective.hasPath(providerPath)
                    && !effective.getValue(providerPath).unwrapped().toString().equals(block)) {
                return false;
            }
        }
        return true;
    }

    private static String origin(Config user, String path, ConfigOrigin origin) {
        // A resource is named as such even when the class path has it in a folder (a file URL).
        String location = (origin.resource() != null ? origin.resource()
                : origin.filename() != null ? origin.filename() : origin.description()) + ":" + origin.lineNumber();
        return user.hasPathOrNull(path) ? location : "default (" + location + ")";
    }

    /** A value as a user writes it: strings without quotes (but the empty one), lists in brackets. */
    private static String render(ConfigValue value) {
        if (value instanceof ConfigList list) {
            return list.stream().map(ConfigCommand::render).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value.unwrapped() instanceof String string) {
            return string.isEmpty() ? "\"\"" : string;
        }
        return value.render(ConfigRenderOptions.concise());
    }
}
