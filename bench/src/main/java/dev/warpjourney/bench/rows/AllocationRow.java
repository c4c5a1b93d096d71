package dev.warpjourney.bench.rows;

/**
 * A line of allocation.csv: heap bytes a JVM server's threads allocated per request in a scenario,
 * the median over the rounds with its min and max.
 */
public record AllocationRow(
        String scenario, String server, Double bytesPerRequest, Integer rounds, Double min, Double max) {
    public static AllocationRow of(Cells c) {
        return new AllocationRow(
                c.text("scenario"),
                c.text("server"),
                c.number("bytes_per_request"),
                c.integer("rounds"),
                c.number("min"),
                c.number("max"));
    }
}
