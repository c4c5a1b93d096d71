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
import java.util.TreeSet;

/**
 * Everything a journey measured, and the files it writes from it. Every file and column is
 * described in bench/RESULTS.adoc; new columns go at the end of a file, so that readers that
 * look columns up by name keep working.
 */
final class Results {

    // tag::thresholds[]
    /** A server using at least this share of its CPU set's CPUs is taken to be the bottleneck. */
    static final double SERVER_SATURATED = 0.85;
    /** wrk using at least this share of the CPUs its threads can use is taken to be the limit. */
    static final double LOAD_GENERATOR_SATURATED = 0.90;
    /** Slack on "CPU seconds per second <= CPUs in the set": clock-tick rounding and the read's own timing. */
    static final double IMPOSSIBLE_RELATIVE = 0.05;
    static final double IMPOSSIBLE_ABSOLUTE = 0.05;
    /** Two consecutive warm-up runs within this relative difference: the JIT has settled. */
    static final double STEADY = 0.05;
    // end::thresholds[]

    /**
     * One wrk run of the throughput pass, with the server's CPU time and the kernel's TCP counters
     * over the same window.
     *
     * @param serverCpuSeconds utime + stime of the server's processes during the run
     * @param wallSeconds      the window those were read over (around wrk, as the harness saw it)
     * @param serverCpus       CPUs in the server's CPU set
     * @param net              {@link NetCounters} deltas over the window
     */
    record Run(String scenario, int idle, String server, int round, WrkResult wrk, int idleAlive,
               double serverCpuSeconds, double wallSeconds, int serverCpus, Map<String, Long> net) {

        /** A run without CPU or counter readings (charts and tests). */
        Run(String scenario, int idle, String server, int round, WrkResult wrk, int idleAlive) {
            this(scenario, idle, server, round, wrk, idleAlive, Double.NaN, Double.NaN, 0, Map.of());
        }

        /** Server CPU seconds per second of wall time: 1.0 is one CPU fully busy. */
        double utilization() {
            return serverCpuSeconds / wallSeconds;
        }

        /** wrk's CPU seconds per second of wall time. */
        double wrkUtilization() {
            return wrk.clientCpuSeconds() / wallSeconds;
        }

        double cpuMicrosPerRequest() {
            return wrk.requests() == 0 ? Double.NaN : serverCpuSeconds * 1e6 / wrk.requests();
        }
    }

    /** One system call's line in strace -c's table: calls, failed calls, and seconds spent in it. */
    record Syscall(long calls, long errors, double seconds) {
        double usecsPerCall() {
            return calls == 0 ? Double.NaN : seconds * 1e6 / calls;
        }
    }

    /** One round of the system-call pass: strace -f -c over a wrk run on {@code connections} connections. */
    record Cost(String scenario, int idle, String server, int round, int connections, long requests, Map<String, Syscall> syscalls) {
        double syscallsPerRequest() {
            return requests == 0 ? Double.NaN : syscalls.values().stream().mapToLong(Syscall::calls).sum() / (double) requests;
        }
    }

    /** Memory of a server holding {@code idle} idle connections, measured before a round's wrk run. */
    record Memory(String server, int idle, int round, long rssKib, long heapUsedKib) {
    }

    /** Heap bytes a JVM server allocated over one round's wrk run (its threads' allocation counters), and the requests it answered. */
    record Allocation(String scenario, String server, int round, long requests, long bytes) {
        double perRequest() {
            return requests == 0 ? Double.NaN : bytes / (double) requests;
        }
    }

    /** One warm-up run: the throughput the JIT had reached. */
    record WarmUp(String scenario, int idle, String server, int run, double seconds, double requestsPerSecond) {
    }

    /** A median with its spread over the rounds it came from (NaN readings left out). */
    record Spread(double median, double min, double max, int n) {
        static Spread of(List<Double> values) {
            List<Double> v = values.stream().filter(x -> x != null && !Double.isNaN(x)).sorted().toList();
            if (v.isEmpty()) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            return new Spread(Results.median(v), v.getFirst(), v.getLast(), v.size());
        }
    }

    /**
     * The median, spread and ratios of one server in one scenario (and idle count).
     *
     * @param bound     which side was the limit: server, load-generator, neither, or unknown (not measured)
     * @param unranked  why this row must not be ranked against others; empty when it may be
     * @param ratioNote what to know about the ratios (a peer that was not the bottleneck)
     * @param net       TCP counter deltas summed over the rounds
     */
    record Summary(String scenario, int idle, String server, int rounds, double median, double min, double max,
                   double vsNginx, double vsFloor, long p50, long p99, long errors,
                   Spread cpuMicrosPerRequest, Spread utilization, int serverCpus, double wrkUtilization, String bound,
                   int warmupRuns, boolean steady, String unranked, String ratioNote, Map<String, Long> net) {
        boolean ranked() {
            return unranked.isEmpty();
        }
    }

    final List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    final List<Cost> costs = Collections.synchronizedList(new ArrayList<>());
    final List<Memory> memory = Collections.synchronizedList(new ArrayList<>());
    final List<WarmUp> warmups = Collections.synchronizedList(new ArrayList<>());
    final List<Allocation> allocations = Collections.synchronizedList(new ArrayList<>());
    final List<Slowloris.Result> slowloris = Collections.synchronizedList(new ArrayList<>());
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

    // tag::checks[]
    /**
     * A reading that cannot be true: a process pinned to {@code cpus} CPUs cannot use more than
     * {@code cpus} CPU seconds per second. Returns why, or null when the reading is possible.
     */
    static String impossible(String what, double cpuSeconds, double wallSeconds, int cpus) {
        if (Double.isNaN(cpuSeconds) || Double.isNaN(wallSeconds) || wallSeconds <= 0 || cpus <= 0) {
            return null;
        }
        double perSecond = cpuSeconds / wallSeconds;
        if (perSecond > cpus * (1 + IMPOSSIBLE_RELATIVE) + IMPOSSIBLE_ABSOLUTE) {
            return String.format(Locale.ROOT, "impossible reading: %s used %.2f CPU seconds per second on a CPU set of %d CPU%s"
                    + " (%.2f s of CPU in %.2f s); the CPU accounting or the pinning is wrong, so this run is not charted",
                    what, perSecond, cpus, cpus == 1 ? "" : "s", cpuSeconds, wallSeconds);
        }
        return null;
    }

    /** Adds a run, or throws when its CPU reading cannot be true (the run then fails instead of being charted). */
    void add(Run run) {
        String why = impossible(run.server(), run.serverCpuSeconds(), run.wallSeconds(), run.serverCpus());
        if (why != null) {
            throw new IllegalStateException(why);
        }
        runs.add(run);
    }

    /**
     * Which side limited a run. The server is the bottleneck when it kept its CPUs busy; when it did
     * not and wrk kept its own busy, wrk was the limit and the throughput says more about wrk; when
     * neither was busy, something else was (latency, another process on the CPUs, a timer).
     */
    static String bound(double utilization, int serverCpus, double wrkUtilization, double wrkCpus) {
        if (Double.isNaN(utilization) || serverCpus <= 0) {
            return "unknown";
        }
        if (utilization >= SERVER_SATURATED * serverCpus) {
            return "server";
        }
        if (!Double.isNaN(wrkUtilization) && wrkUtilization >= LOAD_GENERATOR_SATURATED * wrkCpus) {
            return "load-generator";
        }
        return "neither";
    }

    /** Whether the last two warm-up throughputs agree within {@link #STEADY}. */
    static boolean steady(List<Double> throughputs) {
        int n = throughputs.size();
        if (n < 2) {
            return false;
        }
        double a = throughputs.get(n - 2);
        double b = throughputs.get(n - 1);
        return Math.max(a, b) > 0 && Math.abs(a - b) / Math.max(a, b) <= STEADY;
    }
    // end::checks[]

    /** CPUs wrk's threads can use: its thread count, or fewer if its CPU set is smaller. */
    private double wrkCpus = Wrk.THREADS;

    void wrkCpus(int threads, int cpusInSet) {
        wrkCpus = Math.min(threads, cpusInSet);
    }

    double wrkCpus() {
        return wrkCpus;
    }

    /** Whether this is a multicore run, which writes scaling.csv; and the CPUs its servers and wrk shared ("" when apart). */
    private boolean scaling;
    private String sharedCpus = "";

    void scaling(String sharedCpus) {
        this.scaling = true;
        this.sharedCpus = sharedCpus;
    }

    /** The rows of scaling.csv; empty unless this is a multicore run. */
    List<Scaling.Row> scalingRows() {
        return scaling ? Scaling.rows(this, sharedCpus) : List.of();
    }

    private List<Run> runsOf(String scenario, int idle, String server) {
        return runs.stream().filter(r -> r.scenario().equals(scenario) && r.idle() == idle && r.server().equals(server)).toList();
    }

    /** Row facts before ratios: errors, bound, warm-up. */
    private record Facts(long errors, String bound, int warmupRuns, boolean steady, String unranked) {
    }

    private Facts facts(String scenario, int idle, String server) {
        List<Run> mine = runsOf(scenario, idle, server);
        long errors = mine.stream().mapToLong(r -> r.wrk().errors()).sum();
        double util = Spread.of(mine.stream().map(Run::utilization).toList()).median();
        double wrkUtil = Spread.of(mine.stream().map(Run::wrkUtilization).toList()).median();
        int cpus = mine.stream().mapToInt(Run::serverCpus).max().orElse(0);
        String bound = bound(util, cpus, wrkUtil, wrkCpus);
        List<Double> warm = warmups.stream().filter(w -> w.scenario().equals(scenario) && w.idle() == idle && w.server().equals(server))
                .map(WarmUp::requestsPerSecond).toList();
        boolean steady = warm.isEmpty() || steady(warm); // no warm-up recorded: nothing to judge (tests, old data)
        List<String> why = new ArrayList<>();
        if (errors > 0) {
            why.add(errors + " errors");
        }
        if (bound.equals("load-generator")) {
            why.add("not server-bound: wrk saturated");
        } else if (bound.equals("neither")) {
            why.add("not server-bound: neither server nor wrk saturated");
        }
        if (!steady) {
            why.add("warm-up not steady after " + warm.size() + " runs");
        }
        return new Facts(errors, bound, warm.size(), steady, String.join("; ", why));
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
            List<Run> mine = runsOf(scenario, idle, server);
            Facts facts = facts(scenario, idle, server);
            List<Double> rps = mine.stream().map(r -> r.wrk().requestsPerSecond()).toList();
            List<String> notes = new ArrayList<>();
            double vsNginx = rankedRatio(facts, mine, scenario, idle, server, "nginx", notes);
            double vsFloor = rankedRatio(facts, mine, scenario, idle, server, "floor", notes);
            Map<String, Long> net = new LinkedHashMap<>();
            mine.forEach(r -> r.net().forEach((n, v) -> net.merge(n, v, Long::sum)));
            out.add(new Summary(scenario, idle, server, mine.size(), median(rps),
                    rps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    rps.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    vsNginx, vsFloor,
                    (long) medianLong(mine.stream().map(r -> r.wrk().p50()).toList()),
                    (long) medianLong(mine.stream().map(r -> r.wrk().p99()).toList()),
                    facts.errors(),
                    Spread.of(mine.stream().map(Run::cpuMicrosPerRequest).toList()),
                    Spread.of(mine.stream().map(Run::utilization).toList()),
                    mine.stream().mapToInt(Run::serverCpus).max().orElse(0),
                    Spread.of(mine.stream().map(Run::wrkUtilization).toList()).median(),
                    facts.bound(), facts.warmupRuns(), facts.steady(), facts.unranked(), String.join("; ", notes), net));
        }
        return out;
    }

    /**
     * A ratio only where it means something: none for a row that is not ranked, none against a
     * peer with errors or an unsteady warm-up; against a peer that was not the bottleneck the
     * ratio is kept and noted as an upper bound (the peer could have gone faster).
     */
    private double rankedRatio(Facts mine, List<Run> runs, String scenario, int idle, String server, String peer, List<String> notes) {
        if (!mine.unranked().isEmpty() || runsOf(scenario, idle, peer).isEmpty()) {
            return Double.NaN;
        }
        if (server.equals(peer)) {
            return ratio(runs, scenario, idle, peer);
        }
        Facts p = facts(scenario, idle, peer);
        if (p.errors() > 0 || !p.steady()) {
            notes.add(peer + " not ranked (" + p.unranked() + "): no ratio");
            return Double.NaN;
        }
        if (p.bound().equals("load-generator") || p.bound().equals("neither")) {
            notes.add(peer + " not server-bound: vs_" + peer + " is an upper bound");
        }
        return ratio(runs, scenario, idle, peer);
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

    /** The system-call pass's rounds of one server in one scenario. */
    List<Cost> costs(String scenario, String server) {
        return costs.stream().filter(c -> c.scenario().equals(scenario) && c.server().equals(server)).toList();
    }

    /** One system call's figures over the strace rounds: per request, and time per call. */
    record SyscallStat(String name, Spread calls, Spread perRequest, Spread usecsPerCall, Spread usecsPerRequest,
                       Spread errorsPerRequest) {
    }

    /** Every system call seen in any round, most frequent per request first; a round without it counts 0. */
    List<SyscallStat> syscallStats(String scenario, String server) {
        List<Cost> rounds = costs(scenario, server);
        Set<String> names = new TreeSet<>();
        rounds.forEach(c -> names.addAll(c.syscalls().keySet()));
        List<SyscallStat> stats = new ArrayList<>();
        for (String name : names) {
            List<Double> calls = new ArrayList<>();
            List<Double> perRequest = new ArrayList<>();
            List<Double> perCall = new ArrayList<>();
            List<Double> timePerRequest = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (Cost c : rounds) {
                Syscall s = c.syscalls().getOrDefault(name, new Syscall(0, 0, 0));
                double requests = c.requests() == 0 ? Double.NaN : c.requests();
                calls.add((double) s.calls());
                perRequest.add(s.calls() / requests);
                perCall.add(s.usecsPerCall());
                timePerRequest.add(s.seconds() * 1e6 / requests);
                errors.add(s.errors() / requests);
            }
            stats.add(new SyscallStat(name, Spread.of(calls), Spread.of(perRequest), Spread.of(perCall), Spread.of(timePerRequest),
                    Spread.of(errors)));
        }
        stats.sort((a, b) -> Double.compare(b.perRequest().median(), a.perRequest().median()));
        return stats;
    }

    Spread syscallsPerRequest(String scenario, String server) {
        return Spread.of(costs(scenario, server).stream().map(Cost::syscallsPerRequest).toList());
    }

    /** Free text in a CSV cell: the files are read without quoting, so no commas. */
    static String text(String s) {
        return s.replace(',', ';').replace('\n', ' ');
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String net(Map<String, Long> net) {
        List<String> v = new ArrayList<>();
        for (String name : NetCounters.NAMES) {
            Long x = net.get(name);
            v.add(x == null ? "" : String.valueOf(x));
        }
        return String.join(",", v);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder t = new StringBuilder("scenario,idle,server,round,requests,seconds,req_per_s,non_2xx_3xx,socket_errors,"
                + "p50_us,p90_us,p99_us,p999_us,idle_still_open,"
                + "server_cpu_s,wall_s,server_cpus,utilization,wrk_cpu_s,wrk_utilization,cpu_us_per_req,bound,"
                + "listen_overflows,listen_drops,retrans_segs,syn_retrans\n");
        for (Run r : runs) {
            WrkResult w = r.wrk();
            t.append(String.join(",", r.scenario(), String.valueOf(r.idle()), r.server(), String.valueOf(r.round()),
                    String.valueOf(w.requests()), fmt(w.durationMicros() / 1e6, 2), fmt(w.requestsPerSecond(), 0),
                    String.valueOf(w.nonSuccess()), String.valueOf(w.socketErrors()), String.valueOf(w.p50()),
                    String.valueOf(w.p90()), String.valueOf(w.p99()), String.valueOf(w.p999()),
                    r.idle() == 0 ? "" : String.valueOf(r.idleAlive()),
                    fmt(r.serverCpuSeconds(), 3), fmt(r.wallSeconds(), 3), r.serverCpus() == 0 ? "" : String.valueOf(r.serverCpus()),
                    fmt(r.utilization(), 3), fmt(w.clientCpuSeconds(), 3), fmt(r.wrkUtilization(), 3), fmt(r.cpuMicrosPerRequest(), 2),
                    bound(r.utilization(), r.serverCpus(), r.wrkUtilization(), wrkCpus), net(r.net()))).append('\n');
        }
        Files.writeString(dir.resolve("runs.csv"), t);

        StringBuilder s = new StringBuilder("scenario,idle,server,rounds,median_req_s,min_req_s,max_req_s,vs_nginx,vs_floor,p50_us,p99_us,"
                + "errors,cpu_us_per_req,syscalls_per_req,"
                + "cpu_us_per_req_min,cpu_us_per_req_max,server_cpus,utilization,utilization_min,utilization_max,wrk_utilization,"
                + "bound,ranked,unranked_reason,ratio_note,warmup_runs,steady,"
                + "syscalls_per_req_min,syscalls_per_req_max,strace_connections,strace_rounds,"
                + "listen_overflows,listen_drops,retrans_segs,syn_retrans\n");
        for (Summary m : summaries()) {
            boolean traced = m.idle() == maxIdle(m.scenario());
            Spread sys = traced ? syscallsPerRequest(m.scenario(), m.server()) : new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            List<Cost> rounds = traced ? costs(m.scenario(), m.server()) : List.of();
            s.append(String.join(",", m.scenario(), String.valueOf(m.idle()), m.server(), String.valueOf(m.rounds()),
                    fmt(m.median(), 0), fmt(m.min(), 0), fmt(m.max(), 0), fmt(m.vsNginx(), 2), fmt(m.vsFloor(), 2),
                    String.valueOf(m.p50()), String.valueOf(m.p99()), String.valueOf(m.errors()),
                    fmt(m.cpuMicrosPerRequest().median(), 1), fmt(sys.median(), 2),
                    fmt(m.cpuMicrosPerRequest().min(), 1), fmt(m.cpuMicrosPerRequest().max(), 1),
                    m.serverCpus() == 0 ? "" : String.valueOf(m.serverCpus()),
                    fmt(m.utilization().median(), 3), fmt(m.utilization().min(), 3), fmt(m.utilization().max(), 3),
                    fmt(m.wrkUtilization(), 3), m.bound(), m.ranked() ? "yes" : "no", text(m.unranked()), text(m.ratioNote()),
                    String.valueOf(m.warmupRuns()), m.steady() ? "yes" : "no",
                    fmt(sys.min(), 2), fmt(sys.max(), 2),
                    rounds.isEmpty() ? "" : String.valueOf(rounds.getFirst().connections()), rounds.isEmpty() ? "" : String.valueOf(rounds.size()),
                    net(m.net()))).append('\n');
        }
        Files.writeString(dir.resolve("summary.csv"), s);

        StringBuilder sc = new StringBuilder("scenario,server,syscall,calls,per_request,"
                + "per_request_min,per_request_max,usecs_per_call,usecs_per_call_min,usecs_per_call_max,usecs_per_request,"
                + "errors_per_request,idle,connections,rounds,requests\n");
        Set<String> traced = new LinkedHashSet<>();
        costs.forEach(c -> traced.add(c.scenario() + "\t" + c.server()));
        for (String key : traced) {
            String scenario = key.split("\t")[0];
            String server = key.split("\t")[1];
            List<Cost> rounds = costs(scenario, server);
            Spread requests = Spread.of(rounds.stream().map(c -> (double) c.requests()).toList());
            for (SyscallStat st : syscallStats(scenario, server)) {
                sc.append(String.join(",", scenario, server, st.name(), fmt(st.calls().median(), 0), fmt(st.perRequest().median(), 3),
                        fmt(st.perRequest().min(), 3), fmt(st.perRequest().max(), 3),
                        fmt(st.usecsPerCall().median(), 2), fmt(st.usecsPerCall().min(), 2), fmt(st.usecsPerCall().max(), 2),
                        fmt(st.usecsPerRequest().median(), 3), fmt(st.errorsPerRequest().median(), 3),
                        String.valueOf(rounds.getFirst().idle()), String.valueOf(rounds.getFirst().connections()),
                        String.valueOf(rounds.size()), fmt(requests.median(), 0))).append('\n');
            }
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

        Files.writeString(dir.resolve("memory.csv"), memoryCsv());

        if (!allocations.isEmpty()) {
            Files.writeString(dir.resolve("allocation.csv"), allocationCsv());
        }

        if (scaling) {
            Files.writeString(dir.resolve("scaling.csv"), Scaling.csv(scalingRows()));
        }

        StringBuilder wu = new StringBuilder("scenario,idle,server,run,seconds,req_per_s,change_vs_previous,steady\n");
        for (WarmUp w : warmups) {
            List<Double> upTo = warmups.stream().filter(o -> o.scenario().equals(w.scenario()) && o.idle() == w.idle()
                    && o.server().equals(w.server()) && o.run() <= w.run()).map(WarmUp::requestsPerSecond).toList();
            double change = upTo.size() < 2 ? Double.NaN
                    : (upTo.getLast() - upTo.get(upTo.size() - 2)) / Math.max(1e-9, upTo.get(upTo.size() - 2));
            wu.append(String.join(",", w.scenario(), String.valueOf(w.idle()), w.server(), String.valueOf(w.run()),
                    fmt(w.seconds(), 0), fmt(w.requestsPerSecond(), 0), fmt(change, 3), steady(upTo) ? "yes" : "no")).append('\n');
        }
        Files.writeString(dir.resolve("warmup.csv"), wu);

        if (!slowloris.isEmpty()) {
            Files.writeString(dir.resolve("slowloris.csv"), Slowloris.csv(slowloris));
            Files.writeString(dir.resolve("slowloris-summary.csv"), Slowloris.summaryCsv(slowloris));
        }

        StringBuilder f = new StringBuilder("what,reason\n");
        failures.forEach((k, v) -> f.append(k).append(",\"").append(v.replace("\"", "'").replace("\n", " ")).append("\"\n"));
        Files.writeString(dir.resolve("failures.csv"), f);
    }

    private String memoryCsv() {
        StringBuilder mem = new StringBuilder("server,idle,rss_kib,heap_used_kib,rss_bytes_per_idle_connection,heap_bytes_per_idle_connection,"
                + "rounds,rss_min_kib,rss_max_kib,heap_used_min_kib,heap_used_max_kib\n");
        Set<String> keys = new LinkedHashSet<>();
        memory.forEach(m -> keys.add(m.server() + "\t" + m.idle()));
        for (String key : keys) {
            String server = key.split("\t")[0];
            int idle = Integer.parseInt(key.split("\t")[1]);
            Spread rss = memorySpread(server, idle, false);
            Spread heap = memorySpread(server, idle, true);
            Spread rssNone = memorySpread(server, 0, false);
            Spread heapNone = memorySpread(server, 0, true);
            boolean per = rssNone.n() > 0 && idle > 0;
            mem.append(String.join(",", server, String.valueOf(idle), fmt(rss.median(), 0), fmt(heap.median(), 0),
                    per ? fmt((rss.median() - rssNone.median()) * 1024.0 / idle, 0) : "",
                    per && heap.n() > 0 && heapNone.n() > 0 ? fmt((heap.median() - heapNone.median()) * 1024.0 / idle, 0) : "",
                    String.valueOf(rss.n()), fmt(rss.min(), 0), fmt(rss.max(), 0), fmt(heap.min(), 0), fmt(heap.max(), 0))).append('\n');
        }
        return mem.toString();
    }

    private String allocationCsv() {
        StringBuilder b = new StringBuilder("scenario,server,bytes_per_request,rounds,min,max\n");
        Set<String> keys = new LinkedHashSet<>();
        allocations.forEach(a -> keys.add(a.scenario() + "\t" + a.server()));
        for (String key : keys) {
            String scenario = key.split("\t")[0];
            String server = key.split("\t")[1];
            Spread s = allocationSpread(scenario, server);
            b.append(String.join(",", scenario, server, fmt(s.median(), 1), String.valueOf(s.n()), fmt(s.min(), 1), fmt(s.max(), 1)))
                    .append('\n');
        }
        return b.toString();
    }

    Spread allocationSpread(String scenario, String server) {
        return Spread.of(allocations.stream().filter(a -> a.scenario().equals(scenario) && a.server().equals(server))
                .map(Allocation::perRequest).toList());
    }

    Spread memorySpread(String server, int idle, boolean heap) {
        return Spread.of(memory.stream().filter(m -> m.server().equals(server) && m.idle() == idle)
                .map(m -> heap ? (m.heapUsedKib() < 0 ? Double.NaN : (double) m.heapUsedKib()) : (double) m.rssKib()).toList());
    }

    int maxIdle(String scenario) {
        return runs.stream().filter(r -> r.scenario().equals(scenario)).mapToInt(Run::idle).max().orElse(0);
    }

    /** The table printed at the end of a journey. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s %6s %-16s %10s %13s %6s %-14s %8s %8s %7s %9s %9s %7s%n",
                "scenario", "idle", "server", "median/s", "min-max", "util", "bound", "vs nginx", "vs floor", "errors", "cpu us/r", "sys/r",
                "syn rtx"));
        List<String> reasons = new ArrayList<>();
        for (Summary m : summaries()) {
            boolean traced = m.idle() == maxIdle(m.scenario());
            Spread sys = traced ? syscallsPerRequest(m.scenario(), m.server()) : new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            Long synRetrans = m.net().get("TcpExtTCPSynRetrans");
            b.append(String.format(Locale.ROOT, "%-10s %6d %-16s %10s %13s %6s %-14s %8s %8s %7d %9s %9s %7s%n",
                    m.scenario(), m.idle(), m.server() + (m.ranked() ? "" : " *"), fmt(m.median(), 0),
                    fmt(m.min(), 0) + "-" + fmt(m.max(), 0), fmt(m.utilization().median(), 2), m.bound(),
                    m.ranked() ? fmt(m.vsNginx(), 2) : "-", m.ranked() ? fmt(m.vsFloor(), 2) : "-", m.errors(),
                    fmt(m.cpuMicrosPerRequest().median(), 1), fmt(sys.median(), 2), synRetrans == null ? "" : synRetrans));
            if (!m.ranked()) {
                reasons.add(m.scenario() + (m.idle() > 0 ? " idle=" + m.idle() : "") + " " + m.server() + ": " + m.unranked());
            }
            if (m.ranked() && !m.ratioNote().isEmpty()) {
                reasons.add(m.scenario() + (m.idle() > 0 ? " idle=" + m.idle() : "") + " " + m.server() + ": " + m.ratioNote());
            }
        }
        b.append("util: server CPU seconds per second (1.00 = one CPU busy). bound: which side was the limit.\n"
                + "syn rtx: SYN retransmits over all rounds (a full listen queue; each costs the client 1 s, then 2 s more).\n");
        b.append("Ratios are printed only for ranked rows: no errors, the server was the bottleneck, and its warm-up\n"
                + "reached a steady state (two consecutive warm-up runs within " + Math.round(STEADY * 100) + "%).\n");
        Set<String> straced = new TreeSet<>();
        costs.forEach(c -> straced.add(c.scenario() + " on " + c.connections() + " connection" + (c.connections() == 1 ? "" : "s")
                + (c.idle() > 0 ? " beside " + c.idle() + " idle" : "")));
        if (!straced.isEmpty()) {
            b.append("sys/r: system calls per request under strace, on fewer connections than the throughput runs where\n"
                    + "noted (a traced server answers a few thousand requests): " + String.join(", ", straced) + ".\n");
        }
        if (!reasons.isEmpty()) {
            b.append("\n* not ranked, and notes on ratios:\n");
            reasons.forEach(r -> b.append("  ").append(r).append('\n'));
        }
        if (!slowloris.isEmpty()) {
            b.append('\n').append(Slowloris.table(slowloris));
        }
        if (scaling) {
            b.append('\n').append(Scaling.table(scalingRows(), sharedCpus));
        }
        if (!failures.isEmpty()) {
            b.append("\nfailures:\n");
            failures.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v.lines().findFirst().orElse("")).append('\n'));
        }
        return b.toString();
    }
}
