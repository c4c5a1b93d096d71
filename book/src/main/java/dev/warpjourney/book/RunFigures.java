package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.bytes;
import static dev.warpjourney.book.Format.mib;
import static dev.warpjourney.book.Format.ms;
import static dev.warpjourney.book.Format.percent;
import static dev.warpjourney.book.Format.seconds;
import static dev.warpjourney.book.Format.thousands;
import static dev.warpjourney.book.Format.two;

import dev.warpjourney.bench.rows.AllocationRow;
import dev.warpjourney.bench.rows.C10kRow;
import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.MemoryRow;
import dev.warpjourney.bench.rows.Ratio;
import dev.warpjourney.bench.rows.RatioRow;
import dev.warpjourney.bench.rows.RunRow;
import dev.warpjourney.bench.rows.SummaryRow;
import dev.warpjourney.bench.rows.SyscallRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's figures as attributes and metrics, row by row: summary.csv ({SCENARIO-SERVER-median}, ...),
 * ratios.csv ({pair-...}), allocation.csv, runs.csv, c10k.csv, memory.csv, syscalls.csv and
 * environment.properties. The tables made of the same rows are {@link RunTables}'.
 */
final class RunFigures {
    private RunFigures() {}

    /** A summary row's attribute name: SCENARIO[-IDLE]-SERVER (the idle count only where there is one). */
    static String key(SummaryRow row) {
        return row.scenario() + (row.idle() == 0 ? "" : "-" + row.idle()) + "-" + row.server();
    }

    /** A server that answered with errors is shown, never ranked: a fast wrong server is not fast. */
    static boolean ranked(SummaryRow row) {
        if (row.ranked() != null) {
            return row.ranked(); // the harness's own rules: no errors, server-bound, steady warm-up
        }
        return row.errors() == null || row.errors() == 0;
    }

    /**
     * summary.csv: every server in every scenario, {KEY-median}, {KEY-vs-nginx}, ...; metrics
     * summary.SCENARIO.IDLE.SERVER.COLUMN for every numeric column.
     */
    static void summary(Run run) throws IOException {
        for (SummaryRow row : run.summary()) {
            String key = key(row);
            boolean ranked = ranked(row);
            run.attr(key + "-median", thousands(row.medianReqS()));
            run.attr(key + "-min", thousands(row.minReqS()));
            run.attr(key + "-max", thousands(row.maxReqS()));
            run.attr(key + "-vs-nginx", ranked ? Figure.text(row.vsNginx().value()) : "not ranked");
            run.attr(key + "-vs-floor", ranked ? Figure.text(row.vsFloor().value()) : "not ranked");
            run.attr(key + "-p50-ms", ms(row.p50Us()));
            run.attr(key + "-p99-ms", ms(row.p99Us()));
            run.attr(key + "-p99-s", seconds(row.p99Us()));
            run.attr(key + "-errors", thousands(row.errors()));
            // Little's law, with the median latency standing in for the mean: about how many requests
            // (so, with wrk's one request per connection, connections) were in service at a time.
            if (row.medianReqS() != null && row.p50Us() != null) {
                run.attr(key + "-in-flight", thousands(row.medianReqS() * row.p50Us() / 1e6));
            }
            run.attr(key + "-cpu", Figure.text(row.cpuUsPerReq()));
            run.attr(key + "-syscalls", Figure.text(row.syscallsPerReq()));
            run.attr(
                    key + "-utilization",
                    row.utilization() == null ? NOT_MEASURED : row.utilization().text());
            run.attr(key + "-bound", row.bound() == null ? NOT_MEASURED : row.bound());
            // Every numeric column is a metric, and has an interval where the run gives its ends (COL_lo/_hi or
            // COL_min/_max): the hypotheses may name any of them.
            String base = "summary." + row.scenario() + "." + row.idle() + "." + row.server() + ".";
            Map<String, Double> numbers = row.numbers();
            numbers.forEach((col, v) -> run.metric(base + col, v));
            numbers.keySet()
                    .forEach(col -> run.interval(
                            base + col,
                            first(numbers, col + "_lo", col + "_min"),
                            first(numbers, col + "_hi", col + "_max")));
            run.interval(base + "median_req_s", row.minReqS(), row.maxReqS());
            // {KEY-vs-nginx-interval}: the interval of the ratio, "1.45-2.00", and {KEY-quota}: the CPU budget it ran
            // under.
            for (String peer : List.of("nginx", "floor")) {
                Ratio vs = row.vs(peer);
                run.attr(
                        key + "-vs-" + peer + "-interval",
                        ranked && vs.hasInterval()
                                ? vs.lo().text() + "-" + vs.hi().text()
                                : "not ranked");
            }
            run.attr(key + "-quota", row.cpuQuota());
            run.attr(key + "-throttled", Figure.text(row.throttled()));
            run.attr(key + "-server-bound-rounds", text(row.serverBoundRounds()));
            run.attr(key + "-rounds", text(row.rounds()));
        }
    }

    /**
     * CPU time per request as a ratio: {KEY-cpu-vs-nginx} is nginx's CPU per request over this
     * server's in the same scenario (above 1: this server does a request's work in less CPU time),
     * {KEY-cpu-vs-floor} the floor's over this server's (1 would be the floor's cost). Unlike a
     * throughput ratio it holds when wrk, not the server, was the limit: it is what one core could
     * serve, measured where the core was not full. Metrics cpuratio.SCENARIO.SERVER.vs_nginx and .vs_floor.
     */
    static void cpuRatios(Run run) throws IOException {
        List<SummaryRow> summary = run.summary();
        for (SummaryRow row : summary) {
            String key = key(row);
            String name = "cpuratio." + row.scenario() + "." + row.idle() + "." + row.server() + ".vs_";
            if (row.paired()) {
                // The harness's own: the median of per-round ratios, over the rounds both servers were at their limit.
                for (String peer : List.of("nginx", "floor")) {
                    Ratio r = row.cpuVs(peer);
                    run.attr(
                            key + "-cpu-vs-" + peer,
                            r.value() == null ? "not ranked" : r.value().text());
                    run.attr(
                            key + "-cpu-vs-" + peer + "-interval",
                            r.value() == null ? "not ranked" : Format.orEmpty(r.lo()) + "-" + Format.orEmpty(r.hi()));
                    run.metric(name + peer, r.value());
                    run.interval(name + peer, r.lo(), r.hi());
                }
                continue;
            }
            // A run from before the harness paired its rounds: the ratio of the medians, as it then was.
            for (String peer : List.of("nginx", "floor")) {
                Double mine = Figure.value(row.cpuUsPerReq());
                Double theirs = summary.stream()
                        .filter(r -> r.scenario().equals(row.scenario())
                                && r.idle() == row.idle()
                                && r.server().equals(peer))
                        .map(r -> Figure.value(r.cpuUsPerReq()))
                        .findFirst()
                        .orElse(null);
                if (mine != null && theirs != null && mine > 0) {
                    run.attr(key + "-cpu-vs-" + peer, String.format(Locale.ROOT, "%.2f", theirs / mine));
                    run.metric(name + peer, theirs / mine);
                }
            }
        }
    }

    /**
     * ratios.csv: every ranked server against every other of its scenario, as the harness paired
     * their rounds. Metrics pair.SCENARIO.IDLE.SERVER.PEER.vs (throughput, SERVER over PEER) and
     * .cpu_vs (PEER's CPU per request over SERVER's), with their intervals; attributes
     * {pair-SCENARIO-SERVER-PEER} and {pair-SCENARIO-SERVER-PEER-cpu}, each with -interval.
     */
    static void pairs(Run run) throws IOException {
        for (RatioRow r : run.ratios()) {
            String name = "pair." + r.scenario() + "." + r.idle() + "." + r.server() + "." + r.peer();
            String key =
                    "pair-" + r.scenario() + (r.idle() == 0 ? "" : "-" + r.idle()) + "-" + r.server() + "-" + r.peer();
            for (String col : List.of("vs", "cpu_vs")) {
                Ratio ratio = col.equals("vs") ? r.vs() : r.cpuVs();
                run.metric(name + "." + col, ratio.value());
                run.interval(name + "." + col, ratio.lo(), ratio.hi());
                String suffix = col.equals("vs") ? "" : "-cpu";
                run.attr(key + suffix, two(ratio.value()));
                run.attr(key + suffix + "-interval", two(ratio.lo()) + "-" + two(ratio.hi()));
            }
            run.attr(key + "-rounds", text(r.rounds()));
        }
    }

    /**
     * What a request costs and how the server held up: allocation.csv ({alloc-...}), runs.csv (requests per
     * round), c10k.csv ({c10k-SERVER-IDLE-percent}, -kept), memory.csv ({memory-...}), syscalls.csv
     * ({syscalls-SCENARIO-SERVER-CALL}) and the run's environment ({env-...}).
     */
    static void costs(Run run) throws IOException {
        for (AllocationRow row : run.allocation()) {
            // {alloc-SCENARIO-SERVER}: heap bytes the server allocated per request (its threads' counters), median over
            // rounds.
            String key = "alloc-" + row.scenario() + "-" + row.server();
            run.attr(key, bytes(row.bytesPerRequest()));
            run.attr(key + "-min", bytes(row.min()));
            run.attr(key + "-max", bytes(row.max()));
            run.attr(key + "-rounds", text(row.rounds()));
            String metric = "allocation." + row.scenario() + "." + row.server() + ".bytes_per_request";
            run.metric(metric, row.bytesPerRequest());
            run.interval(metric, row.min(), row.max());
        }
        // Requests per round (median over the rounds), and how many of them lie at or above the p99.
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        for (RunRow row : run.runs()) {
            String key = row.scenario() + (row.idle() == 0 ? "" : "-" + row.idle()) + "-" + row.server();
            perRound.computeIfAbsent(key, k -> new ArrayList<>()).add(row.requests());
        }
        perRound.forEach((key, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            double median = sorted.size() % 2 == 1
                    ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            run.attr(key + "-requests-per-round", thousands(median));
            run.attr(key + "-requests-above-p99", thousands(Math.floor(median / 100)));
        });
        for (C10kRow row : run.c10k()) {
            String key = "c10k-" + row.server() + "-" + row.idle();
            run.attr(key + "-percent", percent(row.fractionOfNoIdle()));
            run.metric("c10k." + row.server() + "." + row.idle() + ".fraction", row.fractionOfNoIdle());
            // What it kept relative to what nginx kept, in the same rounds: drift between the passes cancels.
            Ratio kept = row.keptVsNginx();
            String name = "c10k." + row.server() + "." + row.idle() + ".kept";
            run.metric(name, kept.value());
            run.interval(name, kept.lo(), kept.hi());
            run.attr(key + "-kept", percent(Figure.value(kept.value())));
            run.attr(
                    key + "-kept-interval",
                    kept.lo() == null ? null : percent(kept.lo().value()) + "-" + percent(Figure.value(kept.hi())));
        }
        for (MemoryRow row : run.memory()) {
            row.numbers().forEach((col, v) -> run.metric("memory." + row.server() + "." + row.idle() + "." + col, v));
            if (row.idle() != 0) {
                String key = "memory-" + row.server() + "-" + row.idle();
                run.attr(key + "-heap-per-connection", thousands(row.heapBytesPerIdleConnection()));
                run.attr(key + "-rss-per-connection", thousands(row.rssBytesPerIdleConnection()));
                run.attr(key + "-heap-mib", mib(row.heapUsedKib()));
                run.attr(key + "-rss-mib", mib(row.rssKib()));
            }
        }
        for (SyscallRow row : run.syscalls()) {
            String base = "syscalls." + row.scenario() + "." + row.server() + "." + row.syscall();
            run.metric(base, row.perRequest());
            run.interval(base, row.perRequestMin(), row.perRequestMax());
            run.interval(base + ".us-per-call", row.usecsPerCallMin(), row.usecsPerCallMax());
            run.metric(base + ".us-per-call", row.usecsPerCall());
            run.metric(
                    base + ".errors", row.errorsPerRequest()); // calls that failed, per request (EAGAIN for an accept)
            // {syscalls-SCENARIO-SERVER-CALL} (per request) and {...-us} (strace's time per call), for the prose.
            String key = "syscalls-" + row.scenario() + "-" + row.server() + "-" + row.syscall();
            run.attr(key, String.format(Locale.ROOT, "%.2f", row.perRequest()));
            run.attr(key + "-us", Figure.text(row.usecsPerCall()));
            Double errors = row.errorsPerRequest();
            run.attr(key + "-errors", errors == null ? null : String.format(Locale.ROOT, "%.3f", errors));
        }
        run.environment().forEach((k, v) -> run.attr("env-" + k.replace('_', '-'), v));
    }

    /** The first of these columns that holds a number. */
    private static Double first(Map<String, Double> numbers, String... columns) {
        for (String c : columns) {
            Double v = numbers.get(c);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A whole number as text, or null. */
    static String text(Integer v) {
        return v == null ? null : v.toString();
    }
}
