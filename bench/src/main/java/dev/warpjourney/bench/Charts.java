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
    private Charts() {}

    static List<Path> write(Results results, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        List<Summary> summaries = results.summaries();
        List<String> scenarios =
                summaries.stream().map(Summary::scenario).distinct().toList();
        for (String scenario : scenarios) {
            int idle = results.maxIdle(scenario);
            List<Summary> rows = summaries.stream()
                    .filter(s -> s.scenario().equals(scenario) && s.idle() == (idleCurve(scenario) ? idle : 0))
                    .toList();
            if (rows.isEmpty()) {
                continue;
            }
            written.add(save(throughput(scenario, idle, rows), dir.resolve("throughput-" + scenario + ".svg")));
            written.add(save(latency(scenario, results, rows), dir.resolve("latency-" + scenario + ".svg")));
            List<Summary> traced = rows.stream()
                    .filter(r -> !results.costs(scenario, r.server()).isEmpty())
                    .toList();
            if (!traced.isEmpty()) {
                written.add(save(syscalls(scenario, results, traced), dir.resolve("syscalls-" + scenario + ".svg")));
            }
            List<Summary> timed = rows.stream()
                    .filter(r -> !Double.isNaN(r.cpuMicrosPerRequest().median()))
                    .toList();
            if (!timed.isEmpty()) {
                written.add(save(cpu(scenario, timed), dir.resolve("cpu-" + scenario + ".svg")));
            }
        }
        if (summaries.stream().anyMatch(s -> idleCurve(s.scenario()))) {
            written.add(save(c10k(summaries), dir.resolve("c10k.svg")));
        }
        List<Scaling.Row> scaling = results.scalingRows();
        for (String scenario :
                scaling.stream().map(Scaling.Row::scenario).distinct().toList()) {
            XYChart chart = scaling(
                    scenario,
                    scaling.stream().filter(r -> r.scenario().equals(scenario)).toList());
            if (chart != null) {
                written.add(save(chart, dir.resolve("scaling-" + scenario + ".svg")));
            }
        }
        return written;
    }

    /**
     * The multicore run: gain against loop count, one line per design of stage 03 and one for nginx,
     * beside the line of linear scaling (N loops, N times the throughput). Null when no design has a gain.
     */
    static XYChart scaling(String scenario, List<Scaling.Row> rows) {
        List<String> designs =
                new ArrayList<>(Design.MULTICORE.stream().map(Design::label).toList());
        designs.add(Peer.NGINX.label());
        List<Scaling.Row> plotted = rows.stream()
                .filter(r -> designs.contains(r.design()) && !Double.isNaN(r.gain()))
                .toList();
        if (plotted.isEmpty()) {
            return null;
        }
        boolean shared = rows.stream().anyMatch(r -> r.note().contains("shared CPUs"));
        XYChart c = new XYChartBuilder()
                .width(800)
                .height(480)
                .title("Scaling, " + scenario + ": req/s at N loops / req/s at 1 loop, median of rounds"
                        + (shared ? " (servers and wrk shared CPUs)" : ""))
                .xAxisTitle("loops (prefork: processes; nginx: workers)")
                .yAxisTitle("gain")
                .build();
        style(c.getStyler());
        c.getStyler().setYAxisMin(0.0);
        int most = plotted.stream().mapToInt(Scaling.Row::loops).max().orElse(1);
        c.addSeries("linear", List.of(1, most), List.of(1, most));
        for (String design : designs) {
            List<Scaling.Row> mine =
                    plotted.stream().filter(r -> r.design().equals(design)).toList();
            if (!mine.isEmpty()) {
                c.addSeries(
                        design,
                        mine.stream().map(r -> (Number) r.loops()).toList(),
                        mine.stream().map(r -> (Number) r.gain()).toList());
            }
        }
        return c;
    }

    /** Whether the scenario is c10k's curve, whose charts show its largest idle count. */
    private static boolean idleCurve(String scenario) {
        return Scenario.of(scenario).idleCurve();
    }

    /** A server's label on an axis: marked with * when its row is not ranked (see summary.csv's unranked_reason). */
    static String label(Summary row) {
        return row.ranked() ? row.server() : row.server() + " *";
    }

    private static CategoryChart throughput(String scenario, int idle, List<Summary> rows) {
        boolean any = rows.stream().anyMatch(r -> !r.ranked());
        CategoryChart c = base(
                "Throughput, " + scenario + (idleCurve(scenario) ? " (" + idle + " idle)" : "") + ": median of rounds",
                any ? "server (* not ranked: errors, not the bottleneck, or not steady)" : "server",
                "requests per second");
        List<String> servers = rows.stream().map(Charts::label).toList();
        c.addSeries(
                "median req/s",
                servers,
                rows.stream().map(r -> (Number) r.median()).toList());
        for (String peer : List.of(Results.NGINX, Results.FLOOR)) {
            rows.stream().filter(r -> r.server().equals(peer)).findFirst().ifPresent(p -> {
                CategorySeries line =
                        c.addSeries(peer, servers, Collections.nCopies(servers.size(), (Number) p.median()));
                line.setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
            });
        }
        return c;
    }

    private static CategoryChart latency(String scenario, Results results, List<Summary> rows) {
        CategoryChart c =
                base("Latency percentiles, " + scenario + " (median of rounds)", "server", "microseconds (log)");
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setOverlapped(false);
        c.getStyler().setYAxisMin(1.0); // bars start from the axis minimum, which a log axis cannot put at zero
        List<String> names = rows.stream().map(Summary::server).toList();
        List<String> servers = rows.stream().map(Charts::label).toList();
        Map<String, java.util.function.ToLongFunction<WrkResult>> percentiles = new LinkedHashMap<>();
        percentiles.put("p50", WrkResult::p50);
        percentiles.put("p90", WrkResult::p90);
        percentiles.put("p99", WrkResult::p99);
        percentiles.put("p99.9", WrkResult::p999);
        int idle = results.maxIdle(scenario);
        percentiles.forEach((name, f) -> c.addSeries(
                name,
                servers,
                names.stream()
                        .map(server -> (Number) Math.max(
                                1,
                                Results.median(results.runsOf(scenario, idleCurve(scenario) ? idle : 0, server).stream()
                                        .map(r -> (double) f.applyAsLong(r.wrk()))
                                        .toList())))
                        .toList()));
        return c;
    }

    /**
     * Stacked by system call name (medians over the strace rounds): the eight most frequent overall, the rest as
     * "other".
     */
    private static CategoryChart syscalls(String scenario, Results results, List<Summary> rows) {
        int connections =
                results.costs(scenario, rows.getFirst().server()).getFirst().connections();
        CategoryChart c = base(
                "System calls per request, " + scenario + " (strace -f -c on " + connections
                        + " connections, median of rounds)",
                "server",
                "calls per request");
        c.getStyler().setStacked(true);
        Map<String, Map<String, Double>> perServer = new LinkedHashMap<>();
        Map<String, Double> total = new LinkedHashMap<>();
        for (Summary row : rows) {
            Map<String, Double> mine = new LinkedHashMap<>();
            for (SyscallStat st : results.syscallStats(scenario, row.server())) {
                mine.put(st.name(), st.perRequest().median());
                total.merge(st.name(), st.perRequest().median(), Double::sum);
            }
            perServer.put(row.server(), mine);
        }
        List<String> top = total.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(8)
                .map(Map.Entry::getKey)
                .toList();
        List<String> servers = rows.stream().map(Charts::label).toList();
        for (String name : top) {
            c.addSeries(
                    name,
                    servers,
                    rows.stream()
                            .map(r -> (Number) perServer.get(r.server()).getOrDefault(name, 0.0))
                            .toList());
        }
        c.addSeries(
                "other",
                servers,
                rows.stream()
                        .map(r -> (Number) perServer.get(r.server()).entrySet().stream()
                                .filter(e -> !top.contains(e.getKey()))
                                .mapToDouble(Map.Entry::getValue)
                                .sum())
                        .toList());
        return c;
    }

    /** CPU per request from the throughput rounds, with the rounds' min-max as error bars. */
    private static CategoryChart cpu(String scenario, List<Summary> rows) {
        CategoryChart c = base(
                "Server CPU time per request, " + scenario + " (utime + stime, median of rounds, min-max)",
                "server",
                "CPU microseconds per request");
        List<Number> medians = rows.stream()
                .map(r -> (Number) r.cpuMicrosPerRequest().median())
                .toList();
        List<Number> errors = rows.stream()
                .map(r -> (Number) ((r.cpuMicrosPerRequest().max()
                                - r.cpuMicrosPerRequest().min())
                        / 2))
                .toList();
        c.addSeries("CPU us/request", rows.stream().map(Charts::label).toList(), medians, errors);
        return c;
    }

    private static XYChart c10k(List<Summary> summaries) {
        XYChart c = new XYChartBuilder()
                .width(800)
                .height(480)
                .title("c10k: throughput with N idle connections, as a fraction of N = 0")
                .xAxisTitle("idle keep-alive connections")
                .yAxisTitle("fraction of throughput with none")
                .build();
        style(c.getStyler());
        c.getStyler().setYAxisMin(0.0);
        summaries.stream()
                .filter(s -> idleCurve(s.scenario()))
                .map(Summary::server)
                .distinct()
                .forEach(server -> {
                    List<Summary> mine = summaries.stream()
                            .filter(s -> idleCurve(s.scenario()) && s.server().equals(server))
                            .toList();
                    double base = mine.stream()
                            .filter(s -> s.idle() == 0)
                            .mapToDouble(Summary::median)
                            .findFirst()
                            .orElse(Double.NaN);
                    if (!Double.isNaN(base) && base > 0) {
                        c.addSeries(
                                server,
                                mine.stream().map(s -> (Number) s.idle()).toList(),
                                mine.stream()
                                        .map(s -> (Number) (s.median() / base))
                                        .toList());
                    }
                });
        return c;
    }

    private static CategoryChart base(String title, String x, String y) {
        CategoryChart c = new CategoryChartBuilder()
                .width(800)
                .height(480)
                .title(title)
                .xAxisTitle(x)
                .yAxisTitle(y)
                .build();
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
