package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** SVG charts of a journey's results, drawn with XChart. */
final class Charts {
    private Charts() {
    }

    static List<Path> write(Results results, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        List<Results.Summary> summaries = results.summaries();
        List<String> scenarios = summaries.stream().map(Results.Summary::scenario).distinct().toList();
        for (String scenario : scenarios) {
            int idle = results.maxIdle(scenario);
            List<Results.Summary> rows = summaries.stream()
                    .filter(s -> s.scenario().equals(scenario) && s.idle() == (scenario.equals("c10k") ? idle : 0)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            written.add(save(throughput(scenario, idle, rows), dir.resolve("throughput-" + scenario + ".svg")));
            written.add(save(latency(scenario, results, rows), dir.resolve("latency-" + scenario + ".svg")));
            List<Results.Cost> costs = rows.stream().map(r -> results.cost(scenario, r.server())).filter(c -> c != null).toList();
            if (!costs.isEmpty()) {
                written.add(save(syscalls(scenario, costs), dir.resolve("syscalls-" + scenario + ".svg")));
                written.add(save(cpu(scenario, costs), dir.resolve("cpu-" + scenario + ".svg")));
            }
        }
        if (summaries.stream().anyMatch(s -> s.scenario().equals("c10k"))) {
            written.add(save(c10k(summaries), dir.resolve("c10k.svg")));
        }
        return written;
    }

    private static CategoryChart throughput(String scenario, int idle, List<Results.Summary> rows) {
        CategoryChart c = base("Throughput, " + scenario + (scenario.equals("c10k") ? " (" + idle + " idle)" : "") + ": median of rounds",
                "server", "requests per second");
        List<String> servers = rows.stream().map(Results.Summary::server).toList();
        c.addSeries("median req/s", servers, rows.stream().map(r -> (Number) r.median()).toList());
        for (String peer : List.of("nginx", "floor")) {
            rows.stream().filter(r -> r.server().equals(peer)).findFirst().ifPresent(p -> {
                CategorySeries line = c.addSeries(peer, servers, Collections.nCopies(servers.size(), (Number) p.median()));
                line.setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
            });
        }
        return c;
    }

    private static CategoryChart latency(String scenario, Results results, List<Results.Summary> rows) {
        CategoryChart c = base("Latency percentiles, " + scenario + " (median of rounds)", "server", "microseconds (log)");
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setOverlapped(false);
        c.getStyler().setYAxisMin(1.0); // bars start from the axis minimum, which a log axis cannot put at zero
        List<String> servers = rows.stream().map(Results.Summary::server).toList();
        Map<String, java.util.function.ToLongFunction<WrkResult>> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", WrkResult::p50);
        percentiles.put("p90", WrkResult::p90);
        percentiles.put("p99", WrkResult::p99);
        percentiles.put("p99.9", WrkResult::p999);
        int idle = results.maxIdle(scenario);
        percentiles.forEach((name, f) -> c.addSeries(name, servers, servers.stream().map(server -> (Number) Math.max(1, Results.median(
                results.runs.stream().filter(r -> r.scenario().equals(scenario) && r.server().equals(server)
                                && r.idle() == (scenario.equals("c10k") ? idle : 0))
                        .map(r -> (double) f.applyAsLong(r.wrk())).toList()))).toList()));
        return c;
    }

    /** Stacked by system call name: the eight most frequent overall, the rest as "other". */
    private static CategoryChart syscalls(String scenario, List<Results.Cost> costs) {
        CategoryChart c = base("System calls per request, " + scenario + " (strace -f -c)", "server", "calls per request");
        c.getStyler().setStacked(true);
        Map<String, Double> total = new LinkedHashMap<>();
        for (Results.Cost cost : costs) {
            cost.syscalls().forEach((k, v) -> total.merge(k, v / (double) Math.max(1, cost.syscallRequests()), Double::sum));
        }
        List<String> top = total.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(8).map(Map.Entry::getKey).toList();
        List<String> servers = costs.stream().map(Results.Cost::server).toList();
        for (String name : top) {
            c.addSeries(name, servers, costs.stream().map(cost ->
                    (Number) (cost.syscalls().getOrDefault(name, 0L) / (double) Math.max(1, cost.syscallRequests()))).toList());
        }
        c.addSeries("other", servers, costs.stream().map(cost -> (Number) cost.syscalls().entrySet().stream()
                .filter(e -> !top.contains(e.getKey())).mapToDouble(e -> e.getValue() / (double) Math.max(1, cost.syscallRequests())).sum()).toList());
        return c;
    }

    private static CategoryChart cpu(String scenario, List<Results.Cost> costs) {
        CategoryChart c = base("Server CPU time per request, " + scenario + " (utime + stime)", "server", "CPU microseconds per request");
        c.addSeries("CPU us/request", costs.stream().map(Results.Cost::server).toList(),
                costs.stream().map(cost -> (Number) cost.cpuMicrosPerRequest()).toList());
        return c;
    }

    private static XYChart c10k(List<Results.Summary> summaries) {
        XYChart c = new XYChartBuilder().width(800).height(480).title("c10k: throughput with N idle connections, as a fraction of N = 0")
                .xAxisTitle("idle keep-alive connections").yAxisTitle("fraction of throughput with none").build();
        style(c.getStyler());
        c.getStyler().setYAxisMin(0.0);
        summaries.stream().filter(s -> s.scenario().equals("c10k")).map(Results.Summary::server).distinct().forEach(server -> {
            List<Results.Summary> mine = summaries.stream().filter(s -> s.scenario().equals("c10k") && s.server().equals(server)).toList();
            double base = mine.stream().filter(s -> s.idle() == 0).mapToDouble(Results.Summary::median).findFirst().orElse(Double.NaN);
            if (!Double.isNaN(base) && base > 0) {
                c.addSeries(server, mine.stream().map(s -> (Number) s.idle()).toList(), mine.stream().map(s -> (Number) (s.median() / base)).toList());
            }
        });
        return c;
    }

    private static CategoryChart base(String title, String x, String y) {
        CategoryChart c = new CategoryChartBuilder().width(800).height(480).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(c.getStyler());
        c.getStyler().setOverlapped(true);
        c.getStyler().setXAxisLabelRotation(20);
        return c;
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        VectorGraphicsEncoder.saveVectorGraphic(chart, file.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return file;
    }
}
