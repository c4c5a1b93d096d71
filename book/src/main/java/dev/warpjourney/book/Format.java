package dev.warpjourney.book;

import dev.warpjourney.bench.rows.Figure;
import java.util.Locale;

/**
 * How the book prints a figure: thousands with commas, milliseconds and seconds from microseconds,
 * percentages, MiB. One place, so that the same figure reads the same in every table and sentence.
 * Each takes an absent figure (null) and gives null back, so that the attribute is left out.
 */
final class Format {
    /** What the book says where a run lacks a figure the chapters cite. */
    static final String NOT_MEASURED = "not measured in this run";

    private Format() {}

    /** A whole number with thousands separators: 26,000. */
    static String thousands(Double v) {
        return v == null ? null : String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    /** A fraction as a whole percentage: 0.93 is 93%. */
    static String percent(Double fraction) {
        return fraction == null ? null : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** A share of samples as a percentage; one below half a percent is "under 1%", not "0%". */
    static String share(long part, long total) {
        if (total == 0) {
            return "0%";
        }
        double p = 100.0 * part / total;
        return p > 0 && p < 0.5 ? "under 1%" : String.format(Locale.ROOT, "%.0f%%", p);
    }

    /** KiB as MiB with one decimal. */
    static String mib(Long kib) {
        return kib == null ? null : String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }

    /** Microseconds as milliseconds with one decimal. */
    static String ms(Double us) {
        return us == null ? null : String.format(Locale.ROOT, "%.1f", us / 1000.0);
    }

    /** Microseconds as seconds with one decimal. */
    static String seconds(Double us) {
        return us == null ? null : String.format(Locale.ROOT, "%.1f", us / 1_000_000.0);
    }

    /** Bytes, rounded to a whole byte (a figure of a few bytes per request is shown as it is). */
    static String bytes(Double v) {
        return v == null ? null : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** Two decimals; a blank cell prints blank. */
    static String two(Figure f) {
        return f == null ? "" : String.format(Locale.ROOT, "%.2f", f.value());
    }

    /** a over b with two decimals. */
    static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** A figure as the harness wrote it, or blank. */
    static String orEmpty(Figure f) {
        return f == null ? "" : f.text();
    }

    static String orEmpty(String v) {
        return v == null ? "" : v;
    }

    /** A whole-line remark in place of a table the run has no data for. */
    static String notMeasured(String what) {
        return "_" + what + ": " + NOT_MEASURED + "._\n";
    }

    /**
     * An attribute's name as AsciiDoc takes it: lower case, and a dash for anything else (stage-04-fdcache@vthreads-1).
     */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }
}
