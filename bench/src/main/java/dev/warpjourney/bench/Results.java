package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Everything a journey measured, and the files it writes from it. */
final class Results {

    /** One wrk run of the throughput pass. */
    record Run(String scenario, int idle, String server, int round, WrkResult wrk, int idleAlive) {
    }

    /** The cost passes of one server in one scenario. */
    record Cost(String scenario, String server, long cpuRequests, double cpuMicrosPerRequest,
                long syscallRequests, Map<String, Long> syscalls) {
        double syscallsPerRequest() {
            return syscallRequests == 0 ? Double.NaN : syscalls.values().stream().mapToLong(Long::longValue).sum() / (double) syscallRequests;
        }
    }

    /** Memory of a server holding {@code idle} idle connections, measured before the wrk run. */
    record Memory(String server, int idle, long rssKib, long heapUsedKib) {
    }

    /** The median, spread and ratios of one server in one scenario (and idle count). */
    record Summary(String scenario, int idle, String server, int rounds, double median, double min, double max,
                   double vsNginx, double vsFloor, long p50, long p99, long errors) {
    }

    final List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    final List<Cost> costs = Collections.synchronizedList(new ArrayList<>());
    final List<Memory> memory = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> failures = new LinkedHashMap<>();

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static double medianLong(List<Long> values) {
        return median(values.stream().map(Long::doubleValue).toList());
    }

    List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Run r : runs) {
            keys.add(r.scenario() + "\t" + r.idle() + "\t" + r.server());
        }
        for (String key : keys) {
            String[] k = key.split("\t");
            String scenario = k[0];
            int idle = Integer.parseInt(k[1]);
            String server = k[2];
            List<Run> mine = runs.stream().filter(r -> r.scenario().equals(scenario) && r.idle() == idle && r.server().equals(server)).toList();
            List<Double> rps = mine.stream().map(r -> r.wrk().requestsPerSecond()).toList();
            out.add(new Summary(scenario, idle, server, mine.size(), median(rps),
                    rps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    rps.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    ratio(mine, scenario, idle, "nginx"), ratio(mine, scenario, idle, "floor"),
                    (long) medianLong(mine.stream().map(r -> r.wrk().p50()).toList()),
                    (long) medianLong(mine.stream().map(r -> r.wrk().p99()).toList()),
                    mine.stream().mapToLong(r -> r.wrk().nonSuccess() + r.wrk().socketErrors()).sum()));
        }
        return out;
    }

    // tag::ratio[]
    /** The median of the per-round ratios: each round's pair ran back to back, so drift cancels. */
    private double ratio(List<Run> mine, String scenario, int idle, String peer) {
        List<Double> ratios = new ArrayList<>();
        for (Run r : mine) {
            runs.stream().filter(p -> p.scenario().equals(scenario) && p.idle() == idle && p.server().equals(peer) && p.round() == r.round())
                    .findFirst()
                    .ifPresent(p -> ratios.add(r.wrk().requestsPerSecond() / p.wrk().requestsPerSecond()));
        }
        return median(ratios);
    }
    // end::ratio[]

    Cost cost(String scenario, String server) {
        return costs.stream().filter(c -> c.scenario().equals(scenario) && c.server().equals(server)).findFirst().orElse(null);
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder t = new StringBuilder("scenario,idle,server,round,requests,seconds,req_per_s,non_2xx_3xx,socket_errors,p50_us,p90_us,p99_us,p999_us,idle_still_open\n");
        for (Run r : runs) {
            WrkResult w = r.wrk();
            t.append(String.join(",", r.scenario(), String.valueOf(r.idle()), r.server(), String.valueOf(r.round()),
                    String.valueOf(w.requests()), fmt(w.durationMicros() / 1e6, 2), fmt(w.requestsPerSecond(), 0),
                    String.valueOf(w.nonSuccess()), String.valueOf(w.socketErrors()), String.valueOf(w.p50()),
                    String.valueOf(w.p90()), String.valueOf(w.p99()), String.valueOf(w.p999()),
                    r.idle() == 0 ? "" : String.valueOf(r.idleAlive()))).append('\n');
        }
        Files.writeString(dir.resolve("runs.csv"), t);

        StringBuilder s = new StringBuilder("scenario,idle,server,rounds,median_req_s,min_req_s,max_req_s,vs_nginx,vs_floor,p50_us,p99_us,errors,cpu_us_per_req,syscalls_per_req\n");
        for (Summary m : summaries()) {
            Cost c = m.idle() == maxIdle(m.scenario()) ? cost(m.scenario(), m.server()) : null;
            s.append(String.join(",", m.scenario(), String.valueOf(m.idle()), m.server(), String.valueOf(m.rounds()),
                    fmt(m.median(), 0), fmt(m.min(), 0), fmt(m.max(), 0), fmt(m.vsNginx(), 2), fmt(m.vsFloor(), 2),
                    String.valueOf(m.p50()), String.valueOf(m.p99()), String.valueOf(m.errors()),
                    c == null ? "" : fmt(c.cpuMicrosPerRequest(), 1), c == null ? "" : fmt(c.syscallsPerRequest(), 2))).append('\n');
        }
        Files.writeString(dir.resolve("summary.csv"), s);

        StringBuilder sc = new StringBuilder("scenario,server,syscall,calls,per_request\n");
        for (Cost c : costs) {
            c.syscalls().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e ->
                    sc.append(String.join(",", c.scenario(), c.server(), e.getKey(), String.valueOf(e.getValue()),
                            fmt(e.getValue() / (double) Math.max(1, c.syscallRequests()), 3))).append('\n'));
        }
        Files.writeString(dir.resolve("syscalls.csv"), sc);

        StringBuilder curve = new StringBuilder("server,idle,median_req_s,fraction_of_no_idle\n");
        for (Summary m : summaries()) {
            if (!m.scenario().equals("c10k")) {
                continue;
            }
            double base = summaries().stream().filter(b -> b.scenario().equals("c10k") && b.idle() == 0 && b.server().equals(m.server()))
                    .mapToDouble(Summary::median).findFirst().orElse(Double.NaN);
            curve.append(String.join(",", m.server(), String.valueOf(m.idle()), fmt(m.median(), 0), fmt(m.median() / base, 3))).append('\n');
        }
        Files.writeString(dir.resolve("c10k.csv"), curve);

        StringBuilder mem = new StringBuilder("server,idle,rss_kib,heap_used_kib,rss_bytes_per_idle_connection,heap_bytes_per_idle_connection\n");
        for (Memory m : memory) {
            Memory none = memory.stream().filter(b -> b.server().equals(m.server()) && b.idle() == 0).findFirst().orElse(null);
            boolean per = none != null && m.idle() > 0;
            mem.append(String.join(",", m.server(), String.valueOf(m.idle()), String.valueOf(m.rssKib()),
                    m.heapUsedKib() < 0 ? "" : String.valueOf(m.heapUsedKib()),
                    per ? fmt((m.rssKib() - none.rssKib()) * 1024.0 / m.idle(), 0) : "",
                    per && m.heapUsedKib() >= 0 ? fmt((m.heapUsedKib() - none.heapUsedKib()) * 1024.0 / m.idle(), 0) : "")).append('\n');
        }
        Files.writeString(dir.resolve("memory.csv"), mem);

        StringBuilder f = new StringBuilder("what,reason\n");
        failures.forEach((k, v) -> f.append(k).append(",\"").append(v.replace("\"", "'").replace("\n", " ")).append("\"\n"));
        Files.writeString(dir.resolve("failures.csv"), f);
    }

    int maxIdle(String scenario) {
        return runs.stream().filter(r -> r.scenario().equals(scenario)).mapToInt(Run::idle).max().orElse(0);
    }

    /** The table printed at the end of a journey. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s %6s %-16s %10s %17s %8s %8s %7s %9s %9s%n",
                "scenario", "idle", "server", "median/s", "min-max", "vs nginx", "vs floor", "errors", "cpu us/r", "sys/r"));
        for (Summary m : summaries()) {
            Cost c = m.idle() == maxIdle(m.scenario()) ? cost(m.scenario(), m.server()) : null;
            b.append(String.format(Locale.ROOT, "%-10s %6d %-16s %10s %17s %8s %8s %7d %9s %9s%n",
                    m.scenario(), m.idle(), m.server(), fmt(m.median(), 0), fmt(m.min(), 0) + "-" + fmt(m.max(), 0),
                    fmt(m.vsNginx(), 2), fmt(m.vsFloor(), 2), m.errors(),
                    c == null ? "" : fmt(c.cpuMicrosPerRequest(), 1), c == null ? "" : fmt(c.syscallsPerRequest(), 2)));
        }
        if (!failures.isEmpty()) {
            b.append("\nfailures:\n");
            failures.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v.lines().findFirst().orElse("")).append('\n'));
        }
        return b.toString();
    }
}
