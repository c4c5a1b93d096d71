package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;

import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.SyscallRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the figures were measured, as the methodology chapter states it: the harness's constants
 * ({method-...}, read from bench's sources), the JMH results of every stage ({jmh-...}, each stage's
 * results/jmh.json), and how a run took its system calls and CPU times ({strace-method},
 * {cpu-method}, from its syscalls.csv and summary.csv).
 */
final class Methodology {
    private Methodology() {}

    /**
     * The harness's sources whose constants the methodology states: the ranking and interval rules, the CPU budget, the
     * passes' rounds.
     */
    static final List<String> METHOD_SOURCES = List.of("Results.java", "CpuBudget.java", "Journey.java");

    /** The book-wide figures, which the main run carries: JMH, FD_SETSIZE, the harness's constants. */
    static void bookFigures(Run run) throws IOException {
        for (String stage : RepoFiles.stages(run.repo)) {
            Path jmh = run.repo.resolve(stage).resolve("results/jmh.json");
            if (Files.exists(jmh)) {
                jmhAttributes(run, stage, Files.readString(jmh));
            }
        }
        run.attr("fd-setsize-bytes", String.valueOf(1024 / 8)); // FD_SETSIZE bits in an fd_set, as bytes
        method(run.repo).forEach(run::attr);
    }

    /** How this run took its system calls and its CPU times: {strace-method}, {cpu-method}. */
    static void runFigures(Run run) throws IOException {
        run.attr("strace-method", straceMethod(run));
        run.attr(
                "cpu-method",
                run.summary().stream().anyMatch(r -> r.cpuUsPerReqMin() != null)
                        ? "the median over rounds after warm-up, with its spread"
                        : "measured in one run on a freshly warmed JVM (this run has no rounds for CPU, so no spread)");
    }

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

    private static String straceMethod(Run run) throws IOException {
        List<SyscallRow> rows = run.syscalls();
        if (rows.isEmpty()) {
            return NOT_MEASURED; // a run made with --no-costs
        }
        if (rows.getFirst().connections() != null) {
            Integer rounds = rows.getFirst().rounds();
            return "strace's own count of calls, divided by the requests answered"
                    + (rounds == null ? "" : ", the median over " + rounds + " rounds")
                    + "; each table says on how many connections it was taken";
        }
        Matcher m = Pattern.compile("STRACE_CONNECTIONS\\s*=\\s*(\\d+)")
                .matcher(Files.readString(run.repo.resolve("bench/src/main/java/dev/warpjourney/bench/Journey.java")));
        return "strace's own count of calls divided by the requests answered, taken on fewer connections than the "
                + "throughput runs: this run does not record how many, and the harness that made it caps wrk at "
                + (m.find() ? m.group(1) : "a few dozen") + " connections under strace (except in the close scenario)";
    }

    /** Score and bytes allocated per operation of each JMH benchmark, as jmh-STAGE-NAME and jmh-STAGE-NAME-alloc. */
    private static void jmhAttributes(Run run, String stage, String json) {
        for (String block : json.split("\"jmhVersion\"")) {
            Matcher name = Pattern.compile("\"benchmark\"\\s*:\\s*\"[^\"]*\\.([^\".]+)\"")
                    .matcher(block);
            Matcher score = Pattern.compile("\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.Ee]+)")
                    .matcher(block);
            Matcher alloc = Pattern.compile("gc\\.alloc\\.rate\\.norm\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.Ee]+)")
                    .matcher(block);
            if (name.find() && score.find()) {
                String key = "jmh-" + stage.substring(0, 8) + "-" + name.group(1);
                run.attr(key, String.format(Locale.ROOT, "%.0f", Double.parseDouble(score.group(1))));
                run.metric("jmh." + stage.substring(0, 8) + "." + name.group(1), number(score.group(1)));
                if (alloc.find()) {
                    run.attr(key + "-alloc", String.format(Locale.ROOT, "%.0f", Double.parseDouble(alloc.group(1))));
                    run.metric("jmh." + stage.substring(0, 8) + "." + name.group(1) + ".alloc", number(alloc.group(1)));
                }
            }
        }
    }

    /** A JMH score as a metric: only where it is written as a number (the JSON may say NaN). */
    private static Double number(String v) {
        return Figure.isNumber(v) ? Double.parseDouble(v) : null;
    }
}
