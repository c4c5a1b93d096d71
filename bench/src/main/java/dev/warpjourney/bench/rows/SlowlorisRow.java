package dev.warpjourney.bench.rows;

/**
 * A line of slowloris-summary.csv: a server while many slow clients trickled request heads, medians
 * over the rounds: how many slow connections it let open and closed (and after how long), and how
 * the fresh probe clients fared meanwhile.
 *
 * @param probeSuccess the fraction of probes answered, with its min and max over the rounds
 * @param closedAfterP50Ms null when the server closed none
 */
public record SlowlorisRow(
        String server,
        Double slowRequested,
        Double slowOpened,
        Double probeSuccess,
        Double probeSuccessMin,
        Double probeSuccessMax,
        Double probeP50Us,
        Double probeP99Us,
        Double probeP99MinUs,
        Double probeP99MaxUs,
        Double slowClosedByServer,
        Double closedAfterP50Ms,
        Double holdS) {
    public static SlowlorisRow of(Cells c) {
        return new SlowlorisRow(
                c.text("server"),
                c.number("slow_requested"),
                c.number("slow_opened"),
                c.number("probe_success"),
                c.number("probe_success_min"),
                c.number("probe_success_max"),
                c.number("probe_p50_us"),
                c.number("probe_p99_us"),
                c.number("probe_p99_min_us"),
                c.number("probe_p99_max_us"),
                c.number("slow_closed_by_server"),
                c.number("closed_after_p50_ms"),
                c.number("hold_s"));
    }
}
