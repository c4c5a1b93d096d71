package dev.warpjourney.bench.rows;

/**
 * A line of results/seed/original-figures.csv: one point of a figure published before this
 * project (the seed's), as read from its source.
 *
 * @param figure which figure the point belongs to (one-core, prefork, mio), title its caption
 * @param howRead how the number was taken from the source ("read off the chart" ones are approximate)
 */
public record SeedFigureRow(
        String figure,
        String title,
        String server,
        int workers,
        double reqPerS,
        String howRead,
        String setup,
        String source) {
    public static SeedFigureRow of(Cells c) {
        return new SeedFigureRow(
                c.text("figure"),
                c.text("title"),
                c.text("server"),
                c.required("workers"),
                c.number("req_per_s"),
                c.text("how_read"),
                c.text("setup"),
                c.text("source"));
    }

    /** Whether the number was read off a chart rather than quoted. */
    public boolean approximate() {
        return howRead != null && howRead.startsWith("read off");
    }
}
