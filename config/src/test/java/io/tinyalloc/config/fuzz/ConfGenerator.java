package io.tinyalloc.config.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Writes a {@code tinyalloc.conf} from fuzzer data: most keys valid, so that validation runs
 * deep, and a few edits that break them the ways people do (a value out of range or in the wrong
 * unit, the wrong type, a misspelt key, a key in the wrong block, a substitution, an unknown
 * provider block, a key set twice).
 *
 * <p>The keys are those of tinyalloc's {@code reference.conf}, read when the test runs, so that a
 * key added there is fuzzed without touching this class. Values are chosen by the kind of the
 * default: a memory size, a duration, a list of sizes, a switch, a provider name.
 *
 * <p>{@code trace.file} only ever names a file in the scratch folder (or one whose folder is
 * missing, or the folder itself): tinyalloc creates or empties that file.
 */
final class ConfGenerator {

    private static final String TRACE_FILE = "trace.file";
    private static final String PROVIDER = ".provider";
    private static final String PLATFORM_PROVIDER = "platform" + PROVIDER;
    private static final int MAX_EDITS = 6;
    private static final int MAX_TEXT_LENGTH = 12;
    private static final int MAX_LIST_LENGTH = 6;
    private static final int MAX_SHIFT = 40;
    /** Lists of sizes start between 1 KiB and 256 KiB: around the OS page size and the page sizes. */
    private static final int MIN_PAGE_SHIFT = 10;
    private static final int MAX_PAGE_SHIFT = 18;

    /** tinyalloc's block of every {@code reference.conf} on the class path: every key, with its default. */
    private static final Config REFERENCE = ConfigFactory
            .parseResources(ConfGenerator.class.getClassLoader(), "reference.conf").getConfig("tinyalloc");
    /** Every leaf path of the reference, such as {@code purge.delayed.delay}. */
    private static final List<String> LEAVES = REFERENCE.entrySet().stream().map(Map.Entry::getKey).sorted().toList();
    /** Every block path of the reference, such as {@code purge} and {@code size-classes.tinyalloc32}. */
    private static final List<String> BLOCKS = blocks(REFERENCE);

    /** Providers that can be used here, by kind; the platform is always the counting one. */
    private static final Map<String, List<String>> USABLE_PROVIDERS = Map.of(
            "platform", List.of(CountingPlatformProvider.NAME),
            "size-classes", List.of("jemalloc", "mimalloc", "tinyalloc32"),
            "page-lookup", List.of("masking", "radix"),
            "purge", List.of("delayed", "immediate", "none"));
    /**
     * Provider names of each kind, usable or not: other platforms, names that are misspelt, ambiguous
     * (two test fakes share {@code test-duplicate}) or unsupported here, and the test fakes.
     */
    private static final Map<String, List<String>> PROVIDER_NAMES = Map.of(
            "platform", List.of(CountingPlatformProvider.NAME, "auto", "linux", "macos", "windows", "test-unsupported"),
            "size-classes", List.of("jemalloc", "mimalloc", "tinyalloc32", "custom", "test-duplicate", "jemaloc"),
            "page-lookup", List.of("masking", "radix", "mask", "test-fake"),
            "purge", List.of("delayed", "immediate", "none", "decay", "test-delayed"));
    private static final List<String> SIZE_UNITS = List.of("", " B", " KiB", " MiB", " GiB", " TiB", " k", " K", " kB",
            " M", " bytes", "KiB", " x", " KiBs", " PiB");
    private static final List<String> DURATION_UNITS = List.of(" ns", " us", " ms", " s", " m", " h", " d", "", " x",
            "ms", " seconds", " weeks");
    private static final List<String> SWITCHES = List.of("on", "off", "true", "false", "yes", "no", "\"on\"", "1", "maybe");
    /** Values that sit on the edges of every parser: other types, overflows, empty things. */
    private static final List<String> TRICKY = List.of("null", "\"\"", "{}", "[]", "[[]]", "[null]", "{ a = 1 }", "0",
            "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e400", "-0.5", "NaN",
            "\"Infinity\"", "1.5 KiB", "auto", "true", "\"4 MiB\"", "4 MiB 5", "\"1e300 d\"", "${?NO_SUCH_VARIABLE}");

    private final FuzzedDataProvider data;
    private final Path scratch;
    /** The lines of the file, as path = value, in order; a path may appear twice. */
    private final List<Map.Entry<String, String>> lines = new ArrayList<>();

    ConfGenerator(FuzzedDataProvider data, Path scratch) {
        this.data = data;
        this.scratch = scratch;
    }

    /** @return the text of the file */
    String conf() {
        // First, so that an edit may still replace it; left to auto, the counting platform would make auto ambiguous.
        set(PLATFORM_PROVIDER, CountingPlatformProvider.NAME);
        int validKeys = data.consumeInt(0, LEAVES.size());
        for (int i = 0; i < validKeys; i++) {
            String path = pick(LEAVES);
            set(path, validValue(path));
        }
        int edits = data.consumeInt(0, MAX_EDITS);
        for (int i = 0; i < edits; i++) {
            edit();
        }
        return render();
    }

    // ------------------------------------------------------------------ edits

    private void edit() {
        String path = pick(LEAVES);
        switch (data.consumeInt(0, 8)) {
            case 0 -> set(path, validValue(path));
            case 1 -> set(path, brokenValue(path));
            case 2 -> set(path, pick(TRICKY));
            case 3 -> set(misspelt(path), validValue(path));
            case 4 -> set(pick(BLOCKS) + "." + lastSegment(path), validValue(path));
            case 5 -> set(path, "${" + pick(LEAVES) + "}");
            case 6 -> set(block(path) + "." + quoted(text()) + "." + lastSegment(path), validValue(path));
            case 7 -> set(pick(BLOCKS), pick(TRICKY));
            default -> set(quoted(text()), validValue(path));
        }
    }

    private void set(String path, String value) {
        lines.add(Map.entry(path, path.equals(TRACE_FILE) || value.contains(TRACE_FILE) ? traceFile() : value));
    }

    private String misspelt(String path) {
        List<String> segments = new ArrayList<>(ConfigUtil.splitPath(path));
        int index = data.consumeInt(0, segments.size() - 1);
        StringBuilder segment = new StringBuilder(segments.get(index));
        int at = data.consumeInt(0, segment.length() - 1);
        switch (data.consumeInt(0, 3)) {
            case 0 -> segment.deleteCharAt(at);
            case 1 -> segment.insert(at, data.consumeChar());
            case 2 -> segment.setCharAt(at, data.consumeChar());
            default -> {
                if (at + 1 < segment.length()) {
                    char swapped = segment.charAt(at);
                    segment.setCharAt(at, segment.charAt(at + 1));
                    segment.setCharAt(at + 1, swapped);
                }
            }
        }
        segments.set(index, segment.toString());
        return ConfigUtil.joinPath(segments);
    }

    // ------------------------------------------------------------------ values by kind

    private String validValue(String path) {
        ConfigValue reference = REFERENCE.getValue(path);
        if (path.equals(TRACE_FILE)) {
            return traceFile();
        }
        if (path.endsWith(PROVIDER)) {
            return pick(USABLE_PROVIDERS.getOrDefault(block(path), List.of(render(reference))));
        }
        return switch (kindOf(reference)) {
            case SIZE -> powerOfTwoSize();
            case DURATION -> data.consumeInt(0, 1000) + pick(List.of(" ms", " s", " us"));
            case SIZE_LIST -> sizeList(true);
            case SWITCH -> pick(List.of("on", "off"));
            case OTHER -> render(reference);
        };
    }

    private String brokenValue(String path) {
        ConfigValue reference = REFERENCE.getValue(path);
        if (path.endsWith(PROVIDER)) {
            return pick(PROVIDER_NAMES.getOrDefault(block(path), List.of(text())));
        }
        return switch (kindOf(reference)) {
            case SIZE -> anySize();
            case DURATION -> data.consumeLong() + pick(DURATION_UNITS);
            case SIZE_LIST -> sizeList(false);
            case SWITCH -> pick(SWITCHES);
            // A word such as auto, off or sampled; its key may also take a number or a size (limit = off | 512 MiB).
            case OTHER -> switch (data.consumeInt(0, 2)) {
                case 0 -> quoted(text());
                case 1 -> powerOfTwoSize();
                default -> anySize();
            };
        };
    }

    private String powerOfTwoSize() {
        return (1L << data.consumeInt(0, 10)) + pick(List.of(" KiB", " MiB"));
    }

    private String anySize() {
        long amount = switch (data.consumeInt(0, 2)) {
            case 0 -> 1L << data.consumeInt(0, MAX_SHIFT);
            case 1 -> (1L << data.consumeInt(0, MAX_SHIFT)) + data.consumeInt(-1, 1);
            default -> data.consumeLong();
        };
        return amount + pick(SIZE_UNITS);
    }

    private String sizeList(boolean ascendingPowersOfTwo) {
        int length = data.consumeInt(0, MAX_LIST_LENGTH);
        int shift = data.consumeInt(MIN_PAGE_SHIFT, MAX_PAGE_SHIFT);
        return IntStream.range(0, length)
                .mapToObj(i -> ascendingPowersOfTwo ? (1L << (shift + 2 * i)) + " B" : anySize())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private String traceFile() {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> ConfigUtil.quoteString(scratch.resolve("fuzz.trace").toString());
            case 1 -> ConfigUtil.quoteString(scratch.resolve("no-such-folder/fuzz.trace").toString());
            case 2 -> ConfigUtil.quoteString(scratch.toString());
            case 3 -> pick(List.of("5", "{}", "[]", "null"));
            default -> "\"\"";
        };
    }

    private enum Kind { SIZE, DURATION, SIZE_LIST, SWITCH, OTHER }

    /** The kind of a reference value, found by parsing it as each. */
    private static Kind kindOf(ConfigValue reference) {
        Config probe = ConfigFactory.empty().withValue("v", reference);
        if (reference.valueType() == ConfigValueType.LIST) {
            return Kind.SIZE_LIST;
        }
        if (reference.valueType() == ConfigValueType.BOOLEAN
                || reference.valueType() == ConfigValueType.STRING && SWITCHES.contains((String) reference.unwrapped())) {
            return Kind.SWITCH;
        }
        if (succeeds(() -> probe.getMemorySize("v"))) {
            return Kind.SIZE;
        }
        if (succeeds(() -> probe.getDuration("v"))) {
            return Kind.DURATION;
        }
        return Kind.OTHER;
    }

    private static boolean succeeds(Runnable read) {
        try {
            read.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ text

    /** Renders the lines, each as a dotted path, or every few as a nested block. */
    private String render() {
        Map<String, List<String>> byFirstSegment = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        boolean nest = data.consumeBoolean();
        for (Map.Entry<String, String> line : lines) {
            List<String> segments = ConfigUtil.splitPath(line.getKey());
            if (nest && segments.size() > 1) {
                byFirstSegment.computeIfAbsent(ConfigUtil.joinPath(segments.getFirst()), first -> new ArrayList<>())
                        .add(ConfigUtil.joinPath(segments.subList(1, segments.size())) + " = " + line.getValue());
            } else {
                text.append(line.getKey()).append(" = ").append(line.getValue()).append('\n');
            }
        }
        byFirstSegment.forEach((block, inner) ->
                text.append(block).append(" {\n  ").append(String.join("\n  ", inner)).append("\n}\n"));
        return text.toString();
    }

    private static String render(ConfigValue value) {
        return value.render(ConfigRenderOptions.concise());
    }

    private String text() {
        return data.consumeString(MAX_TEXT_LENGTH);
    }

    private static String quoted(String pathOrKey) {
        return ConfigUtil.quoteString(pathOrKey);
    }

    private <T> T pick(List<T> choices) {
        return choices.get(data.consumeInt(0, choices.size() - 1));
    }

    private static String block(String path) {
        List<String> segments = ConfigUtil.splitPath(path);
        return segments.size() == 1 ? segments.getFirst() : ConfigUtil.joinPath(segments.subList(0, segments.size() - 1));
    }

    private static String lastSegment(String path) {
        return ConfigUtil.joinPath(ConfigUtil.splitPath(path).getLast());
    }

    private static List<String> blocks(Config reference) {
        return reference.entrySet().stream().map(Map.Entry::getKey)
                .flatMap(path -> {
                    List<String> segments = ConfigUtil.splitPath(path);
                    return IntStream.range(1, segments.size()).mapToObj(n -> ConfigUtil.joinPath(segments.subList(0, n)));
                })
                .distinct().sorted().toList();
    }
}
