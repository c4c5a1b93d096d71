package dev.warpjourney.bench.rows;

/**
 * A line of ratios.csv: one ranked server against another of its scenario, as the harness paired
 * their rounds (only the rounds in which both were at their limit).
 *
 * @param vs throughput, the server's over the peer's, with its interval
 * @param cpuVs CPU time per request, the peer's over the server's, with its interval
 */
public record RatioRow(String scenario, int idle, String server, String peer, Integer rounds, Ratio vs, Ratio cpuVs) {
    public static RatioRow of(Cells c) {
        return new RatioRow(
                c.text("scenario"),
                c.required("idle"),
                c.text("server"),
                c.text("peer"),
                c.integer("rounds"),
                Ratio.of(c, "vs"),
                Ratio.of(c, "cpu_vs"));
    }
}
