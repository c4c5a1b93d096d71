package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.bytes;
import static dev.warpjourney.book.Format.mib;
import static dev.warpjourney.book.Format.ms;
import static dev.warpjourney.book.Format.notMeasured;
import static dev.warpjourney.book.Format.orEmpty;
import static dev.warpjourney.book.Format.percent;
import static dev.warpjourney.book.Format.thousands;
import static dev.warpjourney.book.RunFigures.ranked;

import dev.warpjourney.bench.rows.C10kRow;
import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.MemoryRow;
import dev.warpjourney.bench.rows.Ratio;
import dev.warpjourney.bench.rows.SummaryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A run's tables: throughput per scenario (table-SCENARIO.adoc, from summary.csv), the c10k curve
 * (table-c10k.adoc, c10k.csv), memory per idle connection (table-memory.adoc, memory.csv), the
 * kernel's TCP counters (table-nstat.adoc, summary.csv) and chapter 05's whole journey in one table
 * (table-journey.adoc, summary.csv and allocation.csv).
 */
final class RunTables {
    private RunTables() {}

    /** The scenarios with a throughput table; warp@0.3 is the headline comparison at a tighter CPU budget. */
    private static final List<String> SCENARIOS =
            List.of("warp", "warp@0.3", "close", "close@0.3", "large", "large@0.2", "manyfiles", "pipeline");

    /** The kernel's TCP counters a summary row may carry, by column: their labels and values. */
    private record Counter(String column, String label, Function<SummaryRow, Double> value) {}

    private static final List<Counter> COUNTERS = List.of(
            new Counter("listen_overflows", "Listen overflows", SummaryRow::listenOverflows),
            new Counter("listen_drops", "Listen drops", SummaryRow::listenDrops),
            new Counter("syn_retrans", "SYN retransmits", SummaryRow::synRetrans),
            new Counter("retrans_segs", "Retransmitted segments", SummaryRow::retransSegs));

    /** The throughput tables, the c10k curve and the memory table. */
    static void write(Run run, Path out) throws IOException {
        for (String scenario : SCENARIOS) {
            Files.writeString(
                    run.file(out, "table-" + Format.key(scenario) + ".adoc"), throughputTable(run.summary(), scenario));
        }
        List<C10kRow> c10k = run.c10k();
        List<MemoryRow> memory = run.memory();
        Files.writeString(
                run.file(out, "table-c10k.adoc"), c10k.isEmpty() ? notMeasured("The c10k curve") : c10kTable(c10k));
        Files.writeString(
                run.file(out, "table-memory.adoc"), memory.isEmpty() ? notMeasured("Memory") : memoryTable(memory));
    }

    /**
     * The whole journey in one table, chapter 05's: every server of the run in the warp scenario,
     * in the run's order (the stages, then the peers), with what one request costs it (CPU time,
     * system calls, heap bytes) beside its throughput and whether it was the limit of its run.
     * The CPU ratio to nginx holds where a throughput ratio does not: when wrk was the limit.
     */
    static String journeyTable(Run run) throws IOException {
        List<SummaryRow> rows = run.summary().stream()
                .filter(r -> r.scenario().equals("warp") && r.idle() == 0)
                .toList();
        if (rows.isEmpty()) {
            return notMeasured("The `warp` scenario");
        }
        boolean paired = rows.stream().anyMatch(SummaryRow::paired);
        Double nginx = rows.stream()
                .filter(r -> r.server().equals("nginx"))
                .map(r -> Figure.value(r.cpuUsPerReq()))
                .findFirst()
                .orElse(null);
        StringBuilder t = new StringBuilder("[cols=\"3,>1,>1,1,>2,>1,>1,>1,>1\",options=\"header\"]\n|===\n"
                + "| Server | Median req/s | CPU busy | Limit | vs nginx (interval) | CPU µs/req | nginx's CPU/req over its | Syscalls/req "
                + "| Heap B/req\n");
        for (SummaryRow r : rows) {
            Double cpu = Figure.value(r.cpuUsPerReq());
            String heap = run.allocation().stream()
                    .filter(a -> a.scenario().equals("warp") && a.server().equals(r.server()))
                    .map(a -> bytes(a.bytesPerRequest()))
                    .findFirst()
                    .orElse("");
            String cpuRatio = paired
                    ? orEmpty(r.cpuVsNginx().value())
                    : nginx == null || cpu == null || cpu == 0 ? "" : String.format(Locale.ROOT, "%.2f", nginx / cpu);
            t.append("| ")
                    .append(r.server())
                    .append(" | ")
                    .append(thousands(r.medianReqS()))
                    .append(" | ")
                    .append(orEmpty(r.utilization()))
                    .append(r.quotaCpus() == null ? "" : " (" + r.cpuQuota() + ")")
                    .append(" | ")
                    .append(orEmpty(r.bound()))
                    .append(" | ")
                    .append(ranked(r) ? ratioCell(r, "nginx") : "not ranked")
                    .append(" | ")
                    .append(orEmpty(r.cpuUsPerReq()))
                    .append(" | ")
                    .append(cpuRatio)
                    .append(" | ")
                    .append(orEmpty(r.syscallsPerReq()))
                    .append(" | ")
                    .append(heap)
                    .append('\n');
        }
        return t.append(
                        "|===\n\nCPU busy: the server's CPU seconds per second of the run, and in brackets the budget it was held "
                                + "to (a cgroup quota, in CPUs). Limit: what limited most of its rounds; a server that was not at its limit is not "
                                + "ranked. vs nginx: the median of the per-round ratios of throughput, over the rounds in which both were at their "
                                + "limit, with its interval. nginx's CPU/req over its: the same, of CPU time per request. Heap B/req: bytes the "
                                + "JVM's platform threads allocated per request (blank: not a JVM of platform threads, or not measured).\n")
                .toString();
    }

    private static String throughputTable(List<SummaryRow> summary, String scenario) {
        List<SummaryRow> rows = summary.stream()
                .filter(r -> r.scenario().equals(scenario) && r.idle() == 0)
                .toList();
        if (rows.isEmpty()) {
            return notMeasured("The `" + scenario + "` scenario");
        }
        boolean utilization = rows.stream().anyMatch(r -> r.utilization() != null);
        boolean quota = rows.stream().anyMatch(r -> r.quotaCpus() != null);
        // In close every request opens a connection of its own: its costs are per connection.
        String per = scenario.startsWith("close") ? "conn" : "req";
        StringBuilder t = new StringBuilder("[cols=\"2,>1,>1,>2,>2,>1,>1,>1" + (utilization ? ",>1,1" : "")
                + "\",options=\"header\"]\n|===\n"
                + "| Server | Median req/s | Min-max | vs nginx (interval) | vs floor (interval) | p99 (ms) | CPU µs/"
                + per
                + " | Syscalls/" + per
                + (utilization ? " | " + (quota ? "CPU busy (quota)" : "Server CPUs busy") + " | Limit (rounds)" : "")
                + "\n");
        List<String> notes = new ArrayList<>();
        for (SummaryRow r : rows) {
            boolean ranked = ranked(r);
            t.append("| ")
                    .append(r.server())
                    .append(ranked ? "" : " (not ranked)")
                    .append(" | ")
                    .append(thousands(r.medianReqS()))
                    .append(" | ")
                    .append(thousands(r.minReqS()))
                    .append("-")
                    .append(thousands(r.maxReqS()))
                    .append(" | ")
                    .append(ranked ? ratioCell(r, "nginx") : "-")
                    .append(" | ")
                    .append(ranked ? ratioCell(r, "floor") : "-")
                    .append(" | ")
                    .append(ms(r.p99Us()))
                    .append(" | ")
                    .append(orEmpty(r.cpuUsPerReq()))
                    .append(" | ")
                    .append(orEmpty(r.syscallsPerReq()));
            if (utilization) {
                Figure u = r.utilization();
                Integer cpus = r.serverCpus();
                Integer rounds = r.serverBoundRounds();
                t.append(" | ")
                        .append(
                                u == null
                                        ? ""
                                        : u.text()
                                                + (r.quotaCpus() != null
                                                        ? " (" + r.cpuQuota() + ")"
                                                        : cpus == null ? "" : " of " + cpus))
                        .append(" | ")
                        .append(orEmpty(r.bound()))
                        .append(
                                rounds == null
                                        ? ""
                                        : " (" + rounds + "/" + orEmpty(RunFigures.text(r.rounds()))
                                                + " at its limit)");
            }
            t.append('\n');
            if (!ranked) {
                notes.add(r.server() + " is not ranked: "
                        + (r.unrankedReason() != null
                                ? r.unrankedReason()
                                : "it answered " + thousands(r.errors())
                                        + " requests with an error or a socket error"));
            }
            if (r.ratioNote() != null) {
                notes.add(r.server() + ": " + r.ratioNote());
            }
        }
        t.append("|===\n");
        if (!utilization) {
            notes.add(
                    "This run does not record how busy the server was (CPU seconds per second), so no row says whether the "
                            + "server or the load generator was the limit");
        }
        if (quota) {
            notes.add(
                    "Every server was held to the CPU budget in brackets (a cgroup quota, in CPUs): a ratio compares what two "
                            + "servers did with the same CPU, over the rounds in which both used all of it. Latencies include the waits "
                            + "for the quota's next period: compare them in the latency table, not here");
        }
        notes.forEach(n -> t.append("\n* ").append(n).append('.'));
        return t.append('\n').toString();
    }

    /** A ratio with its interval, as a table prints it: "1.64 (1.45-2.00)", or the ratio alone from an older run. */
    static String ratioCell(SummaryRow r, String peer) {
        Ratio vs = r.vs(peer);
        if (vs.value() == null) {
            return "-";
        }
        return vs.hasInterval()
                ? vs.value().text() + " (" + vs.lo().text() + "-" + vs.hi().text() + ")"
                : vs.value().text();
    }

    private static String c10kTable(List<C10kRow> rows) {
        TreeSet<Integer> idles = new TreeSet<>();
        Map<String, Map<Integer, String>> byServer = new LinkedHashMap<>();
        for (C10kRow r : rows) {
            idles.add(r.idle());
            byServer.computeIfAbsent(r.server(), k -> new LinkedHashMap<>())
                    .put(r.idle(), thousands(r.medianReqS()) + " (" + percent(r.fractionOfNoIdle()) + ")");
        }
        StringBuilder t =
                new StringBuilder("[cols=\"2" + ",>2".repeat(idles.size()) + "\",options=\"header\"]\n|===\n| Server");
        for (int idle : idles) {
            t.append(" | ").append(String.format(Locale.ROOT, "%,d", idle)).append(" idle");
        }
        t.append('\n');
        byServer.forEach((server, cells) -> {
            t.append("| ").append(server);
            for (int idle : idles) {
                t.append(" | ").append(cells.getOrDefault(idle, "failed"));
            }
            t.append('\n');
        });
        return t.append("|===\n").toString();
    }

    private static String memoryTable(List<MemoryRow> rows) {
        StringBuilder t = new StringBuilder(
                "[cols=\"2,>1,>1,>1,>1,>1\",options=\"header\"]\n|===\n"
                        + "| Server | Idle connections | RSS (MiB) | Heap after GC (MiB) | RSS per idle connection (bytes) | Heap per idle connection (bytes)\n");
        for (MemoryRow r : rows) {
            t.append("| ")
                    .append(r.server())
                    .append(" | ")
                    .append(thousands((double) r.idle()))
                    .append(" | ")
                    .append(mib(r.rssKib()))
                    .append(" | ")
                    .append(r.heapUsedKib() == null ? "n/a" : mib(r.heapUsedKib()))
                    .append(" | ")
                    .append(rssPerConnection(r, rows))
                    .append(" | ")
                    .append(orEmpty(thousands(r.heapBytesPerIdleConnection())))
                    .append('\n');
        }
        return t.append("|===\n").toString();
    }

    /**
     * The resident set grows by pages and moves between rounds by a megabyte or two whatever the
     * server holds, so at 1,000 connections a difference of a kilobyte per connection can be noise,
     * even below zero. A figure smaller than the rounds' spread (this row's and the same server's
     * row with none held, divided by N) is printed as such, not as a cost.
     */
    static String rssPerConnection(MemoryRow row, List<MemoryRow> rows) {
        Double perConnection = row.rssBytesPerIdleConnection();
        if (perConnection == null) {
            return "";
        }
        MemoryRow none = rows.stream()
                .filter(r -> r.server().equals(row.server()) && r.idle() == 0)
                .findFirst()
                .orElse(null);
        if (none == null || row.rssMaxKib() == null || none.rssMaxKib() == null) {
            return thousands(perConnection);
        }
        double spreadKib = row.rssMaxKib() - row.rssMinKib() + none.rssMaxKib() - none.rssMinKib();
        double noise = spreadKib * 1024 / row.idle();
        return Math.abs(perConnection) <= noise
                ? "noise (±" + thousands((double) Math.round(noise)) + ")"
                : thousands(perConnection);
    }

    /**
     * The kernel's TCP counters per row (listen-queue overflows and drops, retransmitted segments,
     * SYN retransmits), summed over the rounds, when the harness recorded them: they are what
     * explains a tail like stage 01's.
     */
    static void nstat(Run run, Path out) throws IOException {
        List<SummaryRow> rows = run.summary().stream()
                .filter(r -> r.scenario().equals("warp") && r.idle() == 0)
                .filter(r -> COUNTERS.stream().anyMatch(c -> c.value().apply(r) != null))
                .toList();
        if (rows.isEmpty()) {
            Files.writeString(
                    run.file(out, "table-nstat.adoc"),
                    "_Listen-queue overflows and drops, and SYN retransmits, in `warp` (nstat's counters): "
                            + NOT_MEASURED + "._\n");
            return;
        }
        StringBuilder t = new StringBuilder(
                "The kernel's TCP counters during the `warp` rounds (summed over the rounds; they count "
                        + "the whole machine's loopback traffic):\n\n[cols=\"2" + ",>1".repeat(COUNTERS.size())
                        + "\",options=\"header\"]\n|===\n| Server");
        COUNTERS.forEach(c -> t.append(" | ").append(c.label()));
        t.append('\n');
        for (SummaryRow r : rows) {
            t.append("| ").append(r.server());
            COUNTERS.forEach(
                    c -> t.append(" | ").append(orEmpty(thousands(c.value().apply(r)))));
            t.append('\n');
            COUNTERS.forEach(c -> run.attr(
                    "nstat-warp-" + r.server() + "-" + c.column().replace('_', '-'),
                    thousands(c.value().apply(r))));
        }
        Files.writeString(run.file(out, "table-nstat.adoc"), t.append("|===\n").toString());
    }
}
