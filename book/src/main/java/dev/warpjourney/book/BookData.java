package dev.warpjourney.book;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates the book's data before Asciidoctor runs: every number the text quotes (as AsciiDoc
 * attributes), the tables, the verdict on every chapter's hypothesis, profile shares from the
 * flame graphs, the original figures beside ours, and the "what changed since the previous
 * stage" sections. Nothing here is typed by hand: it is all read from result files, from the
 * stage sources and from the chapters' data ({@code book/src/data}).
 *
 * <p>{@code java BookData REPO_ROOT OUT_DIR [RESULTS_DIR [MULTICORE_DIR [FDCACHE_DIR]]]}: RESULTS_DIR defaults to the
 * committed reference run, {@code results/journey}, MULTICORE_DIR to the committed multicore run
 * ({@code ./journey --multicore}), {@code results/multicore}, and FDCACHE_DIR to chapter 04's run
 * ({@code results/fdcache}: stage 03 beside stage 04 and nginx). Given a reader's own run instead, every figure the
 * reference run has and that run lacks reads "not measured in this run", and a hypothesis that
 * the run refutes is reported (and printed in the book) instead of failing the build.
 */
public final class BookData {
    static final String NOT_MEASURED = "not measured in this run";

    private final Path repo;
    private final Path results;
    /** The multicore run (scaling.csv): stage 03's designs at 1 and N loops beside nginx; may be absent. */
    private final Path multicore;

    private final boolean reference;
    /**
     * Which run this instance reads: "" for the main one, else a name (e.g. "fdcache") that prefixes
     * everything it makes, so that two runs' figures can sit side by side in one book: attributes
     * ({fdcache-warp-nginx-median}), metrics (fdcache.summary.warp.0.nginx.median_req_s) and
     * generated files (fdcache-table-warp.adoc).
     */
    private final String run;

    private final Map<String, String> attrs = new LinkedHashMap<>();
    /** Raw numbers by name, for the hypotheses: e.g. c10k.stage-02-epoll.10000.fraction. */
    private final Map<String, Double> metrics = new TreeMap<>();
    /**
     * A metric's interval, {lo, hi}, where the run gives one: a ratio's interval over its paired
     * rounds ({@code _lo}/{@code _hi} columns), a median's min-max over its rounds ({@code _min}/{@code _max}).
     * The hypotheses are judged on it (Hypotheses.verdict).
     */
    private final Map<String, double[]> intervals = new TreeMap<>();
    /** The fdcache run's system calls (deduplicated), for the tables of a chapter with run=fdcache. */
    private List<Map<String, String>> fdcacheSyscalls = List.of();

    private BookData(Path repo, Path results, Path multicore) {
        this(repo, results, multicore, "");
    }

    private BookData(Path repo, Path results, Path multicore, String run) {
        this.repo = repo;
        this.results = results;
        this.multicore = multicore;
        this.reference = results.equals(repo.resolve("results/journey"));
        this.run = run;
    }

    /** The main run: the one that also owns the book-wide figures (JMH, the multicore run, the seed table). */
    private boolean isMain() {
        return run.isEmpty();
    }

    /** What this run puts before an attribute's or a generated file's name: "" or e.g. "fdcache-". */
    private String prefix() {
        return run.isEmpty() ? "" : run + "-";
    }

    /** A generated file of this run. */
    private Path file(Path out, String name) {
        return out.resolve(prefix() + name);
    }

    public static void main(String[] args) throws IOException {
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]);
        Path results = (args.length > 2 ? Path.of(args[2]) : repo.resolve("results/journey"))
                .toAbsolutePath()
                .normalize();
        Path multicore = (args.length > 3 ? Path.of(args[3]) : repo.resolve("results/multicore"))
                .toAbsolutePath()
                .normalize();
        Path fdcache = (args.length > 4 ? Path.of(args[4]) : repo.resolve("results/fdcache"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(results.resolve("summary.csv"))) {
            throw new IllegalArgumentException(
                    "no journey run in " + results + " (summary.csv missing): run ./journey first");
        }
        List<String> problems = generate(repo, results, multicore, fdcache, out);
        problems.forEach(p -> System.err.println("BookData: " + p));
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    problems.size() + " chapter(s) disagree with their hypotheses' verdicts; see above");
        }
    }

    /** Writes everything into out; returns the refuted hypotheses that a chapter does not own up to. */
    static List<String> generate(Path repo, Path results, Path out) throws IOException {
        return generate(repo, results, repo.resolve("results/multicore"), out);
    }

    static List<String> generate(Path repo, Path results, Path multicore, Path out) throws IOException {
        return generate(repo, results, multicore, repo.resolve("results/fdcache"), out);
    }

    static List<String> generate(Path repo, Path results, Path multicore, Path fdcache, Path out) throws IOException {
        Files.createDirectories(out);
        BookData data = new BookData(repo, results, multicore);
        data.numbers(out);
        if (!data.reference) {
            // Every figure the reference run has must resolve in a reader's run too: absent ones say so.
            BookData ref = new BookData(repo, repo.resolve("results/journey"), repo.resolve("results/multicore"));
            ref.numbers(Files.createTempDirectory("book-reference"));
            ref.attrs.keySet().forEach(k -> data.attrs.putIfAbsent(k, NOT_MEASURED));
        }
        data.fdcache(fdcache, out);
        data.herd(repo.resolve("results/herd"), out);
        data.cores(repo.resolve("results/cores"), out);
        data.previous(repo.resolve("results/previous"));
        List<String> problems = data.chapters(out);
        data.attr("run", data.reference ? "the reference run" : "your own run");
        data.attr("run-dir", data.reference ? "results/journey" : results.toString());
        StringBuilder b = new StringBuilder("// Generated by BookData from " + results + ": do not edit.\n");
        data.attrs.forEach(
                (k, v) -> b.append(':').append(k).append(": ").append(v).append('\n'));
        Files.writeString(out.resolve("numbers.adoc"), b);

        List<String> stages = stages(repo);
        if (!stages.isEmpty()) {
            Files.writeString(
                    out.resolve(stages.getFirst() + "-changes.adoc"), StageDiff.inventory(repo, stages.getFirst()));
        }
        for (int i = 1; i < stages.size(); i++) {
            Files.writeString(
                    out.resolve(stages.get(i) + "-changes.adoc"),
                    StageDiff.describe(repo, stages.get(i - 1), stages.get(i)));
        }
        return problems;
    }

    // ---------------------------------------------------------------- numbers and tables of a run

    private void numbers(Path out) throws IOException {
        List<Map<String, String>> summary = csv("summary.csv");
        for (Map<String, String> row : summary) {
            String key = row.get("scenario") + (row.get("idle").equals("0") ? "" : "-" + row.get("idle")) + "-"
                    + row.get("server");
            attr(key + "-median", thousands(row.get("median_req_s")));
            attr(key + "-min", thousands(row.get("min_req_s")));
            attr(key + "-max", thousands(row.get("max_req_s")));
            attr(key + "-vs-nginx", ranked(row) ? row.get("vs_nginx") : "not ranked");
            attr(key + "-vs-floor", ranked(row) ? row.get("vs_floor") : "not ranked");
            attr(key + "-p50-ms", ms(row.get("p50_us")));
            attr(key + "-p99-ms", ms(row.get("p99_us")));
            attr(key + "-p99-s", seconds(row.get("p99_us")));
            attr(key + "-errors", thousands(row.get("errors")));
            // Little's law, with the median latency standing in for the mean: about how many requests
            // (so, with wrk's one request per connection, connections) were in service at a time.
            if (row.get("median_req_s") != null
                    && row.get("p50_us") != null
                    && !row.get("p50_us").isEmpty()) {
                attr(
                        key + "-in-flight",
                        thousands(String.valueOf(Double.parseDouble(row.get("median_req_s"))
                                * Double.parseDouble(row.get("p50_us"))
                                / 1e6)));
            }
            attr(key + "-cpu", row.get("cpu_us_per_req"));
            attr(key + "-syscalls", row.get("syscalls_per_req"));
            String utilization = first(row, "utilization");
            attr(key + "-utilization", utilization == null ? "not measured in this run" : utilization);
            attr(key + "-bound", first(row, "bound") == null ? "not measured in this run" : first(row, "bound"));
            String base = "summary." + row.get("scenario") + "." + row.get("idle") + "." + row.get("server") + ".";
            row.forEach((col, v) -> metric(base + col, v));
            row.keySet()
                    .forEach(col -> interval(
                            base + col, first(row, col + "_lo", col + "_min"), first(row, col + "_hi", col + "_max")));
            interval(base + "median_req_s", row.get("min_req_s"), row.get("max_req_s"));
            // {KEY-vs-nginx-interval}: the interval of the ratio, "1.45-2.00", and {KEY-quota}: the CPU budget it ran
            // under.
            for (String peer : List.of("nginx", "floor")) {
                String lo = first(row, "vs_" + peer + "_lo");
                String hi = first(row, "vs_" + peer + "_hi");
                attr(
                        key + "-vs-" + peer + "-interval",
                        ranked(row) && lo != null && hi != null ? lo + "-" + hi : "not ranked");
            }
            attr(key + "-quota", first(row, "cpu_quota"));
            attr(key + "-throttled", first(row, "throttled"));
            attr(key + "-server-bound-rounds", first(row, "server_bound_rounds"));
            attr(key + "-rounds", row.get("rounds"));
        }
        cpuRatios(summary);
        pairs();
        latency(out);
        for (Map<String, String> row : csv("allocation.csv")) {
            // {alloc-SCENARIO-SERVER}: heap bytes the server allocated per request (its threads' counters), median over
            // rounds.
            String key = "alloc-" + row.get("scenario") + "-" + row.get("server");
            attr(key, bytes(row.get("bytes_per_request")));
            attr(key + "-min", bytes(row.get("min")));
            attr(key + "-max", bytes(row.get("max")));
            attr(key + "-rounds", row.get("rounds"));
            metric(
                    "allocation." + row.get("scenario") + "." + row.get("server") + ".bytes_per_request",
                    row.get("bytes_per_request"));
            interval(
                    "allocation." + row.get("scenario") + "." + row.get("server") + ".bytes_per_request",
                    row.get("min"),
                    row.get("max"));
        }
        // Requests per round (median over the rounds), and how many of them lie at or above the p99.
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        for (Map<String, String> row : csv("runs.csv")) {
            String key = row.get("scenario") + (row.get("idle").equals("0") ? "" : "-" + row.get("idle")) + "-"
                    + row.get("server");
            perRound.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(row.get("requests")));
        }
        perRound.forEach((key, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            double median = sorted.size() % 2 == 1
                    ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            attr(key + "-requests-per-round", thousands(String.valueOf(median)));
            attr(key + "-requests-above-p99", thousands(String.valueOf(Math.floor(median / 100))));
        });
        for (Map<String, String> row : csv("c10k.csv")) {
            attr(
                    "c10k-" + row.get("server") + "-" + row.get("idle") + "-percent",
                    percent(row.get("fraction_of_no_idle")));
            metric("c10k." + row.get("server") + "." + row.get("idle") + ".fraction", row.get("fraction_of_no_idle"));
            // What it kept relative to what nginx kept, in the same rounds: drift between the passes cancels.
            String name = "c10k." + row.get("server") + "." + row.get("idle") + ".kept";
            metric(name, first(row, "kept_vs_nginx"));
            interval(name, first(row, "kept_vs_nginx_lo"), first(row, "kept_vs_nginx_hi"));
            attr("c10k-" + row.get("server") + "-" + row.get("idle") + "-kept", percent(first(row, "kept_vs_nginx")));
            attr(
                    "c10k-" + row.get("server") + "-" + row.get("idle") + "-kept-interval",
                    first(row, "kept_vs_nginx_lo") == null
                            ? null
                            : percent(row.get("kept_vs_nginx_lo")) + "-" + percent(row.get("kept_vs_nginx_hi")));
        }
        for (Map<String, String> row : csv("memory.csv")) {
            row.forEach((col, v) -> metric("memory." + row.get("server") + "." + row.get("idle") + "." + col, v));
            if (!row.get("idle").equals("0")) {
                String key = "memory-" + row.get("server") + "-" + row.get("idle");
                attr(key + "-heap-per-connection", thousands(row.get("heap_bytes_per_idle_connection")));
                attr(key + "-rss-per-connection", thousands(row.get("rss_bytes_per_idle_connection")));
                attr(key + "-heap-mib", mib(row.get("heap_used_kib")));
                attr(key + "-rss-mib", mib(row.get("rss_kib")));
            }
        }
        for (Map<String, String> row : syscallRows()) {
            String base = "syscalls." + row.get("scenario") + "." + row.get("server") + "." + row.get("syscall");
            metric(base, row.get("per_request"));
            interval(base, first(row, "per_request_min"), first(row, "per_request_max"));
            interval(base + ".us-per-call", first(row, "usecs_per_call_min"), first(row, "usecs_per_call_max"));
            metric(base + ".us-per-call", first(row, "usecs_per_call"));
            metric(
                    base + ".errors",
                    first(row, "errors_per_request")); // calls that failed, per request (EAGAIN for an accept)
            // {syscalls-SCENARIO-SERVER-CALL} (per request) and {...-us} (strace's time per call), for the prose.
            String key = "syscalls-" + row.get("scenario") + "-" + row.get("server") + "-" + row.get("syscall");
            attr(key, String.format(Locale.ROOT, "%.2f", Double.parseDouble(row.get("per_request"))));
            attr(key + "-us", first(row, "usecs_per_call"));
            String errors = first(row, "errors_per_request");
            attr(
                    key + "-errors",
                    errors == null ? null : String.format(Locale.ROOT, "%.3f", Double.parseDouble(errors)));
        }
        Path env = results.resolve("environment.properties");
        if (Files.exists(env)) {
            for (Map.Entry<String, String> e : properties(env).entrySet()) {
                attr("env-" + e.getKey().replace('_', '-'), e.getValue());
            }
        }
        if (isMain()) { // the book's figures, not a run's: the main run carries them
            for (String stage : stages(repo)) {
                Path jmh = repo.resolve(stage).resolve("results/jmh.json");
                if (Files.exists(jmh)) {
                    jmhAttributes(stage, Files.readString(jmh));
                }
            }
            attr("fd-setsize-bytes", String.valueOf(1024 / 8)); // FD_SETSIZE bits in an fd_set, as bytes
            method(repo).forEach(this::attr);
        }
        attr("strace-method", straceMethod());
        attr(
                "cpu-method",
                summary.stream().anyMatch(r -> first(r, "cpu_us_per_req_min", "cpu_min_us_per_req") != null)
                        ? "the median over rounds after warm-up, with its spread"
                        : "measured in one run on a freshly warmed JVM (this run has no rounds for CPU, so no spread)");

        // warp@0.3: the headline comparison at a tighter CPU budget (table-warp-0-3.adoc).
        for (String scenario :
                List.of("warp", "warp@0.3", "close", "close@0.3", "large", "large@0.2", "manyfiles", "pipeline")) {
            Files.writeString(file(out, "table-" + key(scenario) + ".adoc"), throughputTable(summary, scenario, "0"));
        }
        List<Map<String, String>> c10k = csv("c10k.csv");
        List<Map<String, String>> memory = csv("memory.csv");
        Files.writeString(
                file(out, "table-c10k.adoc"), c10k.isEmpty() ? notMeasured("The c10k curve") : c10kTable(c10k));
        Files.writeString(
                file(out, "table-memory.adoc"), memory.isEmpty() ? notMeasured("Memory") : memoryTable(memory));
        profiles(out);
        charts(out);
        nstat(out);
        slowloris(out);
        if (isMain()) {
            scaling(out);
            Files.writeString(out.resolve("table-seed.adoc"), seedTable(summary));
            Files.writeString(out.resolve("table-journey.adoc"), journeyTable(summary, csv("allocation.csv")));
        }
    }

    /**
     * CPU time per request as a ratio: {KEY-cpu-vs-nginx} is nginx's CPU per request over this
     * server's in the same scenario (above 1: this server does a request's work in less CPU time),
     * {KEY-cpu-vs-floor} the floor's over this server's (1 would be the floor's cost). Unlike a
     * throughput ratio it holds when wrk, not the server, was the limit: it is what one core could
     * serve, measured where the core was not full. Metrics cpuratio.SCENARIO.SERVER.vs_nginx and .vs_floor.
     */
    private void cpuRatios(List<Map<String, String>> summary) {
        for (Map<String, String> row : summary) {
            String scenario = row.get("scenario");
            String idle = row.get("idle");
            String key = scenario + (idle.equals("0") ? "" : "-" + idle) + "-" + row.get("server");
            if (row.containsKey("cpu_vs_nginx")) {
                // The harness's own: the median of per-round ratios, over the rounds both servers were at their limit.
                for (String peer : List.of("nginx", "floor")) {
                    String v = first(row, "cpu_vs_" + peer);
                    String name = "cpuratio." + scenario + "." + idle + "." + row.get("server") + ".vs_" + peer;
                    attr(key + "-cpu-vs-" + peer, v == null ? "not ranked" : v);
                    attr(
                            key + "-cpu-vs-" + peer + "-interval",
                            v == null
                                    ? "not ranked"
                                    : row.get("cpu_vs_" + peer + "_lo") + "-" + row.get("cpu_vs_" + peer + "_hi"));
                    metric(name, v);
                    interval(name, first(row, "cpu_vs_" + peer + "_lo"), first(row, "cpu_vs_" + peer + "_hi"));
                }
                continue;
            }
            // A run from before the harness paired its rounds: the ratio of the medians, as it then was.
            for (String peer : List.of("nginx", "floor")) {
                Double mine = number(row.get("cpu_us_per_req"));
                Double theirs = summary.stream()
                        .filter(r -> r.get("scenario").equals(scenario)
                                && r.get("idle").equals(idle)
                                && r.get("server").equals(peer))
                        .map(r -> number(r.get("cpu_us_per_req")))
                        .findFirst()
                        .orElse(null);
                if (mine != null && theirs != null && mine > 0) {
                    attr(key + "-cpu-vs-" + peer, String.format(Locale.ROOT, "%.2f", theirs / mine));
                    metric(
                            "cpuratio." + scenario + "." + idle + "." + row.get("server") + ".vs_" + peer,
                            theirs / mine);
                }
            }
        }
    }

    private static Double number(String v) {
        return v == null || !v.matches("-?[0-9.]+([eE][-+]?[0-9]+)?") ? null : Double.parseDouble(v);
    }

    /** Bytes, rounded to a whole byte (a figure of a few bytes per request is shown as it is). */
    private static String bytes(String v) {
        Double d = number(v);
        return d == null ? null : String.format(Locale.ROOT, "%,.0f", d);
    }

    private List<Map<String, String>> csv(String name) throws IOException {
        Path f = results.resolve(name);
        return Files.exists(f) ? Csv.read(f) : List.of();
    }

    /** syscalls.csv without repeated (scenario, server, call) rows (the reference run has a few). */
    private List<Map<String, String>> syscallRows() throws IOException {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Map<String, String> r : csv("syscalls.csv")) {
            rows.putIfAbsent(r.get("scenario") + "/" + r.get("server") + "/" + r.get("syscall"), r);
        }
        return new ArrayList<>(rows.values());
    }

    /** A server that answered with errors is shown, never ranked: a fast wrong server is not fast. */
    private static boolean ranked(Map<String, String> row) {
        String ranked = row.get("ranked");
        if (ranked != null && !ranked.isEmpty()) {
            return ranked.equals("yes"); // the harness's own rules: no errors, server-bound, steady warm-up
        }
        String errors = row.get("errors");
        return errors == null || errors.isEmpty() || errors.equals("0");
    }

    private String straceMethod() throws IOException {
        List<Map<String, String>> rows = csv("syscalls.csv");
        if (rows.isEmpty()) {
            return NOT_MEASURED; // a run made with --no-costs
        }
        if (first(rows.getFirst(), "connections") != null) {
            String rounds = first(rows.getFirst(), "rounds");
            return "strace's own count of calls, divided by the requests answered"
                    + (rounds == null ? "" : ", the median over " + rounds + " rounds")
                    + "; each table says on how many connections it was taken";
        }
        Matcher m = Pattern.compile("STRACE_CONNECTIONS\\s*=\\s*(\\d+)")
                .matcher(Files.readString(repo.resolve("bench/src/main/java/dev/warpjourney/bench/Journey.java")));
        return "strace's own count of calls divided by the requests answered, taken on fewer connections than the "
                + "throughput runs: this run does not record how many, and the harness that made it caps wrk at "
                + (m.find() ? m.group(1) : "a few dozen") + " connections under strace (except in the close scenario)";
    }

    private void attr(String name, String value) {
        if (value != null && !value.isEmpty()) {
            attrs.put(key(prefix() + name), value.replace("\n", " "));
        }
    }

    /**
     * An attribute's name as AsciiDoc takes it: lower case, and a dash for anything else (stage-04-fdcache@vthreads-1).
     */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    private void metric(String name, String value) {
        if (value != null && value.matches("-?[0-9.]+([eE][-+]?[0-9]+)?")) {
            metric(name, Double.parseDouble(value));
        }
    }

    private void metric(String name, double value) {
        metrics.put(isMain() ? name : run + "." + name, value);
    }

    /** The interval {lo, hi} of a metric, when both ends are numbers. */
    private void interval(String name, String lo, String hi) {
        Double l = number(lo);
        Double h = number(hi);
        if (l != null && h != null) {
            intervals.put(isMain() ? name : run + "." + name, new double[] {l, h});
        }
    }

    /**
     * ratios.csv: every ranked server against every other of its scenario, as the harness paired
     * their rounds. Metrics pair.SCENARIO.IDLE.SERVER.PEER.vs (throughput, SERVER over PEER) and
     * .cpu_vs (PEER's CPU per request over SERVER's), with their intervals; attributes
     * {pair-SCENARIO-SERVER-PEER} and {pair-SCENARIO-SERVER-PEER-cpu}, each with -interval.
     */
    private void pairs() throws IOException {
        for (Map<String, String> r : csv("ratios.csv")) {
            String name =
                    "pair." + r.get("scenario") + "." + r.get("idle") + "." + r.get("server") + "." + r.get("peer");
            String key = "pair-" + r.get("scenario") + (r.get("idle").equals("0") ? "" : "-" + r.get("idle")) + "-"
                    + r.get("server") + "-" + r.get("peer");
            for (String col : List.of("vs", "cpu_vs")) {
                metric(name + "." + col, r.get(col));
                interval(name + "." + col, r.get(col + "_lo"), r.get(col + "_hi"));
                String suffix = col.equals("vs") ? "" : "-cpu";
                attr(key + suffix, two(r.get(col)));
                attr(key + suffix + "-interval", two(r.get(col + "_lo")) + "-" + two(r.get(col + "_hi")));
            }
            attr(key + "-rounds", r.get("rounds"));
        }
    }

    private static String two(String v) {
        Double d = number(v);
        return d == null ? v : String.format(Locale.ROOT, "%.2f", d);
    }

    /**
     * The latency pass (latency-summary.csv): every server offered the same load without its
     * quota. Metrics latency.SCENARIO.SERVER.COLUMN (p50_us, p99_us with their min-max),
     * attributes {latency-SERVER-p50-ms}, -p99-ms, -kept-up, {latency-rate}; and table-latency.adoc.
     */
    private void latency(Path out) throws IOException {
        List<Map<String, String>> rows = csv("latency-summary.csv");
        if (rows.isEmpty()) {
            Files.writeString(file(out, "table-latency.adoc"), notMeasured("The latency pass"));
            return;
        }
        attr("latency-rate", thousands(rows.getFirst().get("offered_req_s")));
        StringBuilder t = new StringBuilder("[cols=\"3,>1,>1,>2,>2,>1\",options=\"header\"]\n|===\n"
                + "| Server | Offered req/s | Answered req/s | p50 (ms, min-max) | p99 (ms, min-max) | CPU busy\n");
        for (Map<String, String> r : rows) {
            String base = "latency." + r.get("scenario") + "." + r.get("server") + ".";
            r.forEach((col, v) -> metric(base + col, v));
            interval(base + "p50_us", r.get("p50_min_us"), r.get("p50_max_us"));
            interval(base + "p99_us", r.get("p99_min_us"), r.get("p99_max_us"));
            String key = "latency-" + r.get("server");
            attr(key + "-p50-ms", ms(r.get("p50_us")));
            attr(key + "-p99-ms", ms(r.get("p99_us")));
            attr(key + "-kept-up", r.get("kept_up"));
            t.append("| ")
                    .append(r.get("server"))
                    .append(r.get("kept_up").equals("yes") ? "" : " (fell behind)")
                    .append(" | ")
                    .append(thousands(r.get("offered_req_s")))
                    .append(" | ")
                    .append(thousands(r.get("median_req_s")))
                    .append(" | ")
                    .append(ms(r.get("p50_us")))
                    .append(" (")
                    .append(ms(r.get("p50_min_us")))
                    .append("-")
                    .append(ms(r.get("p50_max_us")))
                    .append(")")
                    .append(" | ")
                    .append(ms(r.get("p99_us")))
                    .append(" (")
                    .append(ms(r.get("p99_min_us")))
                    .append("-")
                    .append(ms(r.get("p99_max_us")))
                    .append(")")
                    .append(" | ")
                    .append(r.get("utilization"))
                    .append('\n');
        }
        Files.writeString(file(out, "table-latency.adoc"), t.append("|===\n").toString());
    }

    static String first(Map<String, String> row, String... columns) {
        for (String c : columns) {
            String v = row.get(c);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    static String thousands(String v) {
        if (v == null || v.isEmpty()) {
            return v;
        }
        return String.format(Locale.ROOT, "%,d", Math.round(Double.parseDouble(v)));
    }

    private static String percent(String fraction) {
        return fraction == null || fraction.isEmpty()
                ? fraction
                : String.format(Locale.ROOT, "%.0f%%", Double.parseDouble(fraction) * 100);
    }

    static String share(long part, long total) {
        if (total == 0) {
            return "0%";
        }
        double p = 100.0 * part / total;
        return p > 0 && p < 0.5 ? "under 1%" : String.format(Locale.ROOT, "%.0f%%", p);
    }

    private static String mib(String kib) {
        return kib == null || kib.isEmpty() ? kib : String.format(Locale.ROOT, "%.1f", Long.parseLong(kib) / 1024.0);
    }

    private static String ms(String us) {
        return us == null || us.isEmpty() ? us : String.format(Locale.ROOT, "%.1f", Double.parseDouble(us) / 1000.0);
    }

    private static String seconds(String us) {
        return us == null || us.isEmpty()
                ? us
                : String.format(Locale.ROOT, "%.1f", Double.parseDouble(us) / 1_000_000.0);
    }

    private static String orEmpty(String v) {
        return v == null ? "" : v;
    }

    private static String notMeasured(String what) {
        return "_" + what + ": " + NOT_MEASURED + "._\n";
    }

    static List<String> stages(Path repo) throws IOException {
        try (Stream<Path> dirs = Files.list(repo)) {
            return dirs.map(d -> d.getFileName().toString())
                    .filter(n -> n.matches("stage-\\d\\d-.+"))
                    .sorted()
                    .toList();
        }
    }

    static Map<String, String> properties(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = pending.isEmpty() ? raw : raw.strip();
            if (pending.isEmpty() && (line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\") && !line.endsWith("\\\\")) { // a continued line, as in java.util.Properties
                pending.append(line, 0, line.length() - 1);
                continue;
            }
            pending.append(line);
            String full = pending.toString();
            pending.setLength(0);
            int eq = full.indexOf('=');
            if (eq > 0) {
                m.put(
                        full.substring(0, eq).strip(),
                        full.substring(eq + 1).strip().replace("\\\\", "\\"));
            }
        }
        return m;
    }

    /** Score and bytes allocated per operation of each JMH benchmark, as jmh-STAGE-NAME and jmh-STAGE-NAME-alloc. */
    private void jmhAttributes(String stage, String json) {
        for (String block : json.split("\"jmhVersion\"")) {
            Matcher name = Pattern.compile("\"benchmark\"\\s*:\\s*\"[^\"]*\\.([^\".]+)\"")
                    .matcher(block);
            Matcher score = Pattern.compile("\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.Ee]+)")
                    .matcher(block);
            Matcher alloc = Pattern.compile("gc\\.alloc\\.rate\\.norm\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.Ee]+)")
                    .matcher(block);
            if (name.find() && score.find()) {
                String key = "jmh-" + stage.substring(0, 8) + "-" + name.group(1);
                attr(key, String.format(Locale.ROOT, "%.0f", Double.parseDouble(score.group(1))));
                metric("jmh." + stage.substring(0, 8) + "." + name.group(1), score.group(1));
                if (alloc.find()) {
                    attr(key + "-alloc", String.format(Locale.ROOT, "%.0f", Double.parseDouble(alloc.group(1))));
                    metric("jmh." + stage.substring(0, 8) + "." + name.group(1) + ".alloc", alloc.group(1));
                }
            }
        }
    }

    /**
     * The whole journey in one table, chapter 05's: every server of the run in the warp scenario,
     * in the run's order (the stages, then the peers), with what one request costs it (CPU time,
     * system calls, heap bytes) beside its throughput and whether it was the limit of its run.
     * The CPU ratio to nginx holds where a throughput ratio does not: when wrk was the limit.
     */
    private String journeyTable(List<Map<String, String>> summary, List<Map<String, String>> allocation) {
        List<Map<String, String>> rows = summary.stream()
                .filter(r -> r.get("scenario").equals("warp") && r.get("idle").equals("0"))
                .toList();
        if (rows.isEmpty()) {
            return notMeasured("The `warp` scenario");
        }
        boolean paired = rows.stream().anyMatch(r -> r.containsKey("cpu_vs_nginx"));
        Double nginx = rows.stream()
                .filter(r -> r.get("server").equals("nginx"))
                .map(r -> number(r.get("cpu_us_per_req")))
                .findFirst()
                .orElse(null);
        StringBuilder t = new StringBuilder("[cols=\"3,>1,>1,1,>2,>1,>1,>1,>1\",options=\"header\"]\n|===\n"
                + "| Server | Median req/s | CPU busy | Limit | vs nginx (interval) | CPU µs/req | nginx's CPU/req over its | Syscalls/req "
                + "| Heap B/req\n");
        for (Map<String, String> r : rows) {
            Double cpu = number(r.get("cpu_us_per_req"));
            String heap = allocation.stream()
                    .filter(a ->
                            a.get("scenario").equals("warp") && a.get("server").equals(r.get("server")))
                    .map(a -> bytes(a.get("bytes_per_request")))
                    .findFirst()
                    .orElse("");
            String cpuRatio = paired
                    ? orEmpty(first(r, "cpu_vs_nginx"))
                    : nginx == null || cpu == null || cpu == 0 ? "" : String.format(Locale.ROOT, "%.2f", nginx / cpu);
            t.append("| ")
                    .append(r.get("server"))
                    .append(" | ")
                    .append(thousands(r.get("median_req_s")))
                    .append(" | ")
                    .append(orEmpty(first(r, "utilization")))
                    .append(number(first(r, "cpu_quota")) == null ? "" : " (" + r.get("cpu_quota") + ")")
                    .append(" | ")
                    .append(orEmpty(first(r, "bound")))
                    .append(" | ")
                    .append(ranked(r) ? ratioCell(r, "nginx") : "not ranked")
                    .append(" | ")
                    .append(orEmpty(r.get("cpu_us_per_req")))
                    .append(" | ")
                    .append(cpuRatio)
                    .append(" | ")
                    .append(orEmpty(r.get("syscalls_per_req")))
                    .append(" | ")
                    .append(heap)
                    .append('\n');
        }
        return t.append(
                        "|===\n\nCPU busy: the server's CPU seconds per second of the run, and in brackets the budget it was held "
                                + "to (a cgroup quota, in CPUs). Limit: what limited most of its rounds; a server that was not at its limit is not "
                                + "ranked. vs nginx: the median of the per-round ratios of throughput, over the rounds in which both were at their "
                                + "limit, with its interval. nginx's CPU/req over its: the same, of CPU time per request. Heap B/req: bytes the "
                                + "JVM's platform threads allocated per request (blank: not a JVM of platform threads, or not measured).\n")
                .toString();
    }

    private String throughputTable(List<Map<String, String>> summary, String scenario, String idle) {
        List<Map<String, String>> rows = summary.stream()
                .filter(r -> r.get("scenario").equals(scenario) && r.get("idle").equals(idle))
                .toList();
        if (rows.isEmpty()) {
            return notMeasured("The `" + scenario + "` scenario");
        }
        boolean utilization = rows.stream().anyMatch(r -> first(r, "utilization") != null);
        boolean quota = rows.stream().anyMatch(r -> number(first(r, "cpu_quota")) != null);
        // In close every request opens a connection of its own: its costs are per connection.
        String per = scenario.startsWith("close") ? "conn" : "req";
        StringBuilder t = new StringBuilder("[cols=\"2,>1,>1,>2,>2,>1,>1,>1" + (utilization ? ",>1,1" : "")
                + "\",options=\"header\"]\n|===\n"
                + "| Server | Median req/s | Min-max | vs nginx (interval) | vs floor (interval) | p99 (ms) | CPU µs/"
                + per
                + " | Syscalls/" + per
                + (utilization ? " | " + (quota ? "CPU busy (quota)" : "Server CPUs busy") + " | Limit (rounds)" : "")
                + "\n");
        List<String> notes = new ArrayList<>();
        for (Map<String, String> r : rows) {
            boolean ranked = ranked(r);
            t.append("| ")
                    .append(r.get("server"))
                    .append(ranked ? "" : " (not ranked)")
                    .append(" | ")
                    .append(thousands(r.get("median_req_s")))
                    .append(" | ")
                    .append(thousands(r.get("min_req_s")))
                    .append("-")
                    .append(thousands(r.get("max_req_s")))
                    .append(" | ")
                    .append(ranked ? ratioCell(r, "nginx") : "-")
                    .append(" | ")
                    .append(ranked ? ratioCell(r, "floor") : "-")
                    .append(" | ")
                    .append(ms(r.get("p99_us")))
                    .append(" | ")
                    .append(orEmpty(r.get("cpu_us_per_req")))
                    .append(" | ")
                    .append(orEmpty(r.get("syscalls_per_req")));
            if (utilization) {
                String u = first(r, "utilization");
                String cpus = first(r, "server_cpus");
                String q = first(r, "cpu_quota");
                String bound = orEmpty(first(r, "bound"));
                String rounds = first(r, "server_bound_rounds");
                t.append(" | ")
                        .append(
                                u == null
                                        ? ""
                                        : u + (number(q) != null ? " (" + q + ")" : cpus == null ? "" : " of " + cpus))
                        .append(" | ")
                        .append(bound)
                        .append(rounds == null ? "" : " (" + rounds + "/" + r.get("rounds") + " at its limit)");
            }
            t.append('\n');
            if (!ranked) {
                String reason = first(r, "unranked_reason");
                notes.add(r.get("server") + " is not ranked: "
                        + (reason != null
                                ? reason
                                : "it answered " + thousands(r.get("errors"))
                                        + " requests with an error or a socket error"));
            }
            String note = first(r, "ratio_note");
            if (note != null) {
                notes.add(r.get("server") + ": " + note);
            }
        }
        t.append("|===\n");
        if (!utilization) {
            notes.add(
                    "This run does not record how busy the server was (CPU seconds per second), so no row says whether the "
                            + "server or the load generator was the limit");
        }
        if (quota) {
            notes.add(
                    "Every server was held to the CPU budget in brackets (a cgroup quota, in CPUs): a ratio compares what two "
                            + "servers did with the same CPU, over the rounds in which both used all of it. Latencies include the waits "
                            + "for the quota's next period: compare them in the latency table, not here");
        }
        notes.forEach(n -> t.append("\n* ").append(n).append('.'));
        return t.append('\n').toString();
    }

    /** A ratio with its interval, as a table prints it: "1.64 (1.45-2.00)", or the ratio alone from an older run. */
    private static String ratioCell(Map<String, String> r, String peer) {
        String v = r.get("vs_" + peer);
        if (v == null || v.isEmpty()) {
            return "-";
        }
        String lo = first(r, "vs_" + peer + "_lo");
        String hi = first(r, "vs_" + peer + "_hi");
        return lo == null || hi == null ? v : v + " (" + lo + "-" + hi + ")";
    }

    private static String c10kTable(List<Map<String, String>> rows) {
        TreeSet<Integer> idles = new TreeSet<>();
        Map<String, Map<Integer, String>> byServer = new LinkedHashMap<>();
        for (Map<String, String> r : rows) {
            int idle = Integer.parseInt(r.get("idle"));
            idles.add(idle);
            byServer.computeIfAbsent(r.get("server"), k -> new LinkedHashMap<>())
                    .put(idle, thousands(r.get("median_req_s")) + " (" + percent(r.get("fraction_of_no_idle")) + ")");
        }
        StringBuilder t =
                new StringBuilder("[cols=\"2" + ",>2".repeat(idles.size()) + "\",options=\"header\"]\n|===\n| Server");
        for (int idle : idles) {
            t.append(" | ").append(String.format(Locale.ROOT, "%,d", idle)).append(" idle");
        }
        t.append('\n');
        byServer.forEach((server, cells) -> {
            t.append("| ").append(server);
            for (int idle : idles) {
                t.append(" | ").append(cells.getOrDefault(idle, "failed"));
            }
            t.append('\n');
        });
        return t.append("|===\n").toString();
    }

    private static String memoryTable(List<Map<String, String>> rows) {
        StringBuilder t = new StringBuilder(
                "[cols=\"2,>1,>1,>1,>1,>1\",options=\"header\"]\n|===\n"
                        + "| Server | Idle connections | RSS (MiB) | Heap after GC (MiB) | RSS per idle connection (bytes) | Heap per idle connection (bytes)\n");
        for (Map<String, String> r : rows) {
            t.append("| ")
                    .append(r.get("server"))
                    .append(" | ")
                    .append(thousands(r.get("idle")))
                    .append(" | ")
                    .append(mib(r.get("rss_kib")))
                    .append(" | ")
                    .append(r.get("heap_used_kib").isEmpty() ? "n/a" : mib(r.get("heap_used_kib")))
                    .append(" | ")
                    .append(rssPerConnection(r, rows))
                    .append(" | ")
                    .append(
                            r.get("heap_bytes_per_idle_connection").isEmpty()
                                    ? ""
                                    : thousands(r.get("heap_bytes_per_idle_connection")))
                    .append('\n');
        }
        return t.append("|===\n").toString();
    }

    /**
     * The resident set grows by pages and moves between rounds by a megabyte or two whatever the
     * server holds, so at 1,000 connections a difference of a kilobyte per connection can be noise,
     * even below zero. A figure smaller than the rounds' spread (this row's and the same server's
     * row with none held, divided by N) is printed as such, not as a cost.
     */
    static String rssPerConnection(Map<String, String> row, List<Map<String, String>> rows) {
        String perConnection = row.get("rss_bytes_per_idle_connection");
        if (perConnection == null || perConnection.isEmpty()) {
            return "";
        }
        Map<String, String> none = rows.stream()
                .filter(r -> r.get("server").equals(row.get("server"))
                        && r.get("idle").equals("0"))
                .findFirst()
                .orElse(null);
        if (none == null
                || row.getOrDefault("rss_max_kib", "").isEmpty()
                || none.getOrDefault("rss_max_kib", "").isEmpty()) {
            return thousands(perConnection);
        }
        double spreadKib = Double.parseDouble(row.get("rss_max_kib"))
                - Double.parseDouble(row.get("rss_min_kib"))
                + Double.parseDouble(none.get("rss_max_kib"))
                - Double.parseDouble(none.get("rss_min_kib"));
        double noise = spreadKib * 1024 / Double.parseDouble(row.get("idle"));
        return Math.abs(Double.parseDouble(perConnection)) <= noise
                ? "noise (±" + thousands(String.valueOf(Math.round(noise))) + ")"
                : thousands(perConnection);
    }

    // ---------------------------------------------------------------- profiles and nstat

    /** flame-SCENARIO-SERVER.html: shares by frame group, as attributes and one table per scenario. */
    private void profiles(Path out) throws IOException {
        Profile profile = Profile.load(repo.resolve("book/src/data/profile-groups.properties"));
        Map<String, Map<String, Map<String, Long>>> byScenario = new TreeMap<>();
        List<Path> graphs;
        try (Stream<Path> s = Files.list(results)) {
            graphs = s.filter(p -> p.getFileName().toString().matches("flame-.+\\.html"))
                    .sorted()
                    .toList();
        }
        Set<String> servers = new LinkedHashSet<>();
        csv("summary.csv").forEach(r -> servers.add(r.get("server")));
        for (Path g : graphs) {
            String name = g.getFileName().toString().replaceFirst("^flame-", "").replaceFirst("\\.html$", "");
            String server = servers.stream()
                    .filter(sv -> name.endsWith("-" + sv))
                    .findFirst()
                    .orElse(null);
            if (server == null) {
                continue;
            }
            String scenario = name.substring(0, name.length() - server.length() - 1);
            Map<String, Long> shares = profile.shares(FlameGraph.read(g));
            byScenario.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(server, shares);
            long total = shares.get("total");
            String key = "profile-" + scenario + "-" + server;
            attr(key + "-samples", String.format(Locale.ROOT, "%,d", total));
            for (Map.Entry<String, Long> e : shares.entrySet()) {
                if (!e.getKey().equals("total")) {
                    attr(key + "-" + e.getKey(), share(e.getValue(), total));
                    metric("profile." + scenario + "." + server + "." + e.getKey(), (double) e.getValue() / total);
                }
            }
            profile.sums().forEach((sum, parts) -> {
                long v = parts.stream()
                        .mapToLong(p -> shares.getOrDefault(p, 0L))
                        .sum();
                attr(key + "-" + sum, share(v, total));
                metric("profile." + scenario + "." + server + "." + sum, (double) v / total);
            });
        }
        for (String scenario : List.of("warp", "c10k")) {
            Map<String, Map<String, Long>> table = byScenario.entrySet().stream()
                    .filter(e -> e.getKey().equals(scenario) || e.getKey().startsWith(scenario + "-"))
                    .findFirst()
                    .map(Map.Entry::getValue)
                    .orElse(null);
            Files.writeString(
                    file(out, "table-profile-" + scenario + ".adoc"),
                    table == null
                            ? "_A flame graph of the `" + scenario + "` scenario: " + NOT_MEASURED + "._\n"
                            : profileTable(profile, table));
        }
    }

    private static String profileTable(Profile profile, Map<String, Map<String, Long>> byServer) {
        StringBuilder t = new StringBuilder(
                "[cols=\"2" + ",>1".repeat(byServer.size()) + "\",options=\"header,footer\"]\n|===\n| Frame group");
        byServer.keySet().forEach(s -> t.append(" | ").append(s));
        t.append('\n');
        for (String g : profile.groupNames()) {
            t.append("| ").append(g);
            byServer.values().forEach(sh -> t.append(" | ").append(share(sh.getOrDefault(g, 0L), sh.get("total"))));
            t.append('\n');
        }
        t.append("| of which in system calls");
        byServer.values().forEach(sh -> t.append(" | ").append(share(sh.get(Profile.SYSCALLS), sh.get("total"))));
        t.append("\n| Samples");
        byServer.values().forEach(sh -> t.append(" | ").append(String.format(Locale.ROOT, "%,d", sh.get("total"))));
        return t.append("\n|===\n").toString();
    }

    /**
     * One include per chart a chapter shows ({@code include::{generated}/chart-NAME.adoc[]}): the
     * image when the run drew it, a "not measured" line when it did not. And the flame graphs the
     * run has, as links.
     */
    private void charts(Path out) throws IOException {
        // The fdcache run's charts are fdcache-chart-NAME.adoc, its images under {fdcache-charts}, its flame graphs
        // under {fdcache-flamegraphs}.
        Pattern include = Pattern.compile(
                "include::\\{generated}/" + Pattern.quote(prefix() + "chart-") + "([a-z0-9-]+)\\.adoc\\[]");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(repo.resolve("book/src/docs/asciidoc/chapters"))) {
            for (Path chapter : s.filter(p -> p.toString().endsWith(".adoc")).toList()) {
                Matcher m = include.matcher(Files.readString(chapter));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        for (String name : names) {
            String label = "Chart: " + name.replace('-', ' ');
            Files.writeString(
                    file(out, "chart-" + name + ".adoc"),
                    Files.isRegularFile(results.resolve(name + ".svg"))
                            ? "image::{" + prefix() + "charts}/" + name + ".svg[" + label + "]\n"
                            : notMeasured(label));
        }
        StringBuilder links = new StringBuilder();
        try (Stream<Path> s = Files.list(results)) {
            for (Path g : s.filter(p -> p.getFileName().toString().matches("flame-.+\\.html"))
                    .sorted()
                    .toList()) {
                String file = g.getFileName().toString();
                String name = file.replaceFirst("^flame-", "").replaceFirst("\\.html$", "");
                links.append("* link:{")
                        .append(prefix())
                        .append("flamegraphs}/")
                        .append(file)
                        .append('[')
                        .append(name)
                        .append("]\n");
                attr("flame-" + name, "link:{" + prefix() + "flamegraphs}/" + file + "[the flame graph]");
            }
        }
        Files.writeString(
                file(out, "flame-graphs.adoc"), links.isEmpty() ? notMeasured("Flame graphs") : links.toString());
    }

    /**
     * The kernel's TCP counters per row (listen-queue overflows and drops, retransmitted segments,
     * SYN retransmits), summed over the rounds, when the harness recorded them: they are what
     * explains a tail like stage 01's.
     */
    private void nstat(Path out) throws IOException {
        Map<String, String> counters = new LinkedHashMap<>();
        counters.put("listen_overflows", "Listen overflows");
        counters.put("listen_drops", "Listen drops");
        counters.put("syn_retrans", "SYN retransmits");
        counters.put("retrans_segs", "Retransmitted segments");
        List<Map<String, String>> rows = csv("summary.csv").stream()
                .filter(r -> r.get("scenario").equals("warp") && r.get("idle").equals("0"))
                .filter(r -> counters.keySet().stream().anyMatch(c -> first(r, c) != null))
                .toList();
        if (rows.isEmpty()) {
            Files.writeString(
                    file(out, "table-nstat.adoc"),
                    "_Listen-queue overflows and drops, and SYN retransmits, in `warp` (nstat's counters): "
                            + NOT_MEASURED + "._\n");
            return;
        }
        StringBuilder t = new StringBuilder(
                "The kernel's TCP counters during the `warp` rounds (summed over the rounds; they count "
                        + "the whole machine's loopback traffic):\n\n[cols=\"2" + ",>1".repeat(counters.size())
                        + "\",options=\"header\"]\n|===\n| Server");
        counters.values().forEach(c -> t.append(" | ").append(c));
        t.append('\n');
        for (Map<String, String> r : rows) {
            t.append("| ").append(r.get("server"));
            counters.keySet()
                    .forEach(c ->
                            t.append(" | ").append(r.get(c) == null || r.get(c).isEmpty() ? "" : thousands(r.get(c))));
            t.append('\n');
            counters.keySet()
                    .forEach(c ->
                            attr("nstat-warp-" + r.get("server") + "-" + c.replace('_', '-'), thousands(first(r, c))));
        }
        Files.writeString(file(out, "table-nstat.adoc"), t.append("|===\n").toString());
    }

    /**
     * The slowloris scenario (slowloris-summary.csv, medians over rounds): whether fresh clients are
     * still answered while many slow ones trickle request heads, and who closes the slow ones when.
     * Attributes slowloris-SERVER-opened, -closed, -closed-after-s, -probe-p99-ms, -probes-answered; slowloris-slow,
     * -hold-s.
     */
    private void slowloris(Path out) throws IOException {
        List<Map<String, String>> rows = csv("slowloris-summary.csv");
        if (rows.isEmpty()) {
            Files.writeString(file(out, "table-slowloris.adoc"), notMeasured("The slowloris scenario"));
            return;
        }
        attr("slowloris-slow", thousands(rows.getFirst().get("slow_requested")));
        attr("slowloris-hold-s", thousands(rows.getFirst().get("hold_s")));
        StringBuilder t = new StringBuilder("[cols=\"2,>1,>1,>1,>1,>1,>1\",options=\"header\"]\n|===\n"
                + "| Server | Slow connections opened | Probes answered | Probe p50 (ms) | Probe p99 (ms) "
                + "| Slow connections closed by the server | Closed after (s)\n");
        for (Map<String, String> r : rows) {
            String key = "slowloris-" + r.get("server");
            String answered = percent(r.get("probe_success"));
            String spread = r.get("probe_success_min").equals(r.get("probe_success_max"))
                    ? ""
                    : " (" + percent(r.get("probe_success_min")) + "-" + percent(r.get("probe_success_max")) + ")";
            String p99 = ms(r.get("probe_p99_us")) + " (" + ms(r.get("probe_p99_min_us")) + "-"
                    + ms(r.get("probe_p99_max_us")) + ")";
            String after = r.get("closed_after_p50_ms").isEmpty() ? "" : ms(r.get("closed_after_p50_ms")); // ms -> s
            t.append("| ")
                    .append(r.get("server"))
                    .append(" | ")
                    .append(thousands(r.get("slow_opened")))
                    .append(" of ")
                    .append(thousands(r.get("slow_requested")))
                    .append(" | ")
                    .append(answered)
                    .append(spread)
                    .append(" | ")
                    .append(ms(r.get("probe_p50_us")))
                    .append(" | ")
                    .append(p99)
                    .append(" | ")
                    .append(thousands(r.get("slow_closed_by_server")))
                    .append(" | ")
                    .append(after)
                    .append('\n');
            attr(key + "-opened", thousands(r.get("slow_opened")));
            attr(key + "-closed", thousands(r.get("slow_closed_by_server")));
            attr(key + "-closed-after-s", after);
            attr(key + "-probe-p99-ms", ms(r.get("probe_p99_us")));
            attr(key + "-probes-answered", answered);
        }
        Files.writeString(file(out, "table-slowloris.adoc"), t.append("|===\n").toString());
    }

    // ---------------------------------------------------------------- the original figures

    /** results/seed/original-figures.csv beside this run's corresponding figures. */
    private String seedTable(List<Map<String, String>> summary) throws IOException {
        Path seed = repo.resolve("results/seed/original-figures.csv");
        if (!Files.exists(seed)) {
            return notMeasured("The original figures");
        }
        Map<String, List<Map<String, String>>> figures = new LinkedHashMap<>();
        for (Map<String, String> r : Csv.read(seed)) {
            figures.computeIfAbsent(r.get("figure"), k -> new ArrayList<>()).add(r);
        }
        // The latest stage the run measured in warp (a stage newer than the run has no row yet).
        String latest = stages(repo).reversed().stream()
                .filter(st -> summary.stream()
                        .anyMatch(r -> r.get("scenario").equals("warp")
                                && r.get("server").equals(st)))
                .findFirst()
                .orElse("");
        Map<String, String> warpLatest = summary.stream()
                .filter(r -> r.get("scenario").equals("warp")
                        && r.get("idle").equals("0")
                        && r.get("server").equals(latest))
                .findFirst()
                .orElse(null);
        Map<String, String> warpNginx = summary.stream()
                .filter(r -> r.get("scenario").equals("warp")
                        && r.get("idle").equals("0")
                        && r.get("server").equals("nginx"))
                .findFirst()
                .orElse(null);

        StringBuilder t =
                new StringBuilder("[cols=\"3,4,4\",options=\"header\"]\n|===\n| Figure | Then (source) | Here, "
                        + (reference ? "reference run" : "your run") + "\n");
        for (Map.Entry<String, List<Map<String, String>>> f : figures.entrySet()) {
            List<Map<String, String>> pts = f.getValue();
            StringBuilder then = new StringBuilder();
            for (Map<String, String> p : pts) {
                then.append(p.get("server"))
                        .append(": ")
                        .append(thousands(p.get("req_per_s")))
                        .append(" req/s on ")
                        .append(p.get("workers"))
                        .append(p.get("workers").equals("1") ? " worker" : " workers")
                        .append(p.get("how_read").startsWith("read off") ? " (about)" : "")
                        .append(" +\n");
            }
            String here;
            switch (f.getKey()) {
                case "one-core" -> {
                    Map<String, String> a = pts.get(0);
                    Map<String, String> b = pts.get(1);
                    then.append("Ratio: ")
                            .append(ratio(a.get("req_per_s"), b.get("req_per_s")))
                            .append(" +\n");
                    attr(
                            "seed-one-core-ratio",
                            ratio(a.get("req_per_s"), b.get("req_per_s"))); // Mighty 3 over nginx, 2014
                    here = warpLatest == null || warpNginx == null
                            ? NOT_MEASURED
                            : latest + ": " + thousands(warpLatest.get("median_req_s")) + " req/s +\nnginx: "
                                    + thousands(warpNginx.get("median_req_s"))
                                    + " req/s +\nRatio (median of per-round ratios, interval): "
                                    + (ranked(warpLatest)
                                                    && !warpLatest
                                                            .get("vs_nginx")
                                                            .isEmpty()
                                            ? ratioCell(warpLatest, "nginx")
                                            : "not ranked (" + warpLatest.get("unranked_reason") + ")")
                                    + tighter(summary, latest)
                                    + " +\nCPU per request, nginx's over " + latest + "'s: "
                                    + (warpLatest.containsKey("cpu_vs_nginx")
                                            ? orEmpty(first(warpLatest, "cpu_vs_nginx"))
                                            : cpuRatio(warpNginx, warpLatest))
                                    + " +\n(`warp` scenario, one server CPU"
                                    + (number(first(warpLatest, "cpu_quota")) == null
                                            ? ""
                                            : ", every server held to " + warpLatest.get("cpu_quota") + " of it")
                                    + ")";
                }
                case "prefork" -> {
                    then.append("Ratio at the most workers: ")
                            .append(ratio(
                                    pts.get(0).get("req_per_s"), pts.get(1).get("req_per_s")))
                            .append(" +\n");
                    here = scalingCell("prefork");
                }
                case "mio" -> {
                    double one = Double.parseDouble(pts.get(0).get("req_per_s"));
                    double n = Double.parseDouble(pts.get(1).get("req_per_s"));
                    double workers = Double.parseDouble(pts.get(1).get("workers"));
                    then.append("Scaling efficiency: ")
                            .append(String.format(Locale.ROOT, "%.0f%%", 100 * n / (one * workers)))
                            .append(" +\n");
                    here = scalingCell("vthreads");
                }
                default -> here = NOT_MEASURED;
            }
            Map<String, String> p0 = pts.getFirst();
            then.append(p0.get("setup")).append(" +\n").append(p0.get("source"));
            t.append("| ")
                    .append(p0.get("title"))
                    .append("\n| ")
                    .append(then)
                    .append("\n| ")
                    .append(here)
                    .append('\n');
        }
        return t.append("|===\n").toString();
    }

    /** The headline ratio at the tighter budget (warp@0.3), where the run has it. */
    private static String tighter(List<Map<String, String>> summary, String latest) {
        return summary.stream()
                .filter(r ->
                        r.get("scenario").startsWith("warp@") && r.get("server").equals(latest))
                .findFirst()
                .map(r -> " +\nAt " + r.get("scenario").substring(5) + " of a core: "
                        + (ranked(r) ? ratioCell(r, "nginx") : "not ranked (" + r.get("unranked_reason") + ")"))
                .orElse("");
    }

    private static String cpuRatio(Map<String, String> theirs, Map<String, String> mine) {
        Double t = number(theirs.get("cpu_us_per_req"));
        Double m = number(mine.get("cpu_us_per_req"));
        return t == null || m == null || m == 0 ? NOT_MEASURED : String.format(Locale.ROOT, "%.2f", t / m);
    }

    // ---------------------------------------------------------------- the multicore run (stage 03)

    /** scaling.csv's designs as the chapter names them: stage 03's four and prefork, nginx, stage 02's one loop. */
    static final List<String> DESIGNS =
            List.of("loops", "handoff", "shared", "vthreads", "prefork", "nginx", "stage-02-epoll");
    /** Attribute suffix -> scaling.csv column: {scaling-DESIGN-LOOPS-SUFFIX}, e.g. {scaling-loops-2-gain}. */
    private static final Map<String, String> SCALING_COLUMNS = new LinkedHashMap<>();

    static {
        SCALING_COLUMNS.put("median", "median_req_s");
        SCALING_COLUMNS.put("utilization", "utilization");
        SCALING_COLUMNS.put("cpu", "cpu_us_per_req");
        SCALING_COLUMNS.put("gain", "gain");
        SCALING_COLUMNS.put("cpu-vs-stage02", "cpu_per_req_vs_stage02");
        SCALING_COLUMNS.put("efficiency", "efficiency");
        SCALING_COLUMNS.put("bound", "bound");
        SCALING_COLUMNS.put("syscalls", "syscalls_per_req");
        SCALING_COLUMNS.put("accept", "accept_per_req");
        SCALING_COLUMNS.put("accept-errors", "accept_errors_per_req");
        SCALING_COLUMNS.put("epoll-wait", "epoll_wait_per_req");
    }

    /** The warp rows of the multicore run, or none. */
    private List<Map<String, String>> scalingRows() throws IOException {
        Path f = multicore.resolve("scaling.csv");
        return Files.exists(f)
                ? Csv.read(f).stream()
                        .filter(r -> r.get("scenario").equals("warp"))
                        .toList()
                : List.of();
    }

    /**
     * The multicore run's attributes ({scaling-DESIGN-LOOPS-...}, {scaling-loops-max},
     * {multicore-env-...}), metrics (scaling.warp.DESIGN.LOOPS.COLUMN), its table and its chart.
     * Without a run, every attribute the chapter may cite (designs at 1 and 2 loops) says so.
     */
    private void scaling(Path out) throws IOException {
        List<Map<String, String>> rows = scalingRows();
        if (rows.isEmpty()) {
            for (String d : DESIGNS) {
                for (String n : List.of("1", "2")) {
                    SCALING_COLUMNS.keySet().forEach(c -> attr("scaling-" + d + "-" + n + "-" + c, NOT_MEASURED));
                    attr("scaling-" + d + "-" + n + "-per-core", NOT_MEASURED);
                }
            }
            attr("scaling-loops-max", NOT_MEASURED);
            List.of("cpu", "cpus-online", "shared-cpus").forEach(k -> attr("multicore-env-" + k, NOT_MEASURED));
            Files.writeString(out.resolve("table-scaling.adoc"), notMeasured("The multicore run"));
            Files.writeString(out.resolve("chart-scaling.adoc"), notMeasured("Chart: gain over one loop"));
            return;
        }
        int max = 1;
        for (Map<String, String> r : rows) {
            String key = "scaling-" + r.get("design") + "-" + r.get("loops");
            for (Map.Entry<String, String> c : SCALING_COLUMNS.entrySet()) {
                String v = r.get(c.getValue());
                attr(
                        key + "-" + c.getKey(),
                        v == null || v.isEmpty()
                                ? NOT_MEASURED
                                : c.getKey().equals("median")
                                        ? thousands(v)
                                        : c.getKey().equals("efficiency") ? percent(v) : v);
            }
            String base = "scaling.warp." + r.get("design") + "." + r.get("loops") + ".";
            // A gain is a design's only where the N-loop row was held back by the server: where the CPU set
            // the servers share with wrk was full (bound cpu-set), no design could have gained more, and the
            // hypotheses about scaling are left for a machine with CPUs apart ("not measured in this run").
            // (The previous instrument's run is read by its own rule of the time: every gain counted.)
            boolean servers =
                    r.get("loops").equals("1") || "server".equals(r.get("bound")) || run.startsWith("previous");
            r.forEach((col, v) -> {
                if (servers || !List.of("gain", "efficiency").contains(col)) {
                    metric(base + col, v);
                }
            });
            interval(base + "gain", first(r, "gain_lo"), first(r, "gain_hi"));
            interval(
                    base + "cpu_per_req_vs_stage02",
                    first(r, "cpu_per_req_vs_stage02_lo"),
                    first(r, "cpu_per_req_vs_stage02_hi"));
            // The projection the chapter states as one: what a core kept busy at this CPU per request would serve.
            String cpu = r.get("cpu_us_per_req");
            attr(
                    key + "-per-core",
                    cpu == null || cpu.isEmpty()
                            ? NOT_MEASURED
                            : thousands(String.valueOf(Math.round(1e6 / Double.parseDouble(cpu)))));
            max = Math.max(max, Integer.parseInt(r.get("loops")));
        }
        attr("scaling-loops-max", String.valueOf(max));
        Path env = multicore.resolve("environment.properties");
        if (Files.exists(env)) {
            properties(env).forEach((k, v) -> attr("multicore-env-" + k.replace('_', '-'), v));
        }
        Files.writeString(out.resolve("table-scaling.adoc"), scalingTable(rows));
        Files.writeString(
                out.resolve("chart-scaling.adoc"),
                Files.isRegularFile(multicore.resolve("scaling-warp.svg"))
                        ? "image::{multicore-charts}/scaling-warp.svg[Chart: gain over one loop, per design]\n"
                        : notMeasured("Chart: gain over one loop"));
    }

    private static String scalingTable(List<Map<String, String>> rows) {
        StringBuilder t = new StringBuilder("[cols=\"3,>1,>3,>2,>2,>2,>2,>2,2\",options=\"header\"]\n|===\n"
                + "| Design | Loops | req/s (min-max) | Utilization (CPUs) | CPU µs per request | Gain over 1 loop "
                + "| CPU per request / stage 02's | Efficiency | Bound\n");
        for (Map<String, String> r : rows) {
            t.append("| ")
                    .append(r.get("design"))
                    .append(" | ")
                    .append(r.get("loops"))
                    .append(" | ")
                    .append(thousands(r.get("median_req_s")))
                    .append(" (")
                    .append(thousands(r.get("min_req_s")))
                    .append("-")
                    .append(thousands(r.get("max_req_s")))
                    .append(")")
                    .append(" | ")
                    .append(r.get("utilization"))
                    .append(" | ")
                    .append(r.get("cpu_us_per_req"))
                    .append(" | ")
                    .append(r.get("gain"))
                    .append(" | ")
                    .append(r.get("cpu_per_req_vs_stage02"))
                    .append(" | ")
                    .append(percent(r.get("efficiency")))
                    .append(" | ")
                    .append(r.get("bound"))
                    .append('\n');
        }
        return t.append("|===\n").toString();
    }

    /** The seed table's "here" cell for a multicore figure: this design's and nginx's gain at the most loops. */
    private String scalingCell(String design) throws IOException {
        List<Map<String, String>> rows = scalingRows();
        int max = rows.stream()
                .mapToInt(r -> Integer.parseInt(r.get("loops")))
                .max()
                .orElse(0);
        Map<String, String> ours = rows.stream()
                .filter(r -> r.get("design").equals(design) && Integer.parseInt(r.get("loops")) == max)
                .findFirst()
                .orElse(null);
        Map<String, String> nginx = rows.stream()
                .filter(r -> r.get("design").equals("nginx") && Integer.parseInt(r.get("loops")) == max)
                .findFirst()
                .orElse(null);
        if (max < 2 || ours == null) {
            return "Not measured yet: stage 03's multicore run (`./journey --multicore`).";
        }
        boolean shared = rows.getFirst().getOrDefault("note", "").contains("shared CPUs");
        String cpu = ours.get("cpu_us_per_req");
        return "stage 03 (" + design + "), " + max + " loops: " + thousands(ours.get("median_req_s")) + " req/s, "
                + ours.get("gain") + "x its one loop (limit: " + ours.get("bound") + ") +\n"
                + (nginx == null
                        ? ""
                        : "nginx, " + max + " workers: " + thousands(nginx.get("median_req_s")) + " req/s, "
                                + nginx.get("gain") + "x its one worker (limit: " + nginx.get("bound") + ") +\n")
                + "(`warp`, multicore run, results/multicore; servers and wrk "
                + (shared
                        ? "sharing the same CPUs: where the limit is the CPU set, no design could gain more, and these are "
                                + "not scaling figures) +\nProjection, not a measurement: at its CPU per request, one core kept busy by "
                                + "this design would serve "
                                + (cpu == null || cpu.isEmpty()
                                        ? NOT_MEASURED
                                        : thousands(String.valueOf(Math.round(1e6 / Double.parseDouble(cpu))))
                                                + " req/s")
                                + "; on cores apart from wrk it could scale toward that per core"
                        : "on CPUs apart)");
    }

    private static String ratio(String a, String b) {
        return String.format(Locale.ROOT, "%.2f", Double.parseDouble(a) / Double.parseDouble(b));
    }

    // ---------------------------------------------------------------- the fdcache run (stage 04)

    /** The servers and scenarios of the fdcache run, as ./journey was asked for them: what the chapter may cite. */
    static final List<String> FDCACHE_SERVERS = List.of(
            "stage-03-multicore",
            "stage-03-multicore@loops-2",
            "stage-03-multicore@vthreads-1",
            "stage-04-fdcache",
            "stage-04-fdcache@vthreads-1",
            "nginx");

    static final List<String> FDCACHE_SCENARIOS = List.of("warp", "manyfiles", "c10k");
    /** The calls that look a file up, open it, stat it and close it: what stage 04's caches save. */
    static final List<String> FILE_CALLS =
            List.of("openat", "statx", "fstat", "newfstatat", "close", "readlink", "access", "lstat", "stat");
    /**
     * Of those, the lookup's (toRealPath, the attributes, the readable check) and the open's, which the two caches each
     * save.
     */
    static final List<String> LOOKUP_CALLS = List.of("readlink", "statx", "newfstatat", "lstat", "stat", "access");

    static final List<String> OPEN_CALLS = List.of("openat", "close");
    /** Attribute suffixes of a summary row, as numbers() makes them: {SCENARIO-SERVER-SUFFIX}. */
    private static final List<String> ROW_SUFFIXES = List.of(
            "median",
            "min",
            "max",
            "vs-nginx",
            "vs-floor",
            "p50-ms",
            "p99-ms",
            "p99-s",
            "errors",
            "in-flight",
            "cpu",
            "syscalls",
            "utilization",
            "bound",
            "requests-per-round",
            "requests-above-p99");

    /**
     * Chapter 04's run (results/fdcache): every figure numbers() makes for the main run, prefixed
     * {fdcache-...} (metrics fdcache.*, files fdcache-*.adoc), and the derived ones of
     * {@link #fdcacheFigures}. Without the run (no summary.csv), every attribute the chapter may
     * cite reads "not measured in this run", so that the book builds without it.
     */
    private void fdcache(Path dir, Path out) throws IOException {
        boolean measured = Files.isRegularFile(dir.resolve("summary.csv"));
        // Without a run, the same code over an empty directory writes every table as "not measured".
        Path empty = measured ? null : Files.createTempDirectory("book-no-fdcache");
        BookData fd = new BookData(repo, measured ? dir : empty, multicore, "fdcache");
        fd.numbers(out);
        fd.fdcacheFigures(out);
        if (!measured) {
            fd.attrs.replaceAll((k, v) -> NOT_MEASURED); // e.g. fdcache-strace-method: there is no method without a run
            Files.delete(empty);
        } else {
            fdcacheSyscalls = fd.syscallRows();
        }
        attrs.putAll(fd.attrs);
        intervals.putAll(fd.intervals);
        attrs.put(
                "fdcache-run-dir",
                !measured
                        ? NOT_MEASURED
                        : dir.equals(repo.resolve("results/fdcache")) ? "results/fdcache" : dir.toString());
        metrics.putAll(fd.metrics);
        fdcacheTemplate().forEach(k -> attrs.putIfAbsent(key("fdcache-" + k), NOT_MEASURED));
        if (!measured || !dir.equals(repo.resolve("results/fdcache"))) {
            // A reader's own (or no) fdcache run: whatever else the chapters cite resolves too. Against
            // the committed run a misspelt name stays a missing attribute, which fails the book.
            citedAttributes("fdcache-").forEach(k -> attrs.putIfAbsent(k, NOT_MEASURED));
        }
    }

    /**
     * The runs the book showed before the instrument of issue 18 (every server held to the same CPU
     * budget, paired rounds, intervals): results/previous/{journey,fdcache,multicore,cores}, their
     * CSV files as committed then. Only their metrics are kept, under {@code previous.} (the
     * journey's, and previous.fdcache., previous.cores., previous.herd. for the others), so that
     * each hypothesis's verdict by the old instrument can be computed beside the new one
     * (Hypotheses.Previous); no attribute or table of theirs reaches the book but those verdicts.
     */
    private void previous(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("journey/summary.csv"))) {
            return;
        }
        Path scratch = Files.createTempDirectory("book-previous");
        BookData main = new BookData(repo, dir.resolve("journey"), dir.resolve("multicore"), "previous");
        main.numbers(scratch);
        main.scaling(scratch);
        metrics.putAll(main.metrics);
        // What a chapter needs to say why a verdict changed: how busy each server was then, what limited
        // it, its throughput and CPU per request ({previous-warp-nginx-utilization}, ...-bound, -median, -cpu).
        main.attrs.forEach((k, v) -> {
            if (k.matches("previous-[a-z0-9-]+-(utilization|bound|median|cpu|vs-nginx)")) {
                attrs.put(k, v);
            }
        });
        for (String name : List.of("fdcache", "cores", "herd")) {
            Path run = name.equals("herd") ? repo.resolve("results/herd") : dir.resolve(name); // herd was not re-run
            if (Files.isRegularFile(run.resolve("summary.csv"))) {
                BookData other = new BookData(repo, run, dir.resolve("multicore"), "previous." + name);
                other.numbers(scratch);
                if (name.equals("fdcache")) {
                    other.fdcacheFigures(scratch);
                }
                metrics.putAll(other.metrics);
            }
        }
    }

    /**
     * Chapter 03's herd run (results/herd: two loops on one shared listener, and two with a listener
     * each, in the close scenario, where every request opens a connection): its figures prefixed
     * {herd-...} (metrics herd.*), e.g. {herd-syscalls-close-stage-03-multicore-shared-2-accept-errors}.
     * Without it, what the chapters cite of it reads "not measured in this run".
     */
    private void herd(Path dir, Path out) throws IOException {
        if (Files.isRegularFile(dir.resolve("summary.csv"))) {
            BookData herd = new BookData(repo, dir, multicore, "herd");
            herd.numbers(out);
            attrs.putAll(herd.attrs);
            metrics.putAll(herd.metrics);
            intervals.putAll(herd.intervals);
        } else {
            citedAttributes("herd-")
                    .forEach(k -> attrs.putIfAbsent(k, NOT_MEASURED)); // with the run, a misspelt name fails the book
        }
    }

    /**
     * Chapter 05's run on every core (results/cores: stage 05 and stage 03 with a loop per server
     * CPU beside nginx with a worker per server CPU, servers and wrk sharing the CPUs): its figures
     * prefixed {cores-...} (metrics cores.*), e.g. {cores-warp-stage-05-composer-loops-2-cpu-vs-nginx}.
     */
    private void cores(Path dir, Path out) throws IOException {
        if (Files.isRegularFile(dir.resolve("summary.csv"))) {
            BookData cores = new BookData(repo, dir, multicore, "cores");
            cores.numbers(out);
            attrs.putAll(cores.attrs);
            metrics.putAll(cores.metrics);
            intervals.putAll(cores.intervals);
        } else {
            citedAttributes("cores-").forEach(k -> attrs.putIfAbsent(k, NOT_MEASURED));
        }
    }

    /**
     * The fdcache run's own figures: per scenario, stage 04 against stage 03 (CPU per request and
     * median throughput, as ratios), the lookup-and-open calls per request of every server, stage
     * 04's two cache hit rates, and a table of every call each server made.
     */
    private void fdcacheFigures(Path out) throws IOException {
        List<Map<String, String>> summary = csv("summary.csv").stream()
                .filter(r -> r.get("idle").equals("0"))
                .toList();
        for (Map<String, String> r : summary) {
            String server = r.get("server");
            if (!server.startsWith("stage-04-fdcache")) {
                continue;
            }
            String scenario = r.get("scenario");
            // Each stage 04 design against the same design of stage 03 (@vthreads-1 against @vthreads-1), else stage
            // 03's default.
            String variant = server.substring("stage-04-fdcache".length());
            Map<String, String> base = summary.stream()
                    .filter(b -> b.get("scenario").equals(scenario)
                            && b.get("server").equals("stage-03-multicore" + variant))
                    .findFirst()
                    .or(() -> summary.stream()
                            .filter(b -> b.get("scenario").equals(scenario)
                                    && b.get("server").equals("stage-03-multicore"))
                            .findFirst())
                    .orElse(null);
            if (base == null) {
                continue;
            }
            // The harness's paired ratio (per round, both at their limit) where the run has one; else the medians'
            // ratio.
            Map<String, String> pair = csv("ratios.csv").stream()
                    .filter(p -> p.get("scenario").equals(scenario)
                            && p.get("idle").equals("0")
                            && p.get("server").equals(server)
                            && p.get("peer").equals(base.get("server")))
                    .findFirst()
                    .orElse(null);
            Double cpu = pair != null
                    ? inverse(pair.get("cpu_vs"))
                    : quotient(r.get("cpu_us_per_req"), base.get("cpu_us_per_req"));
            Double throughput =
                    pair != null ? number(pair.get("vs")) : quotient(r.get("median_req_s"), base.get("median_req_s"));
            // {fdcache-SCENARIO-SERVER-cpu-ratio} for every stage 04 server; stage 04's own also as
            // {fdcache-SCENARIO-cpu-ratio}.
            for (String key : server.equals("stage-04-fdcache")
                    ? List.of(scenario, scenario + "-" + server)
                    : List.of(scenario + "-" + server)) {
                String m = key.equals(scenario) ? scenario : scenario + "." + server;
                if (cpu != null) {
                    attr(key + "-cpu-ratio", String.format(Locale.ROOT, "%.2f", cpu));
                    metric(m + ".cpu_ratio", cpu);
                    if (pair != null) { // CPU per request, this over the base: the inverse of the pair's cpu_vs, ends
                        // swapped
                        interval(
                                m + ".cpu_ratio",
                                String.valueOf(inverse(pair.get("cpu_vs_hi"))),
                                String.valueOf(inverse(pair.get("cpu_vs_lo"))));
                        attr(
                                key + "-cpu-ratio-interval",
                                String.format(
                                        Locale.ROOT,
                                        "%.2f-%.2f",
                                        inverse(pair.get("cpu_vs_hi")),
                                        inverse(pair.get("cpu_vs_lo"))));
                    }
                }
                if (throughput != null) {
                    attr(key + "-throughput-ratio", String.format(Locale.ROOT, "%.2f", throughput));
                    metric(m + ".throughput_ratio", throughput);
                    if (pair != null) {
                        interval(m + ".throughput_ratio", pair.get("vs_lo"), pair.get("vs_hi"));
                        attr(key + "-throughput-ratio-interval", two(pair.get("vs_lo")) + "-" + two(pair.get("vs_hi")));
                    }
                }
            }
        }
        // Per (scenario, server): the calls per request of each name; a name not there is a call not made.
        Map<String, Map<String, Double>> perRequest = new LinkedHashMap<>();
        List<Map<String, String>> rows = syscallRows();
        for (Map<String, String> r : rows) {
            perRequest
                    .computeIfAbsent(r.get("scenario") + "/" + r.get("server"), k -> new LinkedHashMap<>())
                    .put(r.get("syscall"), Double.parseDouble(r.get("per_request")));
        }
        perRequest.forEach((scenarioServer, calls) -> {
            String scenario = scenarioServer.substring(0, scenarioServer.indexOf('/'));
            String server = scenarioServer.substring(scenarioServer.indexOf('/') + 1);
            double fileCalls = FILE_CALLS.stream()
                    .mapToDouble(c -> calls.getOrDefault(c, 0.0))
                    .sum();
            attr(scenario + "-" + server + "-file-calls", String.format(Locale.ROOT, "%.2f", fileCalls));
            metric("file_calls." + scenario + "." + server, fileCalls);
            double lookupCalls = LOOKUP_CALLS.stream()
                    .mapToDouble(c -> calls.getOrDefault(c, 0.0))
                    .sum();
            double openCalls = OPEN_CALLS.stream()
                    .mapToDouble(c -> calls.getOrDefault(c, 0.0))
                    .sum();
            attr(scenario + "-" + server + "-lookup-calls", String.format(Locale.ROOT, "%.3f", lookupCalls));
            attr(scenario + "-" + server + "-open-calls", String.format(Locale.ROOT, "%.3f", openCalls));
            metric("lookup_calls." + scenario + "." + server, lookupCalls);
            metric("open_calls." + scenario + "." + server, openCalls);
            if (server.startsWith("stage-04")) {
                straceRate(scenario, server);
                // A hit opens nothing and checks nothing: a miss opens the file once (openat) and its
                // lookup checks it once (access), so one minus each per request is that cache's hit rate.
                hitRate(scenario, server, "fd", calls.getOrDefault("openat", 0.0));
                hitRate(scenario, server, "lookup", calls.getOrDefault("access", 0.0));
            }
        });
        for (String scenario : List.of("warp", "manyfiles")) {
            Files.writeString(
                    file(out, "syscalls-all-" + scenario + ".adoc"),
                    syscallTable(rows, scenario, callsByCount(rows, scenario)));
        }
    }

    /** The files of the manyfiles scenario (bench's Corpus): how often each comes back at a given rate. */
    static final int MANYFILES_FILES = 10_000;

    /**
     * How fast the server answered under strace (the median requests of a strace round over the
     * round's length), and in manyfiles how often each file came back at that rate: the hit rates
     * come from that pass, and a traced server is many times slower than in the timed rounds.
     */
    private void straceRate(String scenario, String server) {
        Map<String, String> env;
        List<Map<String, String>> rows;
        try {
            Path e = results.resolve("environment.properties");
            env = Files.exists(e) ? properties(e) : Map.of();
            rows = syscallRows();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        String duration = env.get("duration_s");
        Map<String, String> row = rows.stream()
                .filter(r -> r.get("scenario").equals(scenario)
                        && r.get("server").equals(server)
                        && first(r, "requests") != null)
                .findFirst()
                .orElse(null);
        if (duration == null || row == null) {
            return;
        }
        // A strace round lasts the run's duration, and at least 5 s (Journey.MIN_TRACE).
        double seconds = Math.max(5, Double.parseDouble(duration));
        double rate = Double.parseDouble(row.get("requests")) / seconds;
        attr(scenario + "-" + server + "-strace-req-s", thousands(String.valueOf(rate)));
        metric("strace_req_s." + scenario + "." + server, rate);
        if (scenario.equals("manyfiles")) {
            attr(
                    scenario + "-" + server + "-strace-file-every-s",
                    String.format(Locale.ROOT, "%.0f", MANYFILES_FILES / rate));
            // And in the timed rounds, at the median throughput: how often a file came back there.
            try {
                csv("summary.csv").stream()
                        .filter(r -> r.get("scenario").equals(scenario)
                                && r.get("idle").equals("0")
                                && r.get("server").equals(server)
                                && r.get("median_req_s") != null
                                && !r.get("median_req_s").isEmpty())
                        .findFirst()
                        .ifPresent(r -> attr(
                                scenario + "-" + server + "-file-every-s",
                                String.format(
                                        Locale.ROOT,
                                        "%.2f",
                                        MANYFILES_FILES / Double.parseDouble(r.get("median_req_s")))));
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }

    private void hitRate(String scenario, String server, String cache, double missesPerRequest) {
        double rate = Math.clamp(1 - missesPerRequest, 0.0, 1.0);
        attr(scenario + "-" + server + "-" + cache + "-hit-rate", String.format(Locale.ROOT, "%.1f%%", rate * 100));
        metric(scenario + "." + server + "." + cache + "_hit_rate", rate);
    }

    /**
     * The harness's sources whose constants the methodology states: the ranking and interval rules, the CPU budget, the
     * passes' rounds.
     */
    static final List<String> METHOD_SOURCES = List.of("Results.java", "CpuBudget.java", "Journey.java");

    /**
     * The instrument's rules as the methodology states them, read from the harness's own constants
     * so that text and code cannot disagree: {method-NAME} for each {@code static final} number of
     * {@link #METHOD_SOURCES}, NAME in lower case with dashes (BOOTSTRAP_ROUNDS: {method-bootstrap-rounds});
     * a share below 1 as a percentage, PERIOD_MICROS also as {method-period-ms}.
     */
    static Map<String, String> method(Path repo) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        Pattern constant = Pattern.compile("static final (?:double|int|long) ([A-Z_]+) = ([0-9_.]+);");
        for (String source : METHOD_SOURCES) {
            Matcher c = constant.matcher(Files.readString(
                    repo.resolve("bench/src/main/java/dev/warpjourney/bench").resolve(source)));
            while (c.find()) {
                double v = Double.parseDouble(c.group(2).replace("_", ""));
                String name = "method-" + c.group(1).toLowerCase(Locale.ROOT).replace('_', '-');
                m.put(
                        name,
                        v < 1 && c.group(2).contains(".")
                                ? String.format(Locale.ROOT, "%.0f%%", v * 100)
                                : String.format(Locale.ROOT, "%,d", Math.round(v)));
                if (c.group(1).equals("PERIOD_MICROS")) {
                    m.put("method-period-ms", String.format(Locale.ROOT, "%.0f", v / 1000));
                }
            }
        }
        return m;
    }

    private static Double inverse(String v) {
        Double d = number(v);
        return d == null || d == 0 ? null : 1 / d;
    }

    private static Double quotient(String a, String b) {
        if (a == null || b == null || a.isEmpty() || b.isEmpty() || Double.parseDouble(b) == 0) {
            return null;
        }
        return Double.parseDouble(a) / Double.parseDouble(b);
    }

    /**
     * Every call any server made at least once per 200 requests in a scenario, the first server's
     * most frequent first (then the next server's, then by name): the rows of a table of all calls.
     */
    static List<String> callsByCount(List<Map<String, String>> rows, String scenario) {
        List<String> servers = new ArrayList<>();
        Map<String, Map<String, Double>> byCall = new TreeMap<>();
        for (Map<String, String> r : rows) {
            if (r.get("scenario").equals(scenario)) {
                if (!servers.contains(r.get("server"))) {
                    servers.add(r.get("server"));
                }
                byCall.computeIfAbsent(r.get("syscall"), k -> new LinkedHashMap<>())
                        .put(r.get("server"), Double.parseDouble(r.get("per_request")));
            }
        }
        Comparator<String> order = (a, b) -> 0;
        for (String server : servers) {
            order = order.thenComparing(
                    (String call) -> byCall.get(call).getOrDefault(server, 0.0), Comparator.reverseOrder());
        }
        return byCall.keySet().stream()
                .filter(call -> byCall.get(call).values().stream().anyMatch(v -> v >= 0.005))
                .sorted(order.thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /**
     * The fdcache run's attributes (without the prefix) that the chapter may cite, for the servers
     * and scenarios the run was asked for: what must resolve even when the run is absent or lacks a row.
     */
    private Set<String> fdcacheTemplate() throws IOException {
        Set<String> keys = new LinkedHashSet<>(List.of("strace-method", "cpu-method"));
        Set<String> calls = new TreeSet<>(FILE_CALLS);
        Path chapters = repo.resolve("book/src/data/chapters");
        try (Stream<Path> s = Files.list(chapters)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".properties")).toList()) {
                properties(f).forEach((k, v) -> {
                    if (k.startsWith("syscalls.")) {
                        calls.addAll(List.of(v.split("\\s*,\\s*")));
                    }
                });
            }
        }
        Profile profile = Profile.load(repo.resolve("book/src/data/profile-groups.properties"));
        List<String> shares = new ArrayList<>(profile.groupNames());
        shares.add(Profile.SYSCALLS);
        shares.addAll(profile.sums().keySet());
        shares.add("samples");
        List<String> idles = List.of("0", "1000", "5000", "10000");
        for (String server : FDCACHE_SERVERS) {
            for (String scenario : FDCACHE_SCENARIOS) {
                for (String idle : scenario.equals("c10k") ? idles : List.of("0")) {
                    String row = scenario + (idle.equals("0") ? "" : "-" + idle) + "-" + server;
                    ROW_SUFFIXES.forEach(suffix -> keys.add(row + "-" + suffix));
                }
                for (String call : calls) {
                    keys.add("syscalls-" + scenario + "-" + server + "-" + call);
                    keys.add("syscalls-" + scenario + "-" + server + "-" + call + "-us");
                }
                keys.add(scenario + "-" + server + "-file-calls");
                keys.add(scenario + "-" + server + "-lookup-calls");
                keys.add(scenario + "-" + server + "-open-calls");
            }
            for (String idle : idles) {
                keys.add("c10k-" + server + "-" + idle + "-percent");
                if (!idle.equals("0")) {
                    for (String m : List.of("heap-per-connection", "rss-per-connection", "heap-mib", "rss-mib")) {
                        keys.add("memory-" + server + "-" + idle + "-" + m);
                    }
                }
            }
            for (String scenario : List.of("warp", "c10k")) {
                keys.add("flame-" + scenario + "-" + server);
                shares.forEach(g -> keys.add("profile-" + scenario + "-" + server + "-" + g));
            }
            List.of("listen-overflows", "listen-drops", "syn-retrans", "retrans-segs")
                    .forEach(c -> keys.add("nstat-warp-" + server + "-" + c));
        }
        for (String scenario : List.of("warp", "manyfiles")) {
            keys.add(scenario + "-cpu-ratio");
            keys.add(scenario + "-throughput-ratio");
            for (String server : FDCACHE_SERVERS.stream()
                    .filter(sv -> sv.startsWith("stage-04"))
                    .toList()) {
                for (String k : List.of("cpu-ratio", "throughput-ratio", "fd-hit-rate", "lookup-hit-rate")) {
                    keys.add(scenario + "-" + server + "-" + k);
                }
            }
        }
        // The harness writes the same environment.properties keys in every run.
        for (Path env : List.of(
                repo.resolve("results/journey/environment.properties"), multicore.resolve("environment.properties"))) {
            if (Files.exists(env)) {
                properties(env).keySet().forEach(k -> keys.add("env-" + k.replace('_', '-')));
            }
        }
        return keys;
    }

    /**
     * The attributes with this prefix that the chapters (and their data) cite, less those the build sets (the run's
     * image folders).
     */
    private Set<String> citedAttributes(String prefix) throws IOException {
        Pattern cited = Pattern.compile("\\{(" + Pattern.quote(prefix) + "[a-z0-9-]+)}");
        Set<String> names = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> docs = Files.walk(repo.resolve("book/src/docs/asciidoc"));
                Stream<Path> data = Files.list(repo.resolve("book/src/data/chapters"))) {
            files = Stream.concat(
                            docs.filter(p -> p.toString().endsWith(".adoc")),
                            data.filter(p -> p.toString().endsWith(".properties")))
                    .toList();
        }
        for (Path f : files) {
            Matcher m = cited.matcher(Files.readString(f));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        names.removeAll(List.of(prefix + "charts", prefix + "flamegraphs"));
        return names;
    }

    // ---------------------------------------------------------------- chapters: calls, hypotheses

    /**
     * For each book/src/data/chapters/NAME.properties: the system-call tables of the calls the
     * chapter discusses, and the verdict on each of its hypotheses. A chapter with {@code run=fdcache}
     * takes its tables from the fdcache run; its hypotheses name that run's metrics (fdcache.*).
     */
    private List<String> chapters(Path out) throws IOException {
        List<String> problems = new ArrayList<>();
        Path dir = repo.resolve("book/src/data/chapters");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".properties")).sorted().toList();
        }
        List<Map<String, String>> syscalls = syscallRows();
        for (Path f : files) {
            String chapter = f.getFileName().toString().replaceFirst("\\.properties$", "");
            Map<String, String> data = properties(f);
            List<Map<String, String>> calls = switch (data.getOrDefault("run", "")) {
                case "" -> syscalls;
                case "fdcache" -> fdcacheSyscalls;
                default ->
                    throw new IllegalArgumentException(
                            f + ": run must be fdcache or absent (the main run): " + data.get("run"));
            };
            for (Map.Entry<String, String> e : data.entrySet()) {
                if (e.getKey().startsWith("syscalls.")) {
                    String scenario = e.getKey().substring("syscalls.".length());
                    List<String> names = List.of(e.getValue().split("\\s*,\\s*"));
                    Files.writeString(
                            out.resolve(chapter + "-syscalls-" + scenario + ".adoc"),
                            syscallTable(calls, scenario, names));
                }
            }
            Hypotheses.Verdicts verdicts = Hypotheses.judge(chapter, data, metrics, intervals);
            verdicts.attributes().forEach(this::attr);
            Files.writeString(out.resolve(chapter + "-hypotheses.adoc"), verdicts.table());
            Path text = repo.resolve("book/src/docs/asciidoc/chapters/" + chapter + ".adoc");
            List<String> mismatches = verdicts.check(Files.exists(text) ? Files.readString(text) : "");
            if (reference) {
                problems.addAll(mismatches);
            } else {
                mismatches.forEach(m -> System.out.println("BookData (your run): " + m));
            }
        }
        return problems;
    }

    /** The calls a chapter discusses, per request for every server, with strace's time per call when the run has it. */
    private String syscallTable(List<Map<String, String>> rows, String scenario, List<String> names)
            throws IOException {
        List<String> servers = new ArrayList<>();
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        String connections = null;
        String idle = null;
        boolean timed = false;
        for (Map<String, String> r : rows) {
            if (!r.get("scenario").equals(scenario)) {
                continue;
            }
            if (!servers.contains(r.get("server"))) {
                servers.add(r.get("server"));
            }
            String us = first(r, "usecs_per_call");
            timed |= us != null;
            connections = connections != null ? connections : first(r, "connections");
            idle = idle != null ? idle : first(r, "idle");
            cells.computeIfAbsent(r.get("syscall"), k -> new LinkedHashMap<>())
                    .put(
                            r.get("server"),
                            String.format(Locale.ROOT, "%.2f", Double.parseDouble(r.get("per_request")))
                                    + (us == null ? "" : " (" + us + " µs)"));
        }
        if (servers.isEmpty()) {
            return notMeasured("System calls in the `" + scenario + "` scenario");
        }
        StringBuilder t = new StringBuilder();
        t.append("Calls per request")
                .append(timed ? " (and in brackets strace's time per call)" : "")
                .append(" under strace in the `")
                .append(scenario)
                .append("` scenario, ")
                .append(
                        connections != null
                                ? "taken on " + connections + " connections"
                                : "taken on fewer connections than the " + "throughput runs (see <<methodology>>)")
                .append(
                        idle == null || idle.equals("0")
                                ? ""
                                : " while " + thousands(idle) + " idle connections were held")
                .append(timed ? "" : "; time per call: not measured in this reference run")
                .append(". A blank cell: the server made no such call.\n\n");
        t.append("[cols=\"2")
                .append(",>1".repeat(servers.size()))
                .append("\",options=\"header\"]\n|===\n| System call");
        servers.forEach(s -> t.append(" | ").append(s));
        t.append('\n');
        for (String name : names) {
            t.append("| `").append(name).append('`');
            for (String s : servers) {
                String v = cells.getOrDefault(name, Map.of()).get(s);
                t.append(" | ").append(v == null ? "" : v);
            }
            t.append('\n');
        }
        return t.append("|===\n").toString();
    }
}
