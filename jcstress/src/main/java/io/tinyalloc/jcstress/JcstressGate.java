package io.tinyalloc.jcstress;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the jcstress tests of this module and turns their verdict into an exit status, for
 * {@code mvn test}.
 *
 * <p>jcstress itself ends with an error when a test saw a FORBIDDEN outcome or failed, but exits
 * normally when a test could not run at all (its sanity check threw, for example because the
 * engine could not be built): it counts that a "soft error" and skips the test. This gate also
 * fails then: it reads jcstress's final progress line and exits with 1 unless every planned test
 * configuration passed.
 *
 * <p>Arguments: the mode, the report folder, then any further jcstress options. The mode is
 * {@value #CI_MODE} (one JVM configuration and one short iteration per test: the CI run) or one of
 * jcstress's presets ({@code sanity}, {@code quick}, {@code default}, {@code tough},
 * {@code stress}), which run every JVM and compilation configuration jcstress knows.
 */
public final class JcstressGate {

    /** The short run CI makes: one fork, one iteration of {@value #CI_ITERATION_MILLIS} ms, one JVM configuration. */
    static final String CI_MODE = "ci";
    static final int CI_ITERATION_MILLIS = 1000;
    /** Every forked JVM makes FFM downcalls. */
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** jcstress's progress line, printed last with the final counts. */
    private static final Pattern RESULTS = Pattern.compile(
            "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
    private static final int FAILED = 1;
    private static final int USAGE = 2;

    private JcstressGate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: JcstressGate MODE REPORT_DIR [jcstress options...]"
                    + " (MODE: " + CI_MODE + ", sanity, quick, default, tough or stress)");
            System.exit(USAGE);
        }
        String[] jcstressArgs = jcstressArgs(args[0], args[1], Arrays.copyOfRange(args, 2, args.length));
        System.out.println("jcstress " + String.join(" ", jcstressArgs));
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(new Tee(console, copy), true, Charset.defaultCharset()));
        try {
            org.openjdk.jcstress.Main.main(jcstressArgs);
        } catch (AssertionError e) {
            // jcstress's own verdict: a FORBIDDEN outcome or an error; it lists the tests
            console.println("jcstress: " + e.getMessage());
            System.exit(FAILED);
        } finally {
            System.setOut(console);
        }
        String problem = problemWith(copy.toString(Charset.defaultCharset()));
        if (problem != null) {
            console.println("jcstress: " + problem + " (report: " + args[1] + "/index.html)");
            System.exit(FAILED);
        }
    }

    static String[] jcstressArgs(String mode, String reportDir, String[] extra) {
        List<String> result = new ArrayList<>();
        if (CI_MODE.equals(mode)) {
            // -jvmArgs turns off jcstress's search of JVM flag combinations: one configuration per test.
            result.addAll(List.of("-jvmArgs", NATIVE_ACCESS, "-sc", "false", "-f", "1", "-iters", "1",
                    "-time", String.valueOf(CI_ITERATION_MILLIS)));
        } else {
            result.addAll(List.of("-m", mode, "-jvmArgsPrepend", NATIVE_ACCESS));
        }
        result.addAll(List.of("-r", reportDir));
        for (String arg : extra) {
            if (!arg.isBlank()) {
                result.add(arg);
            }
        }
        return result.toArray(String[]::new);
    }

    /** Returns why the run does not pass, from its final counts, or null if every configuration passed. */
    static String problemWith(String output) {
        Matcher matcher = RESULTS.matcher(output);
        String last = null;
        long planned = 0;
        long passed = 0;
        while (matcher.find()) {
            last = matcher.group();
            planned = Long.parseLong(matcher.group(1));
            passed = Long.parseLong(matcher.group(2));
        }
        if (last == null) {
            return "no results line in jcstress's output (expected: \"(Results: N planned; N passed, ...)\")";
        }
        if (planned == 0 || passed != planned) {
            return "not every test configuration passed: " + last
                    + " (expected: all planned passed; a soft error is a test that could not run)";
        }
        return null;
    }

    /** Writes to the console and keeps a copy, so that the final counts can be read. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
