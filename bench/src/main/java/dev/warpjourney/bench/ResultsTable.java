package dev.warpjourney.bench;

import static dev.warpjourney.bench.Results.BOOTSTRAP_ROUNDS;
import static dev.warpjourney.bench.Results.INTERVAL;
import static dev.warpjourney.bench.Results.LOAD_GENERATOR_SATURATED;
import static dev.warpjourney.bench.Results.SERVER_SATURATED;
import static dev.warpjourney.bench.Results.STEADY;
import static dev.warpjourney.bench.Results.fmt;
import static dev.warpjourney.bench.Results.interval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The summary table a journey prints at its end, with the rules its columns follow and why a row is not ranked. */
final class ResultsTable {
    private ResultsTable() {}

    /** The table printed at the end of a journey. */
    static String of(Results results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-10s %6s %-26s %10s %13s %6s %5s %-14s %16s %16s %7s %9s %9s %7s%n",
                "scenario",
                "idle",
                "server",
                "median/s",
                "min-max",
                "util",
                "thr",
                "bound",
                "vs nginx",
                "vs floor",
                "errors",
                "cpu us/r",
                "sys/r",
                "syn rtx"));
        List<String> reasons = new ArrayList<>();
        for (Summary m : results.summaries()) {
            boolean traced = m.idle() == results.maxIdle(m.scenario());
            Spread sys = traced
                    ? results.syscallsPerRequest(m.scenario(), m.server())
                    : new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            Long synRetrans = m.net().get("TcpExtTCPSynRetrans");
            b.append(String.format(
                    Locale.ROOT,
                    "%-10s %6d %-26s %10s %13s %6s %5s %-14s %16s %16s %7d %9s %9s %7s%n",
                    m.scenario(),
                    m.idle(),
                    m.server() + (m.ranked() ? "" : " *"),
                    fmt(m.median(), 0),
                    fmt(m.min(), 0) + "-" + fmt(m.max(), 0),
                    fmt(m.utilization().median(), 2),
                    fmt(m.throttled().median(), 2),
                    m.bound() + " " + m.serverBoundRounds() + "/" + m.rounds(),
                    m.ranked() ? interval(m.nginx()) : "-",
                    m.ranked() ? interval(m.floor()) : "-",
                    m.errors(),
                    fmt(m.cpuMicrosPerRequest().median(), 1),
                    fmt(sys.median(), 2),
                    synRetrans == null ? "" : synRetrans));
            if (!m.ranked()) {
                reasons.add(m.scenario() + (m.idle() > 0 ? " idle=" + m.idle() : "") + " " + m.server() + ": "
                        + m.unranked());
            }
            if (m.ranked() && !m.ratioNote().isEmpty()) {
                reasons.add(m.scenario() + (m.idle() > 0 ? " idle=" + m.idle() : "") + " " + m.server() + ": "
                        + m.ratioNote());
            }
        }
        double quota = results.runs().stream()
                .mapToDouble(Run::quota)
                .filter(q -> !Double.isNaN(q))
                .findFirst()
                .orElse(Double.NaN);
        b.append(
                "util: server CPU seconds per second (1.00 = one CPU busy); thr: share of its quota's periods it was throttled in.\n"
                        + (Double.isNaN(quota)
                                ? "No CPU quota: a server is at its limit when it keeps "
                                        + Math.round(SERVER_SATURATED * 100) + "% of its CPUs busy.\n"
                                : "CPU quota: " + fmt(quota, 2) + " CPU per server (" + CpuBudget.PERIOD_MICROS / 1000
                                        + " ms periods); a server is" + " at its limit when throttled in "
                                        + Math.round(CpuBudget.THROTTLED_MOST * 100) + "% of its periods or more.\n")
                        + "bound: what limited most rounds, checked in order: wrk (>= "
                        + Math.round(LOAD_GENERATOR_SATURATED * 100)
                        + "% busy), the server, the shared CPU set, neither; N/M: rounds at the server's limit.\n"
                        + "syn rtx: SYN retransmits over all rounds (a full listen queue; each costs the client 1 s, then 2 s more).\n");
        b.append(
                "Ratios (median of per-round ratios over the rounds where both servers were at their limit, and its interval:\n"
                        + "min-max below " + BOOTSTRAP_ROUNDS + " rounds, a bootstrap " + Math.round(INTERVAL * 100)
                        + "% interval from "
                        + BOOTSTRAP_ROUNDS + " on) are printed only for ranked rows:\n"
                        + "no errors, the server the limit in most rounds, and its warm-up steady (two runs in a row each no more than "
                        + Math.round(STEADY * 100) + "% above the best before it).\n");
        Set<String> straced = new TreeSet<>();
        results.costs()
                .forEach(c -> straced.add(c.scenario() + " on " + c.connections() + " connection"
                        + (c.connections() == 1 ? "" : "s") + (c.idle() > 0 ? " beside " + c.idle() + " idle" : "")));
        if (!straced.isEmpty()) {
            b.append(
                    "sys/r: system calls per request under strace, on fewer connections than the throughput runs where\n"
                            + "noted (a traced server answers a few thousand requests): " + String.join(", ", straced)
                            + ".\n");
        }
        if (!reasons.isEmpty()) {
            b.append("\n* not ranked, and notes on ratios:\n");
            reasons.forEach(r -> b.append("  ").append(r).append('\n'));
        }
        if (!results.slowloris().isEmpty()) {
            b.append('\n').append(Slowloris.table(results.slowloris()));
        }
        if (results.scaling()) {
            b.append('\n').append(Scaling.table(results.scalingRows(), results.scalingSharedCpus()));
        }
        if (!results.failures().isEmpty()) {
            b.append("\nfailures:\n");
            results.failures()
                    .forEach((k, v) -> b.append("  ")
                            .append(k)
                            .append(": ")
                            .append(v.lines().findFirst().orElse(""))
                            .append('\n'));
        }
        return b.toString();
    }
}
