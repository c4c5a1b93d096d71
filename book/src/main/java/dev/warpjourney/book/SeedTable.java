package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.notMeasured;
import static dev.warpjourney.book.Format.orEmpty;
import static dev.warpjourney.book.Format.ratio;
import static dev.warpjourney.book.Format.thousands;
import static dev.warpjourney.book.RunFigures.ranked;
import static dev.warpjourney.book.RunTables.ratioCell;

import dev.warpjourney.bench.rows.Csv;
import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.SeedFigureRow;
import dev.warpjourney.bench.rows.SummaryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The original figures beside ours (table-seed.adoc): each figure of results/seed/original-figures.csv,
 * then and here, "here" from the main run's summary.csv (one core) or the multicore run's scaling.csv
 * (the prefork and mio figures). The one-core figure shows the newest stage on the JDK's NIO and the newest below it,
 * each against nginx. And {seed-one-core-ratio}, which chapter 05 cites.
 */
final class SeedTable {
    /** The first stage whose loop calls Linux itself, through the FFM API. */
    private static final int FIRST_NATIVE_STAGE = 6;

    private SeedTable() {}

    static String table(Run run) throws IOException {
        Path seed = run.repo.resolve("results/seed/original-figures.csv");
        if (!Files.exists(seed)) {
            return notMeasured("The original figures");
        }
        Map<String, List<SeedFigureRow>> figures = new LinkedHashMap<>();
        for (SeedFigureRow r : Csv.read(seed, SeedFigureRow::of)) {
            figures.computeIfAbsent(r.figure(), k -> new ArrayList<>()).add(r);
        }
        List<SummaryRow> summary = run.summary();
        // The newest stage the run measured in warp on each side of the JDK: on its NIO, and below it (stage 06 on).
        // Stage 05 is the one that had to beat nginx through the JDK, as Warp did through GHC's IO manager; a stage
        // newer than the run has no row yet.
        List<String> measured = RepoFiles.stages(run.repo).stream()
                .filter(st -> warp(summary, st) != null)
                .toList();
        List<String> newest = new ArrayList<>();
        newest(measured, false).ifPresent(newest::add);
        newest(measured, true).ifPresent(newest::add);
        SummaryRow warpNginx = warp(summary, "nginx");

        StringBuilder t =
                new StringBuilder("[cols=\"3,4,4\",options=\"header\"]\n|===\n| Figure | Then (source) | Here, "
                        + (run.reference ? "reference run" : "your run") + "\n");
        for (Map.Entry<String, List<SeedFigureRow>> f : figures.entrySet()) {
            List<SeedFigureRow> pts = f.getValue();
            StringBuilder then = new StringBuilder();
            for (SeedFigureRow p : pts) {
                then.append(p.server())
                        .append(": ")
                        .append(thousands(p.reqPerS()))
                        .append(" req/s on ")
                        .append(p.workers())
                        .append(p.workers() == 1 ? " worker" : " workers")
                        .append(p.approximate() ? " (about)" : "")
                        .append(" +\n");
            }
            String here;
            switch (f.getKey()) {
                case "one-core" -> {
                    String ratio = ratio(pts.get(0).reqPerS(), pts.get(1).reqPerS());
                    then.append("Ratio: ").append(ratio).append(" +\n");
                    run.attr("seed-one-core-ratio", ratio); // Mighty 3 over nginx, 2014
                    here = newest.isEmpty() || warpNginx == null
                            ? NOT_MEASURED
                            : String.join(
                                    " +\n",
                                    newest.stream()
                                            .map(st -> oneCore(summary, st, warp(summary, st), warpNginx))
                                            .toList());
                }
                case "prefork" -> {
                    then.append("Ratio at the most workers: ")
                            .append(ratio(pts.get(0).reqPerS(), pts.get(1).reqPerS()))
                            .append(" +\n");
                    here = sameWorkers(run) + MulticoreRun.scalingCell(run, "prefork");
                }
                case "mio" -> {
                    double one = pts.get(0).reqPerS();
                    double n = pts.get(1).reqPerS();
                    double workers = pts.get(1).workers();
                    then.append("Scaling efficiency: ")
                            .append(String.format(Locale.ROOT, "%.0f%%", 100 * n / (one * workers)))
                            .append(" +\n");
                    here = "On two CPUs that the servers share with wrk, where Mio had ten cores of its own: "
                            + "not a scaling figure +\n"
                            + MulticoreRun.scalingCell(run, "vthreads");
                }
                default -> here = NOT_MEASURED;
            }
            SeedFigureRow p0 = pts.getFirst();
            then.append(orEmpty(p0.setup())).append(" +\n").append(orEmpty(p0.source()));
            t.append("| ")
                    .append(orEmpty(p0.title()))
                    .append("\n| ")
                    .append(then)
                    .append("\n| ")
                    .append(here)
                    .append('\n');
        }
        return t.append("|===\n").toString();
    }

    /**
     * The prefork figure compares two servers at the same number of workers; ours at the same: stage 05 on two loops
     * against nginx with two workers, from the run on every core (results/cores, read after the main run: empty until
     * then).
     */
    private static String sameWorkers(Run run) {
        String key = "cores-warp-stage-05-composer-loops-2-";
        String ratio = run.attrs.get(key + "vs-nginx");
        if (ratio == null) {
            return "";
        }
        return "stage-05-composer on 2 loops against nginx with 2 workers (results/cores, each held to "
                + run.attrs.getOrDefault(key + "quota", "?") + " CPU): " + ratio + " ("
                + run.attrs.getOrDefault(key + "vs-nginx-interval", "?") + ") +\n";
    }

    /** The last of the stages measured that are below the JDK (stage 06 on), or on its NIO (01 to 05). */
    private static Optional<String> newest(List<String> measured, boolean belowTheJdk) {
        return measured.stream()
                .filter(st ->
                        (Integer.parseInt(st.substring("stage-".length(), "stage-".length() + 2)) >= FIRST_NATIVE_STAGE)
                                == belowTheJdk)
                .reduce((a, b) -> b);
    }

    /** The server's warp row without idle connections, or null. */
    private static SummaryRow warp(List<SummaryRow> summary, String server) {
        return summary.stream()
                .filter(r -> r.scenario().equals("warp")
                        && r.idle() == 0
                        && r.server().equals(server))
                .findFirst()
                .orElse(null);
    }

    /** The "here" cell of the one-core figure: a stage against nginx in warp, throughput and CPU. */
    private static String oneCore(List<SummaryRow> summary, String stage, SummaryRow row, SummaryRow warpNginx) {
        return stage + ": " + thousands(row.medianReqS()) + " req/s +\nnginx: "
                + thousands(warpNginx.medianReqS())
                + " req/s +\nRatio (median of per-round ratios, interval): "
                + (ranked(row) && row.vsNginx().value() != null
                        ? ratioCell(row, "nginx")
                        : "not ranked (" + orEmpty(row.unrankedReason()) + ")")
                + tighter(summary, stage)
                + " +\nCPU per request, nginx's over " + stage + "'s: "
                + (row.paired() ? orEmpty(row.cpuVsNginx().value()) : cpuRatio(warpNginx, row))
                + " +\n(`warp` scenario, one server CPU"
                + (row.quotaCpus() == null ? "" : ", every server held to " + row.cpuQuota() + " of it")
                + ")";
    }

    /** The headline ratio at the tighter budget (warp@0.3), where the run has it. */
    private static String tighter(List<SummaryRow> summary, String stage) {
        return summary.stream()
                .filter(r -> r.scenario().startsWith("warp@") && r.server().equals(stage))
                .findFirst()
                .map(r -> " +\nAt " + r.scenario().substring(5) + " of a core: "
                        + (ranked(r) ? ratioCell(r, "nginx") : "not ranked (" + orEmpty(r.unrankedReason()) + ")"))
                .orElse("");
    }

    private static String cpuRatio(SummaryRow theirs, SummaryRow mine) {
        Double t = Figure.value(theirs.cpuUsPerReq());
        Double m = Figure.value(mine.cpuUsPerReq());
        return t == null || m == null || m == 0 ? NOT_MEASURED : String.format(Locale.ROOT, "%.2f", t / m);
    }
}
