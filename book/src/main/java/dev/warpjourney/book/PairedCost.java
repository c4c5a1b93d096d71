package dev.warpjourney.book;

import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.RatioRow;
import java.io.IOException;
import java.util.Locale;

/**
 * What a variant pays per request over the server it is a variant of, from the harness's paired rounds (ratios.csv):
 * the variant's CPU per request over the base's, median with its interval. Chapter 05's ideas switched off and chapter
 * 06's JDK costs put back are both read this way (IdeasTable, JdkCostsTable).
 */
final class PairedCost {
    private PairedCost() {}

    /** The base against the variant in a scenario without idle connections: null if the run has no such pair. */
    static RatioRow pair(Run run, String scenario, String base, String variant) throws IOException {
        return run.ratios().stream()
                .filter(p -> p.scenario().equals(scenario)
                        && p.idle() == 0
                        && p.server().equals(base)
                        && p.peer().equals(variant))
                .findFirst()
                .orElse(null);
    }

    /** The ratio less one: what the variant pays more per request than the base; null when not ranked. */
    static Double cost(RatioRow pair) {
        return pair == null || pair.cpuVs().value() == null
                ? null
                : pair.cpuVs().value().value() - 1;
    }

    /** A cost (ratio less one) in percent: 0.12 is "+12%". */
    static String percent(Double cost) {
        return cost == null ? "?" : String.format(Locale.ROOT, "%+.0f%%", 100 * cost);
    }

    /** The interval of a pair's cost, in percent: "-3% to +7%". */
    static String interval(RatioRow pair) {
        return percent(Figure.value(pair.cpuVs().lo()) - 1) + " to "
                + percent(Figure.value(pair.cpuVs().hi()) - 1);
    }

    /** The table cell: "1" for the base itself, the ratio with its interval, or "not ranked". */
    static String ratioCell(RatioRow pair) {
        return pair == null
                ? "1"
                : pair.cpuVs().value() == null
                        ? "not ranked"
                        : Format.two(pair.cpuVs().value()) + " ("
                                + Format.two(pair.cpuVs().lo()) + "-"
                                + Format.two(pair.cpuVs().hi()) + ")";
    }
}
