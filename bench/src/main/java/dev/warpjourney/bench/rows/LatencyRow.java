package dev.warpjourney.bench.rows;

import java.util.Map;

/**
 * A line of latency-summary.csv: a server offered a fixed rate without its CPU budget, medians
 * over the rounds with the latencies' min and max.
 *
 * @param keptUp "yes" when it answered the offered rate, else "no"
 * @param numbers every column of the line, its value where it is a number (for readers that export any column)
 */
public record LatencyRow(
        String scenario,
        String server,
        Double offeredReqS,
        Double medianReqS,
        String keptUp,
        Double p50Us,
        Double p50MinUs,
        Double p50MaxUs,
        Double p99Us,
        Double p99MinUs,
        Double p99MaxUs,
        Figure utilization,
        Map<String, Double> numbers) {
    public static LatencyRow of(Cells c) {
        return new LatencyRow(
                c.text("scenario"),
                c.text("server"),
                c.number("offered_req_s"),
                c.number("median_req_s"),
                c.text("kept_up"),
                c.number("p50_us"),
                c.number("p50_min_us"),
                c.number("p50_max_us"),
                c.number("p99_us"),
                c.number("p99_min_us"),
                c.number("p99_max_us"),
                c.figure("utilization"),
                c.numbers());
    }
}
