package dev.warpjourney.book;

import static dev.warpjourney.book.Format.thousands;
import static dev.warpjourney.book.Format.two;

import dev.warpjourney.bench.rows.Figure;
import dev.warpjourney.bench.rows.RatioRow;
import dev.warpjourney.bench.rows.SummaryRow;
import dev.warpjourney.bench.rows.SyscallRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fdcache run's own figures, derived from its summary.csv, ratios.csv, syscalls.csv and
 * environment.properties: per scenario, stage 04 against stage 03 (CPU per request and median
 * throughput, as ratios), the lookup-and-open calls per request of every server, stage 04's two
 * cache hit rates, and a table of every call each server made (syscalls-all-SCENARIO.adoc).
 */
final class FdcacheFigures {
    private FdcacheFigures() {}

    /** The files of the manyfiles scenario (bench's Corpus): how often each comes back at a given rate. */
    static final int MANYFILES_FILES = 10_000;

    static void write(Run run, Path out) throws IOException {
        List<SummaryRow> summary =
                run.summary().stream().filter(r -> r.idle() == 0).toList();
        for (SummaryRow r : summary) {
            String server = r.server();
            if (!server.startsWith("stage-04-fdcache")) {
                continue;
            }
            String scenario = r.scenario();
            // Each stage 04 design against the same design of stage 03 (@vthreads-1 against @vthreads-1), else stage
            // 03's default.
            String variant = server.substring("stage-04-fdcache".length());
            SummaryRow base = summary.stream()
                    .filter(b -> b.scenario().equals(scenario) && b.server().equals("stage-03-multicore" + variant))
                    .findFirst()
                    .or(() -> summary.stream()
                            .filter(b ->
                                    b.scenario().equals(scenario) && b.server().equals("stage-03-multicore"))
                            .findFirst())
                    .orElse(null);
            if (base == null) {
                continue;
            }
            // The harness's paired ratio (per round, both at their limit) where the run has one; else the medians'
            // ratio.
            RatioRow pair = run.ratios().stream()
                    .filter(p -> p.scenario().equals(scenario)
                            && p.idle() == 0
                            && p.server().equals(server)
                            && p.peer().equals(base.server()))
                    .findFirst()
                    .orElse(null);
            Double cpu = pair != null
                    ? inverse(pair.cpuVs().value())
                    : quotient(Figure.value(r.cpuUsPerReq()), Figure.value(base.cpuUsPerReq()));
            Double throughput =
                    pair != null ? Figure.value(pair.vs().value()) : quotient(r.medianReqS(), base.medianReqS());
            // {fdcache-SCENARIO-SERVER-cpu-ratio} for every stage 04 server; stage 04's own also as
            // {fdcache-SCENARIO-cpu-ratio}.
            for (String key : server.equals("stage-04-fdcache")
                    ? List.of(scenario, scenario + "-" + server)
                    : List.of(scenario + "-" + server)) {
                String m = key.equals(scenario) ? scenario : scenario + "." + server;
                if (cpu != null) {
                    run.attr(key + "-cpu-ratio", String.format(Locale.ROOT, "%.2f", cpu));
                    run.metric(m + ".cpu_ratio", cpu);
                    if (pair != null) { // CPU per request, this over the base: the inverse of the pair's cpu_vs, ends
                        // swapped
                        Double lo = inverse(pair.cpuVs().hi());
                        Double hi = inverse(pair.cpuVs().lo());
                        run.interval(m + ".cpu_ratio", lo, hi);
                        run.attr(key + "-cpu-ratio-interval", String.format(Locale.ROOT, "%.2f-%.2f", lo, hi));
                    }
                }
                if (throughput != null) {
                    run.attr(key + "-throughput-ratio", String.format(Locale.ROOT, "%.2f", throughput));
                    run.metric(m + ".throughput_ratio", throughput);
                    if (pair != null) {
                        run.interval(
                                m + ".throughput_ratio",
                                pair.vs().lo(),
                                pair.vs().hi());
                        run.attr(
                                key + "-throughput-ratio-interval",
                                two(pair.vs().lo()) + "-" + two(pair.vs().hi()));
                    }
                }
            }
        }
        // Per (scenario, server): the calls per request of each name; a name not there is a call not made.
        Map<String, Map<String, Double>> perRequest = new LinkedHashMap<>();
        List<SyscallRow> rows = run.syscalls();
        for (SyscallRow r : rows) {
            perRequest
                    .computeIfAbsent(r.scenario() + "/" + r.server(), k -> new LinkedHashMap<>())
                    .put(r.syscall(), r.perRequest());
        }
        for (Map.Entry<String, Map<String, Double>> e : perRequest.entrySet()) {
            String scenario = e.getKey().substring(0, e.getKey().indexOf('/'));
            String server = e.getKey().substring(e.getKey().indexOf('/') + 1);
            Map<String, Double> calls = e.getValue();
            double fileCalls = sum(calls, FdcacheRun.FILE_CALLS);
            run.attr(scenario + "-" + server + "-file-calls", String.format(Locale.ROOT, "%.2f", fileCalls));
            run.metric("file_calls." + scenario + "." + server, fileCalls);
            double lookupCalls = sum(calls, FdcacheRun.LOOKUP_CALLS);
            double openCalls = sum(calls, FdcacheRun.OPEN_CALLS);
            run.attr(scenario + "-" + server + "-lookup-calls", String.format(Locale.ROOT, "%.3f", lookupCalls));
            run.attr(scenario + "-" + server + "-open-calls", String.format(Locale.ROOT, "%.3f", openCalls));
            run.metric("lookup_calls." + scenario + "." + server, lookupCalls);
            run.metric("open_calls." + scenario + "." + server, openCalls);
            if (server.startsWith("stage-04")) {
                straceRate(run, scenario, server);
                // A hit opens nothing and checks nothing: a miss opens the file once (openat) and its
                // lookup checks it once (access), so one minus each per request is that cache's hit rate.
                hitRate(run, scenario, server, "fd", calls.getOrDefault("openat", 0.0));
                hitRate(run, scenario, server, "lookup", calls.getOrDefault("access", 0.0));
            }
        }
        for (String scenario : List.of("warp", "manyfiles")) {
            Files.writeString(
                    run.file(out, "syscalls-all-" + scenario + ".adoc"),
                    SyscallTables.table(rows, scenario, SyscallTables.callsByCount(rows, scenario)));
        }
    }

    private static double sum(Map<String, Double> calls, List<String> names) {
        return names.stream().mapToDouble(c -> calls.getOrDefault(c, 0.0)).sum();
    }

    /**
     * How fast the server answered under strace (the median requests of a strace round over the
     * round's length), and in manyfiles how often each file came back at that rate: the hit rates
     * come from that pass, and a traced server is many times slower than in the timed rounds.
     */
    private static void straceRate(Run run, String scenario, String server) throws IOException {
        String duration = run.environment().get("duration_s");
        SyscallRow row = run.syscalls().stream()
                .filter(r -> r.scenario().equals(scenario) && r.server().equals(server) && r.requests() != null)
                .findFirst()
                .orElse(null);
        if (duration == null || row == null) {
            return;
        }
        // A strace round lasts the run's duration, and at least 5 s (Journey.MIN_TRACE).
        double seconds = Math.max(5, Double.parseDouble(duration));
        double rate = row.requests() / seconds;
        run.attr(scenario + "-" + server + "-strace-req-s", thousands(rate));
        run.metric("strace_req_s." + scenario + "." + server, rate);
        if (scenario.equals("manyfiles")) {
            run.attr(
                    scenario + "-" + server + "-strace-file-every-s",
                    String.format(Locale.ROOT, "%.0f", MANYFILES_FILES / rate));
            // And in the timed rounds, at the median throughput: how often a file came back there.
            run.summary().stream()
                    .filter(r -> r.scenario().equals(scenario)
                            && r.idle() == 0
                            && r.server().equals(server)
                            && r.medianReqS() != null)
                    .findFirst()
                    .ifPresent(r -> run.attr(
                            scenario + "-" + server + "-file-every-s",
                            String.format(Locale.ROOT, "%.2f", MANYFILES_FILES / r.medianReqS())));
        }
    }

    private static void hitRate(Run run, String scenario, String server, String cache, double missesPerRequest) {
        double rate = Math.clamp(1 - missesPerRequest, 0.0, 1.0);
        run.attr(scenario + "-" + server + "-" + cache + "-hit-rate", String.format(Locale.ROOT, "%.1f%%", rate * 100));
        run.metric(scenario + "." + server + "." + cache + "_hit_rate", rate);
    }

    private static Double inverse(Figure f) {
        return f == null || f.value() == 0 ? null : 1 / f.value();
    }

    private static Double quotient(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }
}
