package io.tinyalloc.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart: per workload, each combination's median ns/op as a
 * dot with its confidence interval as a whisker; the same for the ratio to the reference; and
 * the memory figures as grouped bars.
 */
final class Charts {

    static final int WIDTH_PIXELS = 1200;
    static final int HEIGHT_PIXELS = 440;
    /** How far apart the dots of one workload are, as a fraction of the distance between workloads. */
    private static final double DODGE = 0.12;
    /** Half the space given to each workload on the x axis. */
    private static final double HALF_SLOT = 0.5;
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;
    private static final float WHISKER_WIDTH = 2.5f;
    private static final Color REFERENCE_LINE = Color.GRAY;
    /** Colour-blind-safe (Okabe and Ito), one per combination, repeating beyond eight. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)};

    private Charts() {
    }

    /** @return the median ns/op of every combination on every workload, with whiskers, on a log scale */
    static XYChart nanosPerOp(Report report) {
        XYChart chart = intervalChart(report, "Time per operation (median, 95% CI)", "ns/op (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        List<Summary> summaries = report.summaries();
        for (int c = 0; c < report.combinations().size(); c++) {
            Combination combination = report.combinations().get(c);
            List<Summary> mine = summaries.stream().filter(s -> s.combination().equals(combination)).toList();
            addDotsAndWhiskers(chart, report, combination.label(), c, mine, Summary::nanosPerOp);
        }
        return chart;
    }

    /** @return the ratio of each combination to the reference on every workload, with whiskers */
    static XYChart ratios(Report report) {
        // Log scale: a ratio of 2 and one of 1/2 are as far from 1, and baselines 1000 times slower
        // do not flatten the ones that are close.
        XYChart chart = intervalChart(report, "Ratio to " + report.reference().label() + " (median, 95% CI; below 1: faster)",
                "ratio (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        List<Summary> summaries = report.summaries();
        for (int c = 1; c < report.combinations().size(); c++) {
            Combination combination = report.combinations().get(c);
            List<Summary> mine = summaries.stream()
                    .filter(s -> s.combination().equals(combination) && s.ratio() != null).toList();
            addDotsAndWhiskers(chart, report, combination.label(), c, mine, Summary::ratio);
        }
        XYSeries one = chart.addSeries("1 (" + report.reference().label() + ")",
                new double[] {-HALF_SLOT, report.workloads().size() - HALF_SLOT}, new double[] {1, 1});
        one.setMarker(SeriesMarkers.NONE).setLineColor(REFERENCE_LINE).setShowInLegend(false);
        return chart;
    }

    /** @return one memory figure, in MiB, as bars grouped by workload */
    static CategoryChart memory(Report report, String title, ToLongFunction<MemoryFigures> figure) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH_PIXELS).height(HEIGHT_PIXELS)
                .title(title).xAxisTitle("workload").yAxisTitle("MiB").build();
        style(chart);
        List<String> workloads = report.workloads().stream().map(Report.WorkloadInfo::name).toList();
        List<Summary> summaries = report.summaries();
        for (int c = 0; c < report.combinations().size(); c++) {
            Combination combination = report.combinations().get(c);
            List<Double> mebibytes = workloads.stream()
                    .map(workload -> summaries.stream()
                            .filter(s -> s.workload().equals(workload) && s.combination().equals(combination))
                            .mapToLong(s -> figure.applyAsLong(s.memory()))
                            .filter(bytes -> bytes != MemoryFigures.UNKNOWN)
                            .mapToDouble(bytes -> bytes / BYTES_PER_MIB)
                            .findFirst().orElse(0))
                    .toList();
            chart.addSeries(combination.label(), workloads, mebibytes).setFillColor(color(c));
        }
        return chart;
    }

    /**
     * @param chart a chart
     * @return it as a PNG image
     */
    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart " + chart.getTitle(), e);
        }
    }

    private static XYChart intervalChart(Report report, String title, String yAxisTitle) {
        List<String> workloads = report.workloads().stream().map(Report.WorkloadInfo::name).toList();
        // XChart places the ticks of a numeric axis itself: workloads sit at 0, 1, 2 ... and the
        // axis title says which is which.
        StringBuilder xAxisTitle = new StringBuilder("workload:");
        for (int i = 0; i < workloads.size(); i++) {
            xAxisTitle.append(i == 0 ? " " : ", ").append(i).append(" = ").append(workloads.get(i));
        }
        XYChart chart = new XYChartBuilder().width(WIDTH_PIXELS).height(HEIGHT_PIXELS)
                .title(title).xAxisTitle(xAxisTitle.toString()).yAxisTitle(yAxisTitle).build();
        style(chart);
        chart.getStyler().setXAxisMin(-HALF_SLOT).setXAxisMax(workloads.size() - HALF_SLOT);
        return chart;
    }

    private static void style(Chart<?, ?> chart) {
        // Beside the plot, one combination a line: a row under it cuts off beyond five or six.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setLegendLayout(Styler.LegendLayout.Vertical)
                .setChartBackgroundColor(Color.WHITE);
    }

    private static void addDotsAndWhiskers(XYChart chart, Report report, String label, int combinationIndex,
            List<Summary> summaries, Function<Summary, Statistics.Estimate> estimate) {
        if (summaries.isEmpty()) {
            return;
        }
        Color color = color(combinationIndex);
        double offset = (combinationIndex - (report.combinations().size() - 1) / 2.0) * DODGE;
        double[] xs = new double[summaries.size()];
        double[] medians = new double[summaries.size()];
        for (int i = 0; i < summaries.size(); i++) {
            Summary summary = summaries.get(i);
            xs[i] = workloadIndex(report, summary.workload()) + offset;
            medians[i] = estimate.apply(summary).value();
            Statistics.Interval interval = estimate.apply(summary).interval();
            XYSeries whisker = chart.addSeries(label + " " + summary.workload() + " 95% CI",
                    new double[] {xs[i], xs[i]}, new double[] {interval.low(), interval.high()});
            whisker.setMarker(SeriesMarkers.NONE).setLineColor(color).setLineStyle(new BasicStroke(WHISKER_WIDTH))
                    .setShowInLegend(false);
        }
        XYSeries dots = chart.addSeries(label, xs, medians);
        dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter)
                .setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color);
    }

    private static int workloadIndex(Report report, String workload) {
        for (int i = 0; i < report.workloads().size(); i++) {
            if (report.workloads().get(i).name().equals(workload)) {
                return i;
            }
        }
        throw new IllegalArgumentException("workload " + workload + " is not in the report");
    }

    private static Color color(int combinationIndex) {
        return PALETTE[combinationIndex % PALETTE.length];
    }
}
