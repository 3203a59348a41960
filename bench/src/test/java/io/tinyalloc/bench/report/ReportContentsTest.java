package io.tinyalloc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportContentsTest {

    private static final Pattern CHART = Pattern.compile("<img class=\"chart\" alt=\"([^\"]+)\"[^>]* src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">");

    private final Report report = Reports.sample();

    @Test
    void tableHasEveryWorkloadAndCombinationWithRatiosAndVerdicts() {
        String table = ResultTable.format(report);

        List<String> lines = table.lines().toList();
        assertTrue(lines.getFirst().startsWith("workload   combination     ns/op"), table);
        assertTrue(lines.get(1).matches("batch-64 +baseline:glibc +20\\.0 .* - +- +- .*"), table);
        assertTrue(lines.get(2).matches("batch-64 +fast\\.conf +5\\.0 .*0\\.250x .* faster +1\\.0 MiB +512\\.0 KiB +100\\.5 MiB"), table);
        assertTrue(lines.get(4).startsWith("trace:gcc  fast.conf"), table);
        assertTrue(table.contains("note: a <note> & more"), table);
    }

    @Test
    void htmlHasEveryChartAsAnEmbeddedPngAndNamesEverything() {
        String html = HtmlReport.render(report);

        Matcher charts = CHART.matcher(html);
        int count = 0;
        while (charts.find()) {
            count++;
            assertTrue(charts.group(2).startsWith("iVBORw0KGgo"), "a PNG: " + charts.group(1));
        }
        assertEquals(HtmlReport.charts(report).size(), count, "charts in the page");
        assertEquals(5, count);
        for (String name : Reports.WORKLOADS) {
            assertTrue(html.contains("<td>" + name + "</td>"), name);
        }
        for (String name : Reports.COMBINATIONS) {
            assertTrue(html.contains("<td>" + name + "</td>"), name);
            assertTrue(html.contains("<b>" + name + "</b>"), name);
        }
        assertTrue(html.contains("a &lt;note&gt; &amp; more"), "notes are escaped");
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing is loaded from elsewhere");
        assertTrue(html.contains("setAttribute('data-rendered'"), "the script that marks the page");
    }

    @Test
    void jsonHasEveryRawFigure() {
        Config json = ConfigFactory.parseString(JsonReport.render(report));

        assertEquals("baseline:glibc", json.getString("reference"));
        List<? extends Config> results = json.getConfigList("results");
        assertEquals(4, results.size());
        Config fast = results.get(1);
        assertEquals("batch-64", fast.getString("workload"));
        assertEquals("fast.conf", fast.getString("combination"));
        assertEquals("faster", fast.getString("verdict"));
        assertEquals(0.25, fast.getDouble("ratio.value"), 0.01);
        assertEquals(List.of(5.0, 5.05, 4.95), fast.getConfigList("forks").getFirst().getDoubleList("nsPerOp"));
        assertEquals(1 << 20, fast.getConfigList("forks").get(1).getLong("peakCommittedBytes"));
        assertFalse(results.getFirst().hasPath("ratio"), "the reference has no ratio");
    }
}
