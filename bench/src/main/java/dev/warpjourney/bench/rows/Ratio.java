package dev.warpjourney.bench.rows;

/**
 * A ratio with its interval, as the harness writes it in three columns (e.g. {@code vs_nginx},
 * {@code vs_nginx_lo}, {@code vs_nginx_hi}): the median of the paired rounds' ratios and the
 * interval around it. Any of the three may be absent (null): a server that was not ranked has no
 * ratio, and a run from before the harness paired its rounds has no interval.
 */
public record Ratio(Figure value, Figure lo, Figure hi) {
    /** The ratio in column name and its interval in name_lo and name_hi. */
    static Ratio of(Cells cells, String name) {
        return new Ratio(cells.figure(name), cells.figure(name + "_lo"), cells.figure(name + "_hi"));
    }

    /** Whether both ends of the interval are there. */
    public boolean hasInterval() {
        return lo != null && hi != null;
    }
}
