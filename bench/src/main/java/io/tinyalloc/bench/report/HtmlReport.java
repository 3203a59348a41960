package io.tinyalloc.bench.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The report as one self-contained HTML page: the charts as embedded PNG images, the results
 * table, the combinations and the notes. It loads nothing from elsewhere, so it opens offline.
 *
 * <p>A script marks the page once its images have loaded: {@code <body data-rendered="N">}, N
 * the number of charts drawn; a script error anywhere sets {@code data-script-errors} on the
 * root element instead. A headless browser can check both.
 */
public final class HtmlReport {

    /** The attribute that the page's script sets on {@code <body>} once every chart is drawn. */
    public static final String RENDERED_ATTRIBUTE = "data-rendered";
    /** The attribute that the page's script sets on {@code <html>} when a script fails. */
    public static final String SCRIPT_ERRORS_ATTRIBUTE = "data-script-errors";
    /** The class of each chart's image. */
    public static final String CHART_CLASS = "chart";

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
            h1{font-size:1.5em}table{border-collapse:collapse;font-size:.9em;margin:1em 0}
            th,td{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:right}
            th:nth-child(-n+2),td:nth-child(-n+2),td:nth-child(7){text-align:left}
            td.faster{color:#006400}td.slower{color:#a00000}
            img.chart{max-width:100%;height:auto;display:block;margin:1em 0}
            code{background:#f4f4f4;padding:0 .2em}.meta{color:#555}
            """;

    /** Counts the charts that decoded, and marks the page; errors are recorded, not thrown. */
    private static final String SCRIPT = """
            window.addEventListener('load', function () {
              var charts = document.querySelectorAll('img.chart');
              var drawn = 0;
              for (var i = 0; i < charts.length; i++) {
                if (charts[i].complete && charts[i].naturalWidth > 0) { drawn++; }
              }
              document.body.setAttribute('data-rendered', String(drawn));
            });
            """;
    private static final String ERROR_TRAP = """
            window.addEventListener('error', function (event) {
              var root = document.documentElement;
              root.setAttribute('data-script-errors', (root.getAttribute('data-script-errors') || '') + event.message + ';');
            });
            """;

    private HtmlReport() {
    }

    /**
     * @param report the report
     * @return the page
     */
    public static String render(Report report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>tinyalloc comparison: ").append(escape(labels(report))).append("</title>\n")
                .append("<script>").append(ERROR_TRAP).append("</script>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>tinyalloc comparison</h1>\n")
                .append("<p class=\"meta\"><code>").append(escape(report.command())).append("</code><br>")
                .append(escape(report.date().toString())).append(" &middot; ").append(escape(report.machine()))
                .append("<br>").append(escape(report.settings())).append("</p>\n");
        combinations(html, report);
        notes(html, report);
        for (Chart<?, ?> chart : charts(report)) {
            html.append("<img class=\"").append(CHART_CLASS).append("\" alt=\"").append(escape(chart.getTitle()))
                    .append("\" width=\"").append(Charts.WIDTH_PIXELS).append("\" height=\"").append(Charts.HEIGHT_PIXELS)
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(Charts.png(chart)))
                    .append("\">\n");
        }
        table(html, report);
        html.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    /** @return the charts the page shows, in order */
    static List<Chart<?, ?>> charts(Report report) {
        List<Chart<?, ?>> charts = new ArrayList<>();
        charts.add(Charts.nanosPerOp(report));
        if (report.combinations().size() > 1) {
            charts.add(Charts.ratios(report));
        }
        charts.add(Charts.memory(report, "Peak committed (median over forks)", MemoryFigures::peakCommittedBytes));
        charts.add(Charts.memory(report, "Committed after everything was freed and the purge delay passed",
                MemoryFigures::settledCommittedBytes));
        charts.add(Charts.memory(report, "Fork RSS peak (VmHWM, whole JVM)", MemoryFigures::rssPeakBytes));
        return charts;
    }

    private static void combinations(StringBuilder html, Report report) {
        html.append("<h2>Combinations</h2>\n<ul>\n");
        for (Combination combination : report.combinations()) {
            html.append("<li><b>").append(escape(combination.label())).append("</b>: ")
                    .append(escape(combination.description())).append(" <span class=\"meta\">(committed: ")
                    .append(escape(combination.committedSource())).append(")</span></li>\n");
        }
        html.append("</ul>\n<h2>Workloads</h2>\n<ul>\n");
        for (Report.WorkloadInfo workload : report.workloads()) {
            html.append("<li><b>").append(escape(workload.name())).append("</b>: ")
                    .append(escape(workload.description())).append("</li>\n");
        }
        html.append("</ul>\n");
    }

    private static void notes(StringBuilder html, Report report) {
        for (String note : report.notes()) {
            html.append("<p><b>Note:</b> ").append(escape(note)).append("</p>\n");
        }
    }

    private static void table(StringBuilder html, Report report) {
        html.append("<h2>Results</h2>\n<table>\n<tr><th>workload</th><th>combination</th><th>ns/op</th><th>95% CI</th>")
                .append("<th>ratio to ").append(escape(report.reference().label())).append("</th><th>95% CI</th>")
                .append("<th>verdict</th><th>peak committed</th><th>settled committed</th><th>fork RSS peak</th>")
                .append("<th>forks</th></tr>\n");
        for (Summary summary : report.summaries()) {
            boolean hasRatio = summary.ratio() != null;
            String verdict = hasRatio ? summary.verdict().toString() : "reference";
            html.append("<tr><td>").append(escape(summary.workload())).append("</td><td>")
                    .append(escape(summary.combination().label())).append("</td><td>")
                    .append(Units.nanos(summary.nanosPerOp().value())).append("</td><td>")
                    .append(Units.nanos(summary.nanosPerOp().interval())).append("</td><td>")
                    .append(hasRatio ? Units.ratio(summary.ratio().value()) : "-").append("</td><td>")
                    .append(hasRatio ? Units.ratio(summary.ratio().interval()) : "-").append("</td><td class=\"")
                    .append(hasRatio ? summary.verdict().name().toLowerCase(java.util.Locale.ROOT) : "").append("\">")
                    .append(escape(verdict)).append("</td><td>")
                    .append(Units.bytes(summary.memory().peakCommittedBytes())).append("</td><td>")
                    .append(Units.bytes(summary.memory().settledCommittedBytes())).append("</td><td>")
                    .append(Units.bytes(summary.memory().rssPeakBytes())).append("</td><td>")
                    .append(summary.forkCount()).append("</td></tr>\n");
        }
        html.append("</table>\n<p class=\"meta\">ns/op: the median of every measured iteration of every fork; 95% CI:")
                .append(" a two-level percentile bootstrap over forks and their iterations (")
                .append(Statistics.RESAMPLES).append(" resamples, fixed seed). A verdict is given only when the")
                .append(" ratio's interval excludes 1.</p>\n");
    }

    private static String labels(Report report) {
        return String.join(" vs ", report.combinations().stream().map(Combination::label).toList());
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
