package dev.warpjourney.bench.rows;

/**
 * A line of runs.csv: one round of one server in one scenario. Only the columns a reader uses so
 * far; the file has many more (see bench/RESULTS.adoc).
 *
 * @param requests the requests answered in the round
 */
public record RunRow(String scenario, int idle, String server, int round, double requests) {
    public static RunRow of(Cells c) {
        return new RunRow(
                c.text("scenario"), c.required("idle"), c.text("server"), c.required("round"), c.number("requests"));
    }
}
