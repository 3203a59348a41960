package io.tinyalloc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium and checks that it rendered: every chart decoded,
 * no script error. Skipped when Chromium is not installed ({@code apt-get install chromium}).
 */
class HtmlReportInChromiumTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;

    @Test
    void reportRendersInHeadlessChromiumWithoutScriptErrors(@TempDir Path directory) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is not installed (apt-get install chromium)");
        Report report = Reports.sample();
        Path page = Files.writeString(directory.resolve("report.html"), HtmlReport.render(report));
        Path dom = directory.resolve("dom.html");
        Path log = directory.resolve("chromium.log");

        Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + directory.resolve("profile"), "--enable-logging=stderr", "--v=0",
                "--dump-dom", page.toUri().toString()))
                .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        assertTrue(chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "chromium did not finish");
        String rendered = Files.readString(dom);
        String messages = Files.readString(log);

        assertEquals(0, chromium.exitValue(), messages);
        int charts = HtmlReport.charts(report).size();
        assertTrue(rendered.contains(HtmlReport.RENDERED_ATTRIBUTE + "=\"" + charts + "\""),
                "every chart drawn: " + rendered.substring(0, Math.min(rendered.length(), 400)));
        assertFalse(rendered.matches("(?s).*<html[^>]*" + HtmlReport.SCRIPT_ERRORS_ATTRIBUTE + ".*"),
                "script errors in the page: " + rendered.substring(0, Math.min(rendered.length(), 400)));
        assertFalse(messages.contains("Uncaught"), "script errors on the console:\n" + messages);
    }
}
