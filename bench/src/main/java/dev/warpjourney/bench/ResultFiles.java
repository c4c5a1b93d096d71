package dev.warpjourney.bench;

import static dev.warpjourney.bench.Results.STEAL_FLAGGED;
import static dev.warpjourney.bench.Results.fmt;
import static dev.warpjourney.bench.Results.quota;
import static dev.warpjourney.bench.Results.text;

import dev.warpjourney.bench.Results.Ratio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result files of a journey, written from its {@link Results}: the throughput rounds and their rows (runs.csv,
 * summary.csv, ratios.csv, c10k.csv), the system calls (syscalls.csv), the warm-up and the failures; the descriptive
 * passes' files through {@link DescriptiveFiles}. The files' format is the book's input: a column changes here only
 * at the end of a line (bench/RESULTS.adoc).
 */
final class ResultFiles {
    private ResultFiles() {}

    static void write(Results results, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder t =
                new StringBuilder("scenario,idle,server,round,requests,seconds,req_per_s,non_2xx_3xx,socket_errors,"
                        + "p50_us,p90_us,p99_us,p999_us,idle_still_open,"
                        + "server_cpu_s,wall_s,server_cpus,utilization,wrk_cpu_s,wrk_utilization,cpu_us_per_req,bound,"
                        + "listen_overflows,listen_drops,retrans_segs,syn_retrans,"
                        + "cpu_quota,periods,throttled_periods,throttled,steal,steal_flagged\n");
        for (Run r : results.runs()) {
            WrkResult w = r.wrk();
            t.append(String.join(
                            ",",
                            r.scenario(),
                            String.valueOf(r.idle()),
                            r.server(),
                            String.valueOf(r.round()),
                            String.valueOf(w.requests()),
                            fmt(w.durationMicros() / 1e6, 2),
                            fmt(w.requestsPerSecond(), 0),
                            String.valueOf(w.nonSuccess()),
                            String.valueOf(w.socketErrors()),
                            String.valueOf(w.p50()),
                            String.valueOf(w.p90()),
                            String.valueOf(w.p99()),
                            String.valueOf(w.p999()),
                            r.idle() == 0 ? "" : String.valueOf(r.idleAlive()),
                            fmt(r.serverCpuSeconds(), 3),
                            fmt(r.wallSeconds(), 3),
                            r.serverCpus() == 0 ? "" : String.valueOf(r.serverCpus()),
                            fmt(r.utilization(), 3),
                            fmt(w.clientCpuSeconds(), 3),
                            fmt(r.wrkUtilization(), 3),
                            fmt(r.cpuMicrosPerRequest(), 2),
                            results.bound(r),
                            net(r.net()),
                            quota(r.quota()),
                            r.throttling() == null
                                    ? ""
                                    : String.valueOf(r.throttling().periods()),
                            r.throttling() == null
                                    ? ""
                                    : String.valueOf(r.throttling().throttled()),
                            fmt(r.throttled(), 3),
                            fmt(r.steal(), 4),
                            Double.isNaN(r.steal()) ? "" : r.steal() > STEAL_FLAGGED ? "yes" : "no"))
                    .append('\n');
        }
        Files.writeString(dir.resolve("runs.csv"), t);

        StringBuilder s = new StringBuilder(
                "scenario,idle,server,rounds,median_req_s,min_req_s,max_req_s,vs_nginx,vs_floor,p50_us,p99_us,"
                        + "errors,cpu_us_per_req,syscalls_per_req,"
                        + "cpu_us_per_req_min,cpu_us_per_req_max,server_cpus,utilization,utilization_min,utilization_max,wrk_utilization,"
                        + "bound,ranked,unranked_reason,ratio_note,warmup_runs,steady,"
                        + "syscalls_per_req_min,syscalls_per_req_max,strace_connections,strace_rounds,"
                        + "listen_overflows,listen_drops,retrans_segs,syn_retrans,"
                        + "cpu_quota,throttled,server_bound_rounds,vs_nginx_lo,vs_nginx_hi,vs_floor_lo,vs_floor_hi,ratio_rounds,ratio_interval,"
                        + "cpu_vs_nginx,cpu_vs_nginx_lo,cpu_vs_nginx_hi,cpu_vs_floor,cpu_vs_floor_lo,cpu_vs_floor_hi,"
                        + "steal,steal_max,steal_flagged_rounds,latency_throttled\n");
        for (Summary m : results.summaries()) {
            boolean traced = m.idle() == results.maxIdle(m.scenario());
            Spread sys = traced
                    ? results.syscallsPerRequest(m.scenario(), m.server())
                    : new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            List<Cost> rounds = traced ? results.costs(m.scenario(), m.server()) : List.of();
            s.append(String.join(
                            ",",
                            m.scenario(),
                            String.valueOf(m.idle()),
                            m.server(),
                            String.valueOf(m.rounds()),
                            fmt(m.median(), 0),
                            fmt(m.min(), 0),
                            fmt(m.max(), 0),
                            fmt(m.vsNginx(), 2),
                            fmt(m.vsFloor(), 2),
                            String.valueOf(m.p50()),
                            String.valueOf(m.p99()),
                            String.valueOf(m.errors()),
                            fmt(m.cpuMicrosPerRequest().median(), 1),
                            fmt(sys.median(), 2),
                            fmt(m.cpuMicrosPerRequest().min(), 1),
                            fmt(m.cpuMicrosPerRequest().max(), 1),
                            m.serverCpus() == 0 ? "" : String.valueOf(m.serverCpus()),
                            fmt(m.utilization().median(), 3),
                            fmt(m.utilization().min(), 3),
                            fmt(m.utilization().max(), 3),
                            fmt(m.wrkUtilization(), 3),
                            m.bound(),
                            m.ranked() ? "yes" : "no",
                            text(m.unranked()),
                            text(m.ratioNote()),
                            String.valueOf(m.warmupRuns()),
                            m.steady() ? "yes" : "no",
                            fmt(sys.min(), 2),
                            fmt(sys.max(), 2),
                            rounds.isEmpty()
                                    ? ""
                                    : String.valueOf(rounds.getFirst().connections()),
                            rounds.isEmpty() ? "" : String.valueOf(rounds.size()),
                            net(m.net()),
                            quota(m.quota()),
                            fmt(m.throttled().median(), 3),
                            String.valueOf(m.serverBoundRounds()),
                            fmt(m.nginx().lo(), 2),
                            fmt(m.nginx().hi(), 2),
                            fmt(m.floor().lo(), 2),
                            fmt(m.floor().hi(), 2),
                            m.nginx().rounds() == 0
                                    ? ""
                                    : String.valueOf(m.nginx().rounds()),
                            m.nginx().method(),
                            fmt(m.cpuNginx().median(), 2),
                            fmt(m.cpuNginx().lo(), 2),
                            fmt(m.cpuNginx().hi(), 2),
                            fmt(m.cpuFloor().median(), 2),
                            fmt(m.cpuFloor().lo(), 2),
                            fmt(m.cpuFloor().hi(), 2),
                            fmt(m.steal().median(), 4),
                            fmt(m.steal().max(), 4),
                            String.valueOf(m.stealFlagged()),
                            m.latencyThrottled() ? "yes" : "no"))
                    .append('\n');
        }
        Files.writeString(dir.resolve("summary.csv"), s);

        StringBuilder sc = new StringBuilder("scenario,server,syscall,calls,per_request,"
                + "per_request_min,per_request_max,usecs_per_call,usecs_per_call_min,usecs_per_call_max,usecs_per_request,"
                + "errors_per_request,idle,connections,rounds,requests\n");
        Set<String> traced = new LinkedHashSet<>();
        results.costs().forEach(c -> traced.add(c.scenario() + "\t" + c.server()));
        for (String key : traced) {
            String scenario = key.split("\t")[0];
            String server = key.split("\t")[1];
            List<Cost> rounds = results.costs(scenario, server);
            Spread requests =
                    Spread.of(rounds.stream().map(c -> (double) c.requests()).toList());
            for (SyscallStat st : results.syscallStats(scenario, server)) {
                sc.append(String.join(
                                ",",
                                scenario,
                                server,
                                st.name(),
                                fmt(st.calls().median(), 0),
                                fmt(st.perRequest().median(), 3),
                                fmt(st.perRequest().min(), 3),
                                fmt(st.perRequest().max(), 3),
                                fmt(st.usecsPerCall().median(), 2),
                                fmt(st.usecsPerCall().min(), 2),
                                fmt(st.usecsPerCall().max(), 2),
                                fmt(st.usecsPerRequest().median(), 3),
                                fmt(st.errorsPerRequest().median(), 3),
                                String.valueOf(rounds.getFirst().idle()),
                                String.valueOf(rounds.getFirst().connections()),
                                String.valueOf(rounds.size()),
                                fmt(requests.median(), 0)))
                        .append('\n');
            }
        }
        Files.writeString(dir.resolve("syscalls.csv"), sc);

        Files.writeString(dir.resolve("c10k.csv"), c10kCsv(results));
        Files.writeString(dir.resolve("ratios.csv"), ratiosCsv(results));

        Files.writeString(dir.resolve("memory.csv"), DescriptiveFiles.memoryCsv(results));

        if (!results.latencies().isEmpty()) {
            Files.writeString(dir.resolve("latency.csv"), DescriptiveFiles.latencyCsv(results));
            Files.writeString(dir.resolve("latency-summary.csv"), DescriptiveFiles.latencySummaryCsv(results));
        }

        if (!results.allocations().isEmpty()) {
            Files.writeString(dir.resolve("allocation.csv"), DescriptiveFiles.allocationCsv(results));
        }

        if (results.scaling()) {
            Files.writeString(dir.resolve("scaling.csv"), Scaling.csv(results.scalingRows()));
        }

        StringBuilder wu = new StringBuilder("scenario,idle,server,run,seconds,req_per_s,change_vs_previous,steady\n");
        for (WarmUp w : results.warmups()) {
            List<Double> upTo = results.warmups().stream()
                    .filter(o -> o.scenario().equals(w.scenario())
                            && o.idle() == w.idle()
                            && o.server().equals(w.server())
                            && o.run() <= w.run())
                    .map(WarmUp::requestsPerSecond)
                    .toList();
            double change = upTo.size() < 2
                    ? Double.NaN
                    : (upTo.getLast() - upTo.get(upTo.size() - 2)) / Math.max(1e-9, upTo.get(upTo.size() - 2));
            wu.append(String.join(
                            ",",
                            w.scenario(),
                            String.valueOf(w.idle()),
                            w.server(),
                            String.valueOf(w.run()),
                            fmt(w.seconds(), 0),
                            fmt(w.requestsPerSecond(), 0),
                            fmt(change, 3),
                            Results.steady(upTo) ? "yes" : "no"))
                    .append('\n');
        }
        Files.writeString(dir.resolve("warmup.csv"), wu);

        if (!results.slowloris().isEmpty()) {
            Files.writeString(dir.resolve("slowloris.csv"), Slowloris.csv(results.slowloris()));
            Files.writeString(dir.resolve("slowloris-summary.csv"), Slowloris.summaryCsv(results.slowloris()));
        }

        StringBuilder f = new StringBuilder("what,reason\n");
        results.failures()
                .forEach((k, v) -> f.append(k)
                        .append(",\"")
                        .append(v.replace("\"", "'").replace("\n", " "))
                        .append("\"\n"));
        Files.writeString(dir.resolve("failures.csv"), f);
    }

    /** c10k.csv: the c10k curve, {@link Results#c10kCurve()}. */
    private static String c10kCsv(Results results) {
        StringBuilder curve =
                new StringBuilder("server,idle,median_req_s,fraction_of_no_idle,vs_nginx,vs_nginx_lo,vs_nginx_hi,"
                        + "kept_vs_nginx,kept_vs_nginx_lo,kept_vs_nginx_hi\n");
        for (Results.C10kPoint p : results.c10kCurve()) {
            Summary m = p.row();
            Ratio now = p.vsNginx();
            Ratio kept = p.keptVsNginx();
            curve.append(String.join(
                            ",",
                            m.server(),
                            String.valueOf(m.idle()),
                            fmt(m.median(), 0),
                            fmt(p.fractionOfNoIdle(), 3),
                            fmt(now.median(), 3),
                            fmt(now.lo(), 3),
                            fmt(now.hi(), 3),
                            fmt(kept.median(), 3),
                            fmt(kept.lo(), 3),
                            fmt(kept.hi(), 3)))
                    .append('\n');
        }
        return curve.toString();
    }

    /**
     * ratios.csv: every ranked server against every other ranked server of the same scenario and
     * idle count, as {@link Results#pairedRatio}: the book's comparisons between stages (stage 04 over
     * stage 03, a variant over its stage) come from here, made the same way as vs_nginx.
     */
    private static String ratiosCsv(Results results) {
        StringBuilder b = new StringBuilder(
                "scenario,idle,server,peer,rounds,interval,vs,vs_lo,vs_hi,cpu_vs,cpu_vs_lo,cpu_vs_hi\n");
        List<Summary> all = results.summaries();
        for (Summary m : all) {
            for (Summary p : all) {
                if (!m.ranked()
                        || !p.ranked()
                        || m.server().equals(p.server())
                        || !m.scenario().equals(p.scenario())
                        || m.idle() != p.idle()) {
                    continue;
                }
                Ratio vs = results.pairedRatio(m.scenario(), m.idle(), m.server(), p.server(), false);
                Ratio cpu = results.pairedRatio(m.scenario(), m.idle(), m.server(), p.server(), true);
                if (vs.rounds() < Math.min(Results.MIN_PAIRED_ROUNDS, m.rounds())) {
                    continue;
                }
                b.append(String.join(
                                ",",
                                m.scenario(),
                                String.valueOf(m.idle()),
                                m.server(),
                                p.server(),
                                String.valueOf(vs.rounds()),
                                vs.method(),
                                fmt(vs.median(), 3),
                                fmt(vs.lo(), 3),
                                fmt(vs.hi(), 3),
                                fmt(cpu.median(), 3),
                                fmt(cpu.lo(), 3),
                                fmt(cpu.hi(), 3)))
                        .append('\n');
            }
        }
        return b.toString();
    }

    /** The TCP counters as columns, in {@link NetCounters#NAMES}' order. */
    private static String net(Map<String, Long> net) {
        List<String> v = new ArrayList<>();
        for (String name : NetCounters.NAMES) {
            Long x = net.get(name);
            v.add(x == null ? "" : String.valueOf(x));
        }
        return String.join(",", v);
    }
}
