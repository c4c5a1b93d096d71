package dev.warpjourney.bench.rows;

import java.util.Map;

/**
 * A line of summary.csv: one server in one scenario (at one idle count), over the rounds of the
 * throughput pass. Figures a reader prints as written are {@link Figure}s, the ones it only
 * computes with are numbers; a blank cell, or a column an older run lacks, is null.
 *
 * @param paired whether the run's harness paired its rounds (the file has the cpu_vs_nginx column, blank or not)
 * @param ranked the harness's own ranking (yes: no errors, server-bound, steady warm-up); null in an older run
 * @param cpuQuota the CPU budget per server CPU as written: a number, or "none" (see {@link #quotaCpus()})
 * @param cpuUsPerReqMin the fastest round's CPU per request (cpu_us_per_req_min, earlier cpu_min_us_per_req)
 * @param numbers every column of the line, its value where it is a number (for readers that export any column)
 */
public record SummaryRow(
        String scenario,
        int idle,
        String server,
        Integer rounds,
        Double medianReqS,
        Double minReqS,
        Double maxReqS,
        Ratio vsNginx,
        Ratio vsFloor,
        Double p50Us,
        Double p99Us,
        Double errors,
        Figure cpuUsPerReq,
        Figure cpuUsPerReqMin,
        Figure syscallsPerReq,
        Integer serverCpus,
        Figure utilization,
        String bound,
        Boolean ranked,
        String unrankedReason,
        String ratioNote,
        Double listenOverflows,
        Double listenDrops,
        Double retransSegs,
        Double synRetrans,
        String cpuQuota,
        Figure throttled,
        Integer serverBoundRounds,
        boolean paired,
        Ratio cpuVsNginx,
        Ratio cpuVsFloor,
        Map<String, Double> numbers) {

    public static SummaryRow of(Cells c) {
        String ranked = c.text("ranked");
        return new SummaryRow(
                c.text("scenario"),
                c.required("idle"),
                c.text("server"),
                c.integer("rounds"),
                c.number("median_req_s"),
                c.number("min_req_s"),
                c.number("max_req_s"),
                Ratio.of(c, "vs_nginx"),
                Ratio.of(c, "vs_floor"),
                c.number("p50_us"),
                c.number("p99_us"),
                c.number("errors"),
                c.figure("cpu_us_per_req"),
                c.figure("cpu_us_per_req_min", "cpu_min_us_per_req"),
                c.figure("syscalls_per_req"),
                c.integer("server_cpus"),
                c.figure("utilization"),
                c.text("bound"),
                ranked == null ? null : ranked.equals("yes"),
                c.text("unranked_reason"),
                c.text("ratio_note"),
                c.number("listen_overflows"),
                c.number("listen_drops"),
                c.number("retrans_segs"),
                c.number("syn_retrans"),
                c.text("cpu_quota"),
                c.figure("throttled"),
                c.integer("server_bound_rounds"),
                c.has("cpu_vs_nginx"),
                Ratio.of(c, "cpu_vs_nginx"),
                Ratio.of(c, "cpu_vs_floor"),
                c.numbers());
    }

    /** The throughput ratio against nginx or the floor server ("nginx" or "floor"). */
    public Ratio vs(String peer) {
        return switch (peer) {
            case "nginx" -> vsNginx;
            case "floor" -> vsFloor;
            default -> throw new IllegalArgumentException("no ratio against " + peer);
        };
    }

    /** The CPU-per-request ratio, the peer's over this server's, against nginx or the floor server. */
    public Ratio cpuVs(String peer) {
        return switch (peer) {
            case "nginx" -> cpuVsNginx;
            case "floor" -> cpuVsFloor;
            default -> throw new IllegalArgumentException("no CPU ratio against " + peer);
        };
    }

    /** The CPU budget in CPUs, or null where there was none ("none") or the run does not say. */
    public Double quotaCpus() {
        return Figure.isNumber(cpuQuota) ? Double.parseDouble(cpuQuota) : null;
    }
}
