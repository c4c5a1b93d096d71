package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.thousands;

import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.RatioRow;
import dev.warpjourney.bench.rows.SummaryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Chapter 06's "what the JDK costs, call by call", from the run that puts each of the JDK's costs back into stage 06
 * in turn (results/jdk-costs: stage-06-native and its @jdk-accept, @jdk-nodelay, @jdk-close in close, @jdk-transfer-to
 * and @no-msg-more in large, beside stage 05, A B A B at the same CPU budget). A cost's size is what stage 06 pays per
 * request with it put back: the paired rounds' ratio of CPU per request, the variant's over stage 06's, with the
 * harness's interval, beside the system calls it adds. Writes table-jdk-costs.adoc and, for the prose,
 * {cost-LABEL} (the ratio less one, in percent) with its -interval and -calls (calls added per request),
 * {cost-LABEL-of-stage-05} (that cost over stage 05's extra in the same scenario, both paired ratios: the part of what
 * stage 05 pays more that this call explains, if the costs add up), {cost-SCENARIO-stage-05} (stage 05's extra, with
 * its -interval), {cost-SCENARIO-rest} (what no switch explains),
 * and the run's {jdkcosts-...} figures. Without the run, every cited figure reads "not measured in this run".
 */
final class JdkCostsTable {
    private JdkCostsTable() {}

    static final String STAGE_06 = "stage-06-native";
    static final String STAGE_05 = "stage-05-composer";

    /** A JDK cost put back: the harness's variant, the scenario it runs in, and what it puts back. */
    private record Cost(String label, String scenario, String what) {}

    private static final List<Cost> COSTS = List.of(
            new Cost("jdk-accept", "close", "`accept`, 3 `fcntl`, 2 `getsockname` for one `accept4`"),
            new Cost("jdk-nodelay", "close", "`setsockopt(TCP_NODELAY)` per connection, not the listener's"),
            new Cost("jdk-close", "close", "The channel's close: `epoll_ctl` DEL, `getsockopt(SO_LINGER)`, `shutdown`"),
            new Cost("jdk-transfer-to", "large", "`transferTo`'s `fstat` and `copy_file_range` before `sendfile`"),
            new Cost("no-msg-more", "large", "The head written without `MSG_MORE`"));

    static void write(Run main, Path dir, Path out) throws IOException {
        if (!Files.isRegularFile(dir.resolve("summary.csv"))) {
            RepoFiles.citedAttributes(main.repo, "jdkcosts-").forEach(k -> main.attrs.putIfAbsent(k, NOT_MEASURED));
            RepoFiles.citedAttributes(main.repo, "cost-").forEach(k -> main.attrs.putIfAbsent(k, NOT_MEASURED));
            Files.writeString(out.resolve("table-jdk-costs.adoc"), "(" + NOT_MEASURED + ": results/jdk-costs)\n");
            return;
        }
        Run run = new Run(main.repo, dir, main.multicore, "jdkcosts");
        run.numbers(out);
        main.add(run);
        List<SummaryRow> summary = run.summary();
        StringBuilder t = new StringBuilder();
        t.append("[cols=\"5,1,2,2,2,3,2\",options=\"header\"]\n|===\n")
                .append("| Put back | Scenario | Requests per second (median) | CPU µs per request")
                .append(" | System calls per request | CPU per request, over stage 06's (interval)")
                .append(" | Part of stage 05's extra\n");
        for (String scenario : List.of("close", "large")) {
            RatioRow all = PairedCost.pair(run, scenario, STAGE_06, STAGE_05);
            Double allCost = PairedCost.cost(all);
            t.append(line(summary, scenario, "Nothing: stage 06 as it ships", STAGE_06, null, null));
            double parts = 0;
            boolean partsKnown = allCost != null && allCost > 0;
            for (Cost c : COSTS) {
                if (!c.scenario().equals(scenario)) {
                    continue;
                }
                String server = STAGE_06 + "@" + c.label();
                RatioRow pair = PairedCost.pair(run, scenario, STAGE_06, server);
                Double cost = PairedCost.cost(pair);
                String share = null;
                if (cost != null) {
                    main.attr("cost-" + c.label(), PairedCost.percent(cost));
                    main.attr("cost-" + c.label() + "-interval", PairedCost.interval(pair));
                }
                Double calls = callsAdded(summary, scenario, server);
                if (calls != null) {
                    main.attr("cost-" + c.label() + "-calls", String.format(Locale.ROOT, "%+.2f", calls));
                }
                if (cost != null && partsKnown) {
                    share = String.format(Locale.ROOT, "%.0f%%", 100 * cost / allCost);
                    main.attr("cost-" + c.label() + "-of-stage-05", share);
                    parts += cost;
                } else {
                    partsKnown = false;
                }
                t.append(line(summary, scenario, c.what(), server, pair, share));
            }
            boolean stage05Pays = allCost != null && allCost > 0;
            t.append(line(
                    summary,
                    scenario,
                    "All of them, and the selector: stage 05",
                    STAGE_05,
                    all,
                    stage05Pays ? "100%" : null));
            if (allCost != null) {
                main.attr("cost-" + scenario + "-stage-05", PairedCost.percent(allCost));
                main.attr("cost-" + scenario + "-stage-05-interval", PairedCost.interval(all));
            }
            if (partsKnown) {
                // What no switch puts back: the selector's bookkeeping, the channels' objects, the JDK's Java side.
                // Each part is a median with an interval: their sum may pass the whole, and then nothing is left
                // to name.
                main.attr(
                        "cost-" + scenario + "-rest",
                        parts <= allCost
                                ? String.format(Locale.ROOT, "%.0f%%", 100 * (1 - parts / allCost))
                                : "none: the parts' medians add up to "
                                        + String.format(Locale.ROOT, "%.0f%%", 100 * parts / allCost)
                                        + " of the whole");
            }
        }
        t.append("|===\n");
        Files.writeString(out.resolve("table-jdk-costs.adoc"), t);
        RepoFiles.citedAttributes(main.repo, "cost-").forEach(k -> main.attrs.putIfAbsent(k, "not ranked"));
    }

    /** The server's system calls per request less stage 06's, in the same scenario. */
    private static Double callsAdded(List<SummaryRow> summary, String scenario, String server) {
        Double mine = calls(summary, scenario, server);
        Double base = calls(summary, scenario, STAGE_06);
        return mine == null || base == null ? null : mine - base;
    }

    private static Double calls(List<SummaryRow> summary, String scenario, String server) {
        return summary.stream()
                .filter(r -> r.scenario().equals(scenario)
                        && r.idle() == 0
                        && r.server().equals(server))
                .map(r -> Figure.value(r.syscallsPerReq()))
                .findFirst()
                .orElse(null);
    }

    private static String line(
            List<SummaryRow> summary, String scenario, String what, String server, RatioRow pair, String share) {
        SummaryRow r = summary.stream()
                .filter(s -> s.scenario().equals(scenario)
                        && s.idle() == 0
                        && s.server().equals(server))
                .findFirst()
                .orElse(null);
        if (r == null) {
            return "| " + what + "\n| " + scenario + " 5+| " + NOT_MEASURED + "\n";
        }
        String ratio = PairedCost.ratioCell(pair);
        return "| " + what + "\n| " + scenario + "\n| " + thousands(r.medianReqS()) + "\n| "
                + Format.two(r.cpuUsPerReq()) + "\n| " + Format.two(r.syscallsPerReq()) + "\n| " + ratio + "\n| "
                + (share == null ? "" : share) + "\n";
    }
}
