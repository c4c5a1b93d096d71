package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.notMeasured;
import static dev.warpjourney.book.Format.orEmpty;
import static dev.warpjourney.book.Format.percent;
import static dev.warpjourney.book.Format.thousands;

import dev.warpjourney.bench.rows.Csv;
import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.ScalingRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Chapter 03's multicore run (results/multicore, {@code ./journey --multicore}): stage 03's designs
 * at one and N loops beside nginx, from its scaling.csv and environment.properties. Its attributes
 * ({scaling-DESIGN-LOOPS-...}, {multicore-env-...}), metrics (scaling.warp.DESIGN.LOOPS.COLUMN),
 * table-scaling.adoc, chart-scaling.adoc, and the seed table's cells for the multicore figures.
 */
final class MulticoreRun {
    private MulticoreRun() {}

    /** scaling.csv's designs as the chapter names them: stage 03's four and prefork, nginx, stage 02's one loop. */
    static final List<String> DESIGNS =
            List.of("loops", "handoff", "shared", "vthreads", "prefork", "nginx", "stage-02-epoll");

    /**
     * Attribute suffix -> the row's figure as the chapter prints it (null where blank): {scaling-DESIGN-LOOPS-SUFFIX},
     * e.g. {scaling-loops-2-gain}.
     */
    private static final Map<String, Function<ScalingRow, String>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("median", r -> thousands(r.medianReqS()));
        COLUMNS.put("utilization", r -> Figure.text(r.utilization()));
        COLUMNS.put("cpu", r -> Figure.text(r.cpuUsPerReq()));
        COLUMNS.put("gain", r -> Figure.text(r.gain().value()));
        COLUMNS.put("cpu-vs-stage02", r -> Figure.text(r.cpuPerReqVsStage02().value()));
        COLUMNS.put("efficiency", r -> percent(r.efficiency()));
        COLUMNS.put("bound", ScalingRow::bound);
        COLUMNS.put("syscalls", r -> Figure.text(r.syscallsPerReq()));
        COLUMNS.put("accept", r -> Figure.text(r.acceptPerReq()));
        COLUMNS.put("accept-errors", r -> Figure.text(r.acceptErrorsPerReq()));
        COLUMNS.put("epoll-wait", r -> Figure.text(r.epollWaitPerReq()));
    }

    /** The warp rows of the multicore run, or none. */
    private static List<ScalingRow> rows(Run run) throws IOException {
        Path f = run.multicore.resolve("scaling.csv");
        return Files.exists(f)
                ? Csv.read(f, ScalingRow::of).stream()
                        .filter(r -> r.scenario().equals("warp"))
                        .toList()
                : List.of();
    }

    /**
     * The multicore run's attributes, metrics, its table and its chart. Without a run, every attribute the chapter
     * may cite (designs at 1 and 2 loops) says so.
     */
    static void scaling(Run run, Path out) throws IOException {
        List<ScalingRow> rows = rows(run);
        if (rows.isEmpty()) {
            for (String d : DESIGNS) {
                for (String n : List.of("1", "2")) {
                    COLUMNS.keySet().forEach(c -> run.attr("scaling-" + d + "-" + n + "-" + c, NOT_MEASURED));
                    run.attr("scaling-" + d + "-" + n + "-per-core", NOT_MEASURED);
                }
            }
            run.attr("scaling-loops-max", NOT_MEASURED);
            List.of("cpu", "cpus-online", "shared-cpus").forEach(k -> run.attr("multicore-env-" + k, NOT_MEASURED));
            Files.writeString(out.resolve("table-scaling.adoc"), notMeasured("The multicore run"));
            Files.writeString(out.resolve("chart-scaling.adoc"), notMeasured("Chart: gain over one loop"));
            return;
        }
        int max = 1;
        for (ScalingRow r : rows) {
            String key = "scaling-" + r.design() + "-" + r.loops();
            for (Map.Entry<String, Function<ScalingRow, String>> c : COLUMNS.entrySet()) {
                String v = c.getValue().apply(r);
                run.attr(key + "-" + c.getKey(), v == null ? NOT_MEASURED : v);
            }
            String base = "scaling.warp." + r.design() + "." + r.loops() + ".";
            // A gain is a design's only where the N-loop row was held back by the server: where the CPU set
            // the servers share with wrk was full (bound cpu-set), no design could have gained more, and the
            // hypotheses about scaling are left for a machine with CPUs apart ("not measured in this run").
            // (The previous instrument's run is read by its own rule of the time: every gain counted.)
            boolean servers = r.loops() == 1 || "server".equals(r.bound()) || run.name.startsWith("previous");
            r.numbers().forEach((col, v) -> {
                if (servers || !List.of("gain", "efficiency").contains(col)) {
                    run.metric(base + col, v);
                }
            });
            run.interval(base + "gain", r.gain().lo(), r.gain().hi());
            run.interval(
                    base + "cpu_per_req_vs_stage02",
                    r.cpuPerReqVsStage02().lo(),
                    r.cpuPerReqVsStage02().hi());
            // The projection the chapter states as one: what a core kept busy at this CPU per request would serve.
            run.attr(key + "-per-core", r.cpuUsPerReq() == null ? NOT_MEASURED : perCore(r.cpuUsPerReq()));
            max = Math.max(max, r.loops());
        }
        run.attr("scaling-loops-max", String.valueOf(max));
        Path env = run.multicore.resolve("environment.properties");
        if (Files.exists(env)) {
            RepoFiles.properties(env).forEach((k, v) -> run.attr("multicore-env-" + k.replace('_', '-'), v));
        }
        Files.writeString(out.resolve("table-scaling.adoc"), table(rows));
        Files.writeString(
                out.resolve("chart-scaling.adoc"),
                Files.isRegularFile(run.multicore.resolve("scaling-warp.svg"))
                        ? "image::{multicore-charts}/scaling-warp.svg[Chart: gain over one loop, per design]\n"
                        : notMeasured("Chart: gain over one loop"));
    }

    /** What one core kept busy would serve at this CPU time per request: requests per second. */
    private static String perCore(Figure cpuUsPerReq) {
        return thousands((double) Math.round(1e6 / cpuUsPerReq.value()));
    }

    private static String table(List<ScalingRow> rows) {
        StringBuilder t = new StringBuilder("[cols=\"3,>1,>3,>2,>2,>2,>2,>2,2\",options=\"header\"]\n|===\n"
                + "| Design | Loops | req/s (min-max) | Utilization (CPUs) | CPU µs per request | Gain over 1 loop "
                + "| CPU per request / stage 02's | Efficiency | Bound\n");
        for (ScalingRow r : rows) {
            t.append("| ")
                    .append(r.design())
                    .append(" | ")
                    .append(r.loops())
                    .append(" | ")
                    .append(thousands(r.medianReqS()))
                    .append(" (")
                    .append(thousands(r.minReqS()))
                    .append("-")
                    .append(thousands(r.maxReqS()))
                    .append(")")
                    .append(" | ")
                    .append(orEmpty(r.utilization()))
                    .append(" | ")
                    .append(orEmpty(r.cpuUsPerReq()))
                    .append(" | ")
                    .append(orEmpty(r.gain().value()))
                    .append(" | ")
                    .append(orEmpty(r.cpuPerReqVsStage02().value()))
                    .append(" | ")
                    .append(orEmpty(percent(r.efficiency())))
                    .append(" | ")
                    .append(orEmpty(r.bound()))
                    .append('\n');
        }
        return t.append("|===\n").toString();
    }

    /** The seed table's "here" cell for a multicore figure: this design's and nginx's gain at the most loops. */
    static String scalingCell(Run run, String design) throws IOException {
        List<ScalingRow> rows = rows(run);
        int max = rows.stream().mapToInt(ScalingRow::loops).max().orElse(0);
        ScalingRow ours = at(rows, design, max);
        ScalingRow nginx = at(rows, "nginx", max);
        if (max < 2 || ours == null) {
            return "Not measured yet: stage 03's multicore run (`./journey --multicore`).";
        }
        boolean shared = orEmpty(rows.getFirst().note()).contains("shared CPUs");
        return "stage 03 (" + design + "), " + max + " loops: " + thousands(ours.medianReqS()) + " req/s, "
                + orEmpty(ours.gain().value()) + "x its one loop (limit: " + orEmpty(ours.bound()) + ") +\n"
                + (nginx == null
                        ? ""
                        : "nginx, " + max + " workers: " + thousands(nginx.medianReqS()) + " req/s, "
                                + orEmpty(nginx.gain().value()) + "x its one worker (limit: " + orEmpty(nginx.bound())
                                + ") +\n")
                + "(`warp`, multicore run, results/multicore; servers and wrk "
                + (shared
                        ? "sharing the same CPUs: where the limit is the CPU set, no design could gain more, and these are "
                                + "not scaling figures) +\nProjection, not a measurement: at its CPU per request, one core kept busy by "
                                + "this design would serve "
                                + (ours.cpuUsPerReq() == null ? NOT_MEASURED : perCore(ours.cpuUsPerReq()) + " req/s")
                                + "; on cores apart from wrk it could scale toward that per core"
                        : "on CPUs apart)");
    }

    /** A design's row at a number of loops, or null. */
    private static ScalingRow at(List<ScalingRow> rows, String design, int loops) {
        return rows.stream()
                .filter(r -> r.design().equals(design) && r.loops() == loops)
                .findFirst()
                .orElse(null);
    }
}
