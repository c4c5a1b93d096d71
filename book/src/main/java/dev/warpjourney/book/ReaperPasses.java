package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.thousands;

import dev.warpjourney.bench.rows.Cells;
import dev.warpjourney.bench.rows.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Chapter 04's answer to its open question: the reaper's passes, as tools/reaper-passes.sh logged them
 * (results/fdcache/reaper/reaper.csv, one row per server, tracing and round). Writes table-reaper.adoc and, per server
 * (loop, vthreads) and pass (timed, strace), summed over the rounds: {reaper-S-T-passes} and {reaper-S-T-due} (passes
 * during wrk's runs, and passes due in that time), {reaper-S-T-late-max} (ms), {reaper-S-T-dropped} (entries dropped
 * during the runs), {reaper-S-T-dropped-per-pass},
 * {reaper-S-T-req-s} (the rounds' median), {reaper-S-T-after-late-s} (how late, in seconds, the first pass after
 * wrk's run was, the longest over the rounds); and {reaper-seconds}, {reaper-rounds}.
 */
final class ReaperPasses {
    private ReaperPasses() {}

    /** A row of reaper.csv. */
    private record Row(
            String server,
            boolean traced,
            int round,
            int seconds,
            double requests,
            int passes,
            int due,
            Double lateMaxMs,
            int dropped,
            Double afterLateMs) {
        static Row of(Cells c) {
            return new Row(
                    c.text("server"),
                    "yes".equals(c.text("traced")),
                    c.required("round"),
                    c.required("seconds"),
                    Objects.requireNonNullElse(c.number("requests"), 0.0),
                    c.required("passes"),
                    c.required("due_passes"),
                    c.number("late_max_ms"),
                    c.required("dropped"),
                    c.number("first_after_late_ms"));
        }

        String label() {
            return server.endsWith("@vthreads-1") ? "vthreads" : "loop";
        }
    }

    static void write(Run main, Path dir, Path out) throws IOException {
        Path csv = dir.resolve("reaper.csv");
        if (!Files.isRegularFile(csv)) {
            RepoFiles.citedAttributes(main.repo, "reaper-").forEach(k -> main.attrs.putIfAbsent(k, NOT_MEASURED));
            Files.writeString(out.resolve("table-reaper.adoc"), "(" + NOT_MEASURED + ": results/fdcache/reaper)\n");
            return;
        }
        List<Row> rows = Csv.read(csv, Row::of);
        StringBuilder t = new StringBuilder("[cols=\"3,2,2,2,2,2\",options=\"header\"]\n|===\n")
                .append("| Server, pass | Pace: requests per second (median; CPU not read, not a ranking)")
                .append(" | Passes during the runs (due)")
                .append(" | Latest of them (ms) | Entries dropped per pass | First pass after the load: late by (s)\n");
        for (String label : List.of("loop", "vthreads")) {
            for (boolean traced : List.of(false, true)) {
                List<Row> mine = rows.stream()
                        .filter(r -> r.label().equals(label) && r.traced() == traced)
                        .toList();
                if (mine.isEmpty()) {
                    continue;
                }
                String key = "reaper-" + label + "-" + (traced ? "strace" : "timed");
                int passes = mine.stream().mapToInt(Row::passes).sum();
                int due = mine.stream().mapToInt(Row::due).sum();
                int dropped = mine.stream().mapToInt(Row::dropped).sum();
                List<Double> rates = mine.stream()
                        .map(r -> r.requests() / r.seconds())
                        .sorted()
                        .toList();
                double median = rates.size() % 2 == 1
                        ? rates.get(rates.size() / 2)
                        : (rates.get(rates.size() / 2 - 1) + rates.get(rates.size() / 2)) / 2;
                String lateMax = mine.stream()
                        .map(Row::lateMaxMs)
                        .filter(Objects::nonNull)
                        .max(Double::compare)
                        .map(v -> String.format(Locale.ROOT, "%.0f", v))
                        .orElse("none ran");
                String perPass = passes == 0 ? "none" : thousands((double) dropped / passes);
                String after = mine.stream()
                        .map(Row::afterLateMs)
                        .filter(Objects::nonNull)
                        .max(Double::compare)
                        .map(v -> String.format(Locale.ROOT, "%.1f", v / 1000))
                        .orElse("none");
                main.attr(key + "-passes", String.valueOf(passes));
                main.attr(key + "-due", String.valueOf(due));
                main.attr(key + "-late-max", lateMax);
                main.attr(key + "-dropped-per-pass", perPass);
                main.attr(key + "-dropped", thousands((double) dropped));
                main.attr(key + "-req-s", thousands(median));
                main.attr(key + "-after-late-s", after);
                t.append("| ")
                        .append(label.equals("loop") ? "The loop" : "Virtual threads, one carrier")
                        .append(traced ? ", under strace" : ", timed")
                        .append("\n| ")
                        .append(thousands(median))
                        .append("\n| ")
                        .append(passes)
                        .append(" (")
                        .append(due)
                        .append(")\n| ")
                        .append(lateMax)
                        .append("\n| ")
                        .append(perPass)
                        .append("\n| ")
                        .append(after)
                        .append('\n');
            }
        }
        t.append("|===\n");
        Files.writeString(out.resolve("table-reaper.adoc"), t);
        main.attr("reaper-seconds", String.valueOf(rows.getFirst().seconds()));
        main.attr(
                "reaper-rounds",
                String.valueOf(rows.stream().mapToInt(Row::round).distinct().count()));
    }
}
