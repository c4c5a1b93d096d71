package dev.warpjourney.bench.rows;

/**
 * A line of c10k.csv: a server's throughput while it held idle connections, and the fraction of
 * its throughput with none that it kept.
 *
 * @param keptVsNginx what it kept relative to what nginx kept in the same rounds, with its interval (newer runs)
 */
public record C10kRow(String server, int idle, Double medianReqS, Double fractionOfNoIdle, Ratio keptVsNginx) {
    public static C10kRow of(Cells c) {
        return new C10kRow(
                c.text("server"),
                c.required("idle"),
                c.number("median_req_s"),
                c.number("fraction_of_no_idle"),
                Ratio.of(c, "kept_vs_nginx"));
    }
}
