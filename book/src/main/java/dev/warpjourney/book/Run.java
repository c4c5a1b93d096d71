package dev.warpjourney.book;

import dev.warpjourney.bench.rows.AllocationRow;
import dev.warpjourney.bench.rows.C10kRow;
import dev.warpjourney.bench.rows.Cells;
import dev.warpjourney.bench.rows.Csv;
import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.LatencyRow;
import dev.warpjourney.bench.rows.MemoryRow;
import dev.warpjourney.bench.rows.RatioRow;
import dev.warpjourney.bench.rows.RunRow;
import dev.warpjourney.bench.rows.SlowlorisRow;
import dev.warpjourney.bench.rows.SummaryRow;
import dev.warpjourney.bench.rows.SyscallRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One journey run as the book reads it (results/journey, or results/fdcache, results/herd, ... under a
 * name), and what the book makes of it: its attributes, its metrics (raw numbers by name, for the
 * hypotheses) and their intervals. Its CSV files are read once each into typed rows (bench's
 * {@code rows} package); {@link #numbers} writes everything a run makes, section by section.
 */
final class Run {
    final Path repo;
    final Path results;
    /** The multicore run (scaling.csv): stage 03's designs at 1 and N loops beside nginx; may be absent. */
    final Path multicore;

    final boolean reference;
    /**
     * Which run this is: "" for the main one, else a name (e.g. "fdcache") that prefixes everything
     * it makes, so that two runs' figures can sit side by side in one book: attributes
     * ({fdcache-warp-nginx-median}), metrics (fdcache.summary.warp.0.nginx.median_req_s) and
     * generated files (fdcache-table-warp.adoc).
     */
    final String name;

    /** The attributes in the order they were made: numbers.adoc lists them so. */
    final Map<String, String> attrs = new LinkedHashMap<>();
    /** Raw numbers by name, for the hypotheses: e.g. c10k.stage-02-epoll.10000.fraction. */
    final Map<String, Double> metrics = new TreeMap<>();
    /**
     * A metric's interval, {lo, hi}, where the run gives one: a ratio's interval over its paired
     * rounds ({@code _lo}/{@code _hi} columns), a median's min-max over its rounds ({@code _min}/{@code _max}).
     * The hypotheses are judged on it (Hypotheses.verdict).
     */
    final Map<String, double[]> intervals = new TreeMap<>();

    private final Map<String, List<?>> rows = new HashMap<>();

    Run(Path repo, Path results, Path multicore, String name) {
        this.repo = repo;
        this.results = results;
        this.multicore = multicore;
        this.reference = results.equals(repo.resolve("results/journey"));
        this.name = name;
    }

    /** The main run: the one that also owns the book-wide figures (JMH, the multicore run, the seed table). */
    boolean isMain() {
        return name.isEmpty();
    }

    /** What this run puts before an attribute's or a generated file's name: "" or e.g. "fdcache-". */
    String prefix() {
        return name.isEmpty() ? "" : name + "-";
    }

    /** A generated file of this run. */
    Path file(Path out, String file) {
        return out.resolve(prefix() + file);
    }

    /**
     * Everything this run makes, attributes in this order: the rows' figures, the latency pass, the
     * methodology, the tables, the profiles and charts, the TCP counters, slowloris; and for the main
     * run the book-wide ones (the multicore run, the seed table, the journey table).
     */
    void numbers(Path out) throws IOException {
        RunFigures.summary(this);
        RunFigures.cpuRatios(this);
        RunFigures.pairs(this);
        PassTables.latency(this, out);
        RunFigures.costs(this);
        if (isMain()) { // the book's figures, not a run's: the main run carries them
            Methodology.bookFigures(this);
        }
        Methodology.runFigures(this);
        RunTables.write(this, out);
        ProfileFigures.profiles(this, out);
        ProfileFigures.charts(this, out);
        RunTables.nstat(this, out);
        PassTables.slowloris(this, out);
        if (isMain()) {
            MulticoreRun.scaling(this, out);
            // The seed table is written by BookData, once the run on every core is read: its prefork
            // row compares against nginx at the same workers from that run.
            Files.writeString(out.resolve("table-journey.adoc"), RunTables.journeyTable(this));
        }
    }

    // ---------------------------------------------------------------- what it makes

    void attr(String attribute, String value) {
        if (value != null && !value.isEmpty()) {
            attrs.put(Format.key(prefix() + attribute), value.replace("\n", " "));
        }
    }

    void metric(String metric, Double value) {
        if (value != null) {
            metric(metric, value.doubleValue());
        }
    }

    void metric(String metric, Figure value) {
        metric(metric, Figure.value(value));
    }

    void metric(String metric, double value) {
        metrics.put(isMain() ? metric : name + "." + metric, value);
    }

    /** The interval {lo, hi} of a metric, when both ends are numbers. */
    void interval(String metric, Double lo, Double hi) {
        if (lo != null && hi != null) {
            intervals.put(isMain() ? metric : name + "." + metric, new double[] {lo, hi});
        }
    }

    void interval(String metric, Figure lo, Figure hi) {
        interval(metric, Figure.value(lo), Figure.value(hi));
    }

    /** Another run's attributes, metrics and intervals, as its own (they carry its prefix already). */
    void add(Run other) {
        attrs.putAll(other.attrs);
        metrics.putAll(other.metrics);
        intervals.putAll(other.intervals);
    }

    // ---------------------------------------------------------------- its rows, each file read once

    List<SummaryRow> summary() throws IOException {
        return rows("summary.csv", SummaryRow::of);
    }

    List<RatioRow> ratios() throws IOException {
        return rows("ratios.csv", RatioRow::of);
    }

    List<RunRow> runs() throws IOException {
        return rows("runs.csv", RunRow::of);
    }

    List<AllocationRow> allocation() throws IOException {
        return rows("allocation.csv", AllocationRow::of);
    }

    List<C10kRow> c10k() throws IOException {
        return rows("c10k.csv", C10kRow::of);
    }

    List<MemoryRow> memory() throws IOException {
        return rows("memory.csv", MemoryRow::of);
    }

    List<LatencyRow> latency() throws IOException {
        return rows("latency-summary.csv", LatencyRow::of);
    }

    List<SlowlorisRow> slowloris() throws IOException {
        return rows("slowloris-summary.csv", SlowlorisRow::of);
    }

    /** syscalls.csv without repeated (scenario, server, call) rows (the reference run has a few). */
    List<SyscallRow> syscalls() throws IOException {
        Map<String, SyscallRow> unique = new LinkedHashMap<>();
        for (SyscallRow r : rows("syscalls.csv", SyscallRow::of)) {
            unique.putIfAbsent(r.scenario() + "/" + r.server() + "/" + r.syscall(), r);
        }
        return new ArrayList<>(unique.values());
    }

    /** The run's environment.properties (machine, kernel, JDK, the run's options), or none. */
    Map<String, String> environment() throws IOException {
        Path env = results.resolve("environment.properties");
        return Files.exists(env) ? RepoFiles.properties(env) : Map.of();
    }

    /** A CSV file of the run as rows, read on first use; a file the run lacks is no rows. */
    @SuppressWarnings("unchecked")
    private <T> List<T> rows(String file, Function<Cells, T> row) throws IOException {
        List<?> read = rows.get(file);
        if (read == null) {
            Path f = results.resolve(file);
            read = Files.exists(f) ? Csv.read(f, row) : List.of();
            rows.put(file, read);
        }
        return (List<T>) read;
    }
}
