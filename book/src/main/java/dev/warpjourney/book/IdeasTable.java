package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.bytes;
import static dev.warpjourney.book.Format.thousands;

import dev.warpjourney.bench.rows.AllocationRow;
import dev.warpjourney.bench.rows.RatioRow;
import dev.warpjourney.bench.rows.SummaryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chapter 05's "what each idea bought", from the run that switches each of stage 05's ideas off in turn
 * (results/ablation: stage-05-composer and its @sendfile, @heads-per-request and @date-per-request beside stage 04, in
 * warp, A B A B at the same CPU budget). An idea's share is what stage 05 pays per request without it: the paired
 * rounds' ratio of CPU per request, the variant's over stage 05's, with the harness's interval. Writes
 * table-ideas.adoc and, for the prose, {ideas-LABEL-cost} (the ratio less one, in percent), its -interval,
 * {ideas-LABEL-of-stage-04} (that cost over stage 04's, both from paired ratios: the part of all that stage 04 pays
 * more, if the savings add up), {ideas-rest-of-stage-04} (the part no switch isolates), and the run's
 * {ablation-...} figures. Without the run, every cited figure reads "not measured in this run".
 */
final class IdeasTable {
    private IdeasTable() {}

    static final String STAGE_05 = "stage-05-composer";
    static final String STAGE_04 = "stage-04-fdcache";

    /** The ideas switched off, in the table's order: the harness's variant, and what is off. */
    private record Idea(String label, String what) {}

    private static final List<Idea> IDEAS = List.of(
            new Idea("sendfile", "One write: a small file's bytes sent with its head (`--bodies sendfile`)"),
            new Idea("heads-per-request", "The head composed once per file (`--heads per-request`)"),
            new Idea("date-per-request", "The Date made once a second (`--date per-request`)"));

    static void write(Run main, Path dir, Path out) throws IOException {
        if (!Files.isRegularFile(dir.resolve("summary.csv"))) {
            RepoFiles.citedAttributes(main.repo, "ablation-").forEach(k -> main.attrs.putIfAbsent(k, NOT_MEASURED));
            RepoFiles.citedAttributes(main.repo, "ideas-").forEach(k -> main.attrs.putIfAbsent(k, NOT_MEASURED));
            Files.writeString(out.resolve("table-ideas.adoc"), "(" + NOT_MEASURED + ": results/ablation)\n");
            return;
        }
        Run run = new Run(main.repo, dir, main.multicore, "ablation");
        run.numbers(out);
        main.add(run);
        List<SummaryRow> warp = run.summary().stream()
                .filter(r -> r.scenario().equals("warp") && r.idle() == 0)
                .toList();
        StringBuilder t = new StringBuilder();
        t.append("[cols=\"4,2,2,3,2,2\",options=\"header\"]\n|===\n")
                .append("| Switched off | Requests per second (median) | CPU µs per request")
                .append(" | CPU per request, over stage 05's (interval) | System calls per request")
                .append(" | Heap bytes per request\n");
        t.append(line(run, warp, "Nothing: stage 05 as it ships", STAGE_05, null));
        RatioRow all = PairedCost.pair(run, "warp", STAGE_05, STAGE_04);
        Double allCost = PairedCost.cost(all);
        // Each idea's part of all that stage 04 pays more: its cost over stage 04's, both paired ratios less one.
        // That assumes the savings add up (each measured alone, against the same stage 05).
        Double parts = allCost == null || allCost <= 0 ? null : 0.0;
        for (Idea idea : IDEAS) {
            String server = STAGE_05 + "@" + idea.label();
            RatioRow pair = PairedCost.pair(run, "warp", STAGE_05, server);
            t.append(line(run, warp, idea.what(), server, pair));
            Double cost = PairedCost.cost(pair);
            if (cost != null) {
                main.attr("ideas-" + idea.label() + "-cost", PairedCost.percent(cost));
                main.attr("ideas-" + idea.label() + "-cost-interval", PairedCost.interval(pair));
            }
            if (cost != null && parts != null) {
                main.attr(
                        "ideas-" + idea.label() + "-of-stage-04",
                        String.format(Locale.ROOT, "%.0f%%", 100 * cost / allCost));
                parts += cost;
            } else {
                parts = null;
            }
        }
        if (parts != null) {
            // What no switch isolates (the parser over bytes, the target memo): stage 04's extra less the three.
            main.attr("ideas-rest-of-stage-04", String.format(Locale.ROOT, "%.0f%%", 100 * (1 - parts / allCost)));
        }
        t.append(line(run, warp, "All of them, and the parser over bytes: stage 04", STAGE_04, all));
        if (allCost != null) {
            main.attr("ideas-stage-04-cost", PairedCost.percent(allCost));
            main.attr("ideas-stage-04-cost-interval", PairedCost.interval(all));
        }
        t.append("|===\n");
        Files.writeString(out.resolve("table-ideas.adoc"), t);
        RepoFiles.citedAttributes(main.repo, "ideas-").forEach(k -> main.attrs.putIfAbsent(k, "not ranked"));
    }

    private static Optional<SummaryRow> row(List<SummaryRow> warp, String server) {
        return warp.stream().filter(r -> r.server().equals(server)).findFirst();
    }

    private static String line(Run run, List<SummaryRow> warp, String what, String server, RatioRow pair)
            throws IOException {
        SummaryRow r = row(warp, server).orElse(null);
        if (r == null) {
            return "| " + what + " 5+| " + NOT_MEASURED + "\n";
        }
        String ratio = PairedCost.ratioCell(pair);
        Double alloc = run.allocation().stream()
                .filter(a -> a.scenario().equals("warp") && a.server().equals(server))
                .map(AllocationRow::bytesPerRequest)
                .findFirst()
                .orElse(null);
        return "| " + what + "\n| " + thousands(r.medianReqS()) + "\n| " + Format.two(r.cpuUsPerReq()) + "\n| "
                + ratio + "\n| " + Format.two(r.syscallsPerReq()) + "\n| "
                + (alloc == null ? "" : bytes(alloc)) + "\n";
    }
}
