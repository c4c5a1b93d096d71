package dev.warpjourney.book;

import static dev.warpjourney.book.Format.ms;
import static dev.warpjourney.book.Format.notMeasured;
import static dev.warpjourney.book.Format.percent;
import static dev.warpjourney.book.Format.thousands;

import dev.warpjourney.bench.rows.LatencyRow;
import dev.warpjourney.bench.rows.SlowlorisRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The two passes a run makes beside its throughput rounds, each a table and its attributes: the
 * latency pass (latency-summary.csv, table-latency.adoc) and the slowloris scenario
 * (slowloris-summary.csv, table-slowloris.adoc).
 */
final class PassTables {
    private PassTables() {}

    /**
     * The latency pass: every server offered the same load without its quota. Metrics
     * latency.SCENARIO.SERVER.COLUMN (p50_us, p99_us with their min-max), attributes
     * {latency-SERVER-p50-ms}, -p99-ms, -kept-up, {latency-rate}; and table-latency.adoc.
     */
    static void latency(Run run, Path out) throws IOException {
        List<LatencyRow> rows = run.latency();
        if (rows.isEmpty()) {
            Files.writeString(run.file(out, "table-latency.adoc"), notMeasured("The latency pass"));
            return;
        }
        run.attr("latency-rate", thousands(rows.getFirst().offeredReqS()));
        StringBuilder t = new StringBuilder("[cols=\"3,>1,>1,>2,>2,>1\",options=\"header\"]\n|===\n"
                + "| Server | Offered req/s | Answered req/s | p50 (ms, min-max) | p99 (ms, min-max) | CPU busy\n");
        for (LatencyRow r : rows) {
            String base = "latency." + r.scenario() + "." + r.server() + ".";
            r.numbers().forEach((col, v) -> run.metric(base + col, v));
            run.interval(base + "p50_us", r.p50MinUs(), r.p50MaxUs());
            run.interval(base + "p99_us", r.p99MinUs(), r.p99MaxUs());
            String key = "latency-" + r.server();
            run.attr(key + "-p50-ms", ms(r.p50Us()));
            run.attr(key + "-p99-ms", ms(r.p99Us()));
            run.attr(key + "-kept-up", r.keptUp());
            t.append("| ")
                    .append(r.server())
                    .append(Objects.equals(r.keptUp(), "yes") ? "" : " (fell behind)")
                    .append(" | ")
                    .append(thousands(r.offeredReqS()))
                    .append(" | ")
                    .append(thousands(r.medianReqS()))
                    .append(" | ")
                    .append(ms(r.p50Us()))
                    .append(" (")
                    .append(ms(r.p50MinUs()))
                    .append("-")
                    .append(ms(r.p50MaxUs()))
                    .append(")")
                    .append(" | ")
                    .append(ms(r.p99Us()))
                    .append(" (")
                    .append(ms(r.p99MinUs()))
                    .append("-")
                    .append(ms(r.p99MaxUs()))
                    .append(")")
                    .append(" | ")
                    .append(Format.orEmpty(r.utilization()))
                    .append('\n');
        }
        Files.writeString(
                run.file(out, "table-latency.adoc"), t.append("|===\n").toString());
    }

    /**
     * The slowloris scenario (medians over rounds): whether fresh clients are still answered while many slow ones
     * trickle request heads, and who closes the slow ones when. Attributes slowloris-SERVER-opened, -closed,
     * -closed-after-s, -probe-p99-ms, -probes-answered; slowloris-slow, -hold-s.
     */
    static void slowloris(Run run, Path out) throws IOException {
        List<SlowlorisRow> rows = run.slowloris();
        if (rows.isEmpty()) {
            Files.writeString(run.file(out, "table-slowloris.adoc"), notMeasured("The slowloris scenario"));
            return;
        }
        run.attr("slowloris-slow", thousands(rows.getFirst().slowRequested()));
        run.attr("slowloris-hold-s", thousands(rows.getFirst().holdS()));
        StringBuilder t = new StringBuilder("[cols=\"2,>1,>1,>1,>1,>1,>1\",options=\"header\"]\n|===\n"
                + "| Server | Slow connections opened | Probes answered | Probe p50 (ms) | Probe p99 (ms) "
                + "| Slow connections closed by the server | Closed after (s)\n");
        for (SlowlorisRow r : rows) {
            String key = "slowloris-" + r.server();
            String answered = percent(r.probeSuccess());
            String spread = Objects.equals(r.probeSuccessMin(), r.probeSuccessMax())
                    ? ""
                    : " (" + percent(r.probeSuccessMin()) + "-" + percent(r.probeSuccessMax()) + ")";
            String p99 = ms(r.probeP99Us()) + " (" + ms(r.probeP99MinUs()) + "-" + ms(r.probeP99MaxUs()) + ")";
            String after = r.closedAfterP50Ms() == null ? "" : ms(r.closedAfterP50Ms()); // ms -> s
            t.append("| ")
                    .append(r.server())
                    .append(" | ")
                    .append(thousands(r.slowOpened()))
                    .append(" of ")
                    .append(thousands(r.slowRequested()))
                    .append(" | ")
                    .append(answered)
                    .append(spread)
                    .append(" | ")
                    .append(ms(r.probeP50Us()))
                    .append(" | ")
                    .append(p99)
                    .append(" | ")
                    .append(thousands(r.slowClosedByServer()))
                    .append(" | ")
                    .append(after)
                    .append('\n');
            run.attr(key + "-opened", thousands(r.slowOpened()));
            run.attr(key + "-closed", thousands(r.slowClosedByServer()));
            run.attr(key + "-closed-after-s", after);
            run.attr(key + "-probe-p99-ms", ms(r.probeP99Us()));
            run.attr(key + "-probes-answered", answered);
        }
        Files.writeString(
                run.file(out, "table-slowloris.adoc"), t.append("|===\n").toString());
    }
}
