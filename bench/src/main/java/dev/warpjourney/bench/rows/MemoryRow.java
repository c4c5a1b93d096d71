package dev.warpjourney.bench.rows;

import java.util.Map;

/**
 * A line of memory.csv: a server's resident set and heap (after a GC) while it held a number of
 * idle connections, and what each idle connection cost, medians over the rounds.
 *
 * @param heapUsedKib null for a server that is not a JVM
 * @param rssMinKib the rounds' spread, with rssMaxKib (null in a run from before the harness kept it)
 * @param numbers every column of the line, its value where it is a number (for readers that export any column)
 */
public record MemoryRow(
        String server,
        int idle,
        Long rssKib,
        Long heapUsedKib,
        Double rssBytesPerIdleConnection,
        Double heapBytesPerIdleConnection,
        Double rssMinKib,
        Double rssMaxKib,
        Map<String, Double> numbers) {
    public static MemoryRow of(Cells c) {
        return new MemoryRow(
                c.text("server"),
                c.required("idle"),
                whole(c.text("rss_kib")),
                whole(c.text("heap_used_kib")),
                c.number("rss_bytes_per_idle_connection"),
                c.number("heap_bytes_per_idle_connection"),
                c.number("rss_min_kib"),
                c.number("rss_max_kib"),
                c.numbers());
    }

    private static Long whole(String v) {
        return v == null ? null : Long.valueOf(v);
    }
}
