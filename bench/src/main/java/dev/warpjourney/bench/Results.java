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
    /** Without a CPU quota: a server using at least this share of its CPU set's CPUs is taken to be the bottleneck. */
    static final double SERVER_SATURATED = 0.85;
    /** wrk using at least this share of the CPUs its threads can use is taken to be the limit (checked first). */
    static final double LOAD_GENERATOR_SATURATED = 0.90;
    /** Servers and wrk on the same CPUs, together using at least this share of them: the CPU set was the limit. */
    static final double CPU_SET_FULL = 0.90;
    /** Slack on "CPU seconds per second <= CPUs in the set": clock-tick rounding and the read's own timing. */
    static final double IMPOSSIBLE_RELATIVE = 0.05;

    static final double IMPOSSIBLE_ABSOLUTE = 0.05;
    /** A warm-up run more than this above the best run before it: the JIT is still making the server faster. */
    static final double STEADY = 0.05;
    /** A round whose CPUs lost more than this share of their time to the hypervisor (steal) is flagged. */
    static final double STEAL_FLAGGED = 0.05;
    /** A ratio needs this many rounds in which both servers were at their limit (fewer rounds run: all of them). */
    static final int MIN_PAIRED_ROUNDS = 3;
    /** From this many paired rounds on, a ratio's interval is a bootstrap interval; below, the rounds' min-max. */
    static final int BOOTSTRAP_ROUNDS = 7;
    /** The bootstrap interval's coverage: the 5th to the 95th percentile of resampled medians. */
    static final double INTERVAL = 0.90;
    // end::thresholds[]

    /** What limited a round or a row (see {@link #classify}). */
    static final String SERVER = "server";

    static final String LOAD_GENERATOR = "load-generator";
    static final String CPU_SET = "cpu-set";
    static final String NEITHER = "neither";
    static final String UNKNOWN = "unknown";

    /**
     * One wrk run of the throughput pass, with the server's CPU time and the kernel's TCP counters
     * over the same window.
     *
     * @param serverCpuSeconds utime + stime of the server's processes during the run
     * @param wallSeconds      the window those were read over (around wrk, as the harness saw it)
     * @param serverCpus       CPUs in the server's CPU set
     * @param net              {@link NetCounters} deltas over the window
     * @param quota            the server's CPU quota in CPUs ({@link CpuBudget}); NaN when it ran without one
     * @param throttling       its control group's periods over the window, and how many ended in throttling; null
     * without a quota
     * @param steal            the share of the CPUs' time (servers' and wrk's) the hypervisor took over the window; NaN
     * when unread
     */
    record Run(
            String scenario,
            int idle,
            String server,
            int round,
            WrkResult wrk,
            int idleAlive,
            double serverCpuSeconds,
            double wallSeconds,
            int serverCpus,
            Map<String, Long> net,
            double quota,
            CpuBudget.Throttling throttling,
            double steal) {

        /** A run without a CPU budget or steal reading (tests, and machines where no cgroup can be made). */
        Run(
                String scenario,
                int idle,
                String server,
                int round,
                WrkResult wrk,
                int idleAlive,
                double serverCpuSeconds,
                double wallSeconds,
                int serverCpus,
                Map<String, Long> net) {
            this(
                    scenario,
                    idle,
                    server,
                    round,
                    wrk,
                    idleAlive,
                    serverCpuSeconds,
                    wallSeconds,
                    serverCpus,
                    net,
                    Double.NaN,
                    null,
                    Double.NaN);
        }

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

        boolean quotaApplied() {
            return !Double.isNaN(quota);
        }

        /** The share of the quota's periods in which the server ran out of its quota; NaN without one. */
        double throttled() {
            return throttling == null ? Double.NaN : throttling.share();
        }
    }

    /** One system call's line in strace -c's table: calls, failed calls, and seconds spent in it. */
    record Syscall(long calls, long errors, double seconds) {
        double usecsPerCall() {
            return calls == 0 ? Double.NaN : seconds * 1e6 / calls;
        }
    }

    /** One round of the system-call pass: strace -f -c over a wrk run on {@code connections} connections. */
    record Cost(
            String scenario,
            int idle,
            String server,
            int round,
            int connections,
            long requests,
            Map<String, Syscall> syscalls) {
        double syscallsPerRequest() {
            return requests == 0
                    ? Double.NaN
                    : syscalls.values().stream().mapToLong(Syscall::calls).sum() / (double) requests;
        }
    }

    /** Memory of a server holding {@code idle} idle connections, measured before a round's wrk run. */
    record Memory(String server, int idle, int round, long rssKib, long heapUsedKib) {}

    /**
     * Heap bytes a JVM server allocated over one round's wrk run (its threads' allocation counters), and the requests
     * it answered.
     */
    record Allocation(String scenario, String server, int round, long requests, long bytes) {
        double perRequest() {
            return requests == 0 ? Double.NaN : bytes / (double) requests;
        }
    }

    /** One warm-up run: the throughput the JIT had reached. */
    record WarmUp(String scenario, int idle, String server, int run, double seconds, double requestsPerSecond) {}

    /**
     * One run of the latency pass: the server without its quota, wrk pacing every connection so
     * that each server is offered the same requests per second ({@code offered}).
     */
    record LatencyRun(String scenario, String server, int round, double offered, WrkResult wrk, double utilization) {}

    /** A median with its spread over the rounds it came from (NaN readings left out). */
    record Spread(double median, double min, double max, int n) {
        static Spread of(List<Double> values) {
            List<Double> v = values.stream()
                    .filter(x -> x != null && !Double.isNaN(x))
                    .sorted()
                    .toList();
            if (v.isEmpty()) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            return new Spread(Results.median(v), v.getFirst(), v.getLast(), v.size());
        }
    }

    // tag::interval[]
    /**
     * A ratio between two servers: the median of its per-round values (each round's pair ran back
     * to back, so the machine's drift cancels) and an interval around it: with fewer than
     * {@link #BOOTSTRAP_ROUNDS} rounds the smallest and largest per-round value, from that many on a
     * bootstrap {@link #INTERVAL} interval (the rounds resampled with replacement, the median of
     * each resample, the 5th and 95th percentiles of those medians).
     *
     * @param rounds the paired rounds it came from
     * @param method {@code min-max} or {@code bootstrap-90}; empty when there is no ratio
     */
    record Ratio(double median, double lo, double hi, int rounds, String method) {
        static final Ratio NONE = new Ratio(Double.NaN, Double.NaN, Double.NaN, 0, "");

        static Ratio of(List<Double> perRound) {
            List<Double> v = perRound.stream()
                    .filter(x -> x != null && !Double.isNaN(x) && !Double.isInfinite(x))
                    .sorted()
                    .toList();
            if (v.isEmpty()) {
                return NONE;
            }
            if (v.size() < BOOTSTRAP_ROUNDS) {
                return new Ratio(Results.median(v), v.getFirst(), v.getLast(), v.size(), "min-max");
            }
            // A fixed seed: the same rounds give the same interval on every machine and every build.
            java.util.Random random = new java.util.Random(v.size() * 31L + Double.doubleToLongBits(Results.median(v)));
            int resamples = 10_000;
            double[] medians = new double[resamples];
            List<Double> sample = new ArrayList<>(v.size());
            for (int b = 0; b < resamples; b++) {
                sample.clear();
                for (int i = 0; i < v.size(); i++) {
                    sample.add(v.get(random.nextInt(v.size())));
                }
                medians[b] = Results.median(sample);
            }
            java.util.Arrays.sort(medians);
            double tail = (1 - INTERVAL) / 2;
            return new Ratio(
                    Results.median(v),
                    medians[(int) Math.floor(tail * (resamples - 1))],
                    medians[(int) Math.ceil((1 - tail) * (resamples - 1))],
                    v.size(),
                    "bootstrap-" + Math.round(INTERVAL * 100));
        }

        /**
         * The quotient of two ratios measured in different rounds (c10k: a server's ratio to nginx
         * with N idle connections over its ratio with none): the quotient of the medians, and a
         * bootstrap 90% interval that resamples both sets of rounds apart, at any number of rounds
         * (their rounds are not pairs, so there is no per-round quotient whose min-max to take).
         */
        static Ratio quotient(List<Double> top, List<Double> bottom) {
            Ratio t = of(top);
            Ratio b = of(bottom);
            if (t.rounds() == 0 || b.rounds() == 0) {
                return NONE;
            }
            java.util.Random random = new java.util.Random(t.rounds() * 31L + b.rounds());
            int resamples = 10_000;
            double[] q = new double[resamples];
            for (int i = 0; i < resamples; i++) {
                q[i] = Results.median(resample(top, random)) / Results.median(resample(bottom, random));
            }
            java.util.Arrays.sort(q);
            double tail = (1 - INTERVAL) / 2;
            return new Ratio(
                    t.median() / b.median(),
                    q[(int) Math.floor(tail * (resamples - 1))],
                    q[(int) Math.ceil((1 - tail) * (resamples - 1))],
                    Math.min(t.rounds(), b.rounds()),
                    "bootstrap-" + Math.round(INTERVAL * 100));
        }

        private static List<Double> resample(List<Double> v, java.util.Random random) {
            List<Double> s = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                s.add(v.get(random.nextInt(v.size())));
            }
            return s;
        }
    }
    // end::interval[]

    /**
     * The median, spread and ratios of one server in one scenario (and idle count).
     *
     * @param nginx, floor       this server's throughput over nginx's and the floor's, over the rounds both were at
     * their limit
     * @param cpuNginx, cpuFloor nginx's (the floor's) CPU time per request over this server's, over the same rounds
     * @param bound              what limited most of its rounds: server, load-generator, cpu-set, neither, or unknown
     * @param serverBoundRounds  rounds in which the server was the limit
     * @param quota              its CPU quota in CPUs; NaN without one
     * @param throttled          the share of its quota's periods in which it was throttled, over the rounds
     * @param steal              the hypervisor's share of the CPUs' time, over the rounds
     * @param stealFlagged       rounds with more steal than {@link #STEAL_FLAGGED}
     * @param unranked           why this row must not be ranked against others; empty when it may be
     * @param ratioNote          what to know about the ratios (a peer without enough rounds at its limit)
     * @param net                TCP counter deltas summed over the rounds
     */
    record Summary(
            String scenario,
            int idle,
            String server,
            int rounds,
            double median,
            double min,
            double max,
            Ratio nginx,
            Ratio floor,
            Ratio cpuNginx,
            Ratio cpuFloor,
            long p50,
            long p99,
            long errors,
            Spread cpuMicrosPerRequest,
            Spread utilization,
            int serverCpus,
            double wrkUtilization,
            String bound,
            int serverBoundRounds,
            double quota,
            Spread throttled,
            Spread steal,
            int stealFlagged,
            int warmupRuns,
            boolean steady,
            String unranked,
            String ratioNote,
            Map<String, Long> net) {
        boolean ranked() {
            return unranked.isEmpty();
        }

        double vsNginx() {
            return nginx.median();
        }

        double vsFloor() {
            return floor.median();
        }

        /** Whether the latencies of its rounds include waits for the quota's next period. */
        boolean latencyThrottled() {
            return !Double.isNaN(quota) && throttled.n() > 0 && throttled.max() > 0;
        }
    }

    final List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    final List<Cost> costs = Collections.synchronizedList(new ArrayList<>());
    final List<Memory> memory = Collections.synchronizedList(new ArrayList<>());
    final List<WarmUp> warmups = Collections.synchronizedList(new ArrayList<>());
    final List<Allocation> allocations = Collections.synchronizedList(new ArrayList<>());
    final List<LatencyRun> latencies = Collections.synchronizedList(new ArrayList<>());
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
            return String.format(
                    Locale.ROOT,
                    "impossible reading: %s used %.2f CPU seconds per second on a CPU set of %d CPU%s"
                            + " (%.2f s of CPU in %.2f s); the CPU accounting or the pinning is wrong, so this run is not charted",
                    what,
                    perSecond,
                    cpus,
                    cpus == 1 ? "" : "s",
                    cpuSeconds,
                    wallSeconds);
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
     * What limited a round, checked in this order:
     * <ol>
     *   <li>{@code load-generator}: wrk kept at least {@link #LOAD_GENERATOR_SATURATED} of its CPUs busy,
     *       so it, not the server, may have set the pace (whatever the server did);</li>
     *   <li>{@code server}: with a quota, the server was throttled in at least
     *       {@link CpuBudget#THROTTLED_MOST} of its periods (it wanted more CPU than its budget);
     *       without one, it kept {@link #SERVER_SATURATED} of its CPUs busy;</li>
     *   <li>{@code cpu-set}: where servers and wrk share CPUs, together they kept {@link #CPU_SET_FULL}
     *       of them busy, so each was taking CPU from the other;</li>
     *   <li>{@code neither}: something else (latency, a timer, a listen backlog, another process).</li>
     * </ol>
     *
     * @param wrkBusy    wrk's CPU seconds per second over the CPUs its threads can use
     * @param quota      whether the server ran under a CPU quota
     * @param throttled  with a quota: the share of its periods that ended throttled
     * @param serverBusy the server's CPU seconds per second over the CPUs it may use
     * @param setBusy    where the two share CPUs: both together over the shared CPUs; NaN when apart
     */
    static String classify(double wrkBusy, boolean quota, double throttled, double serverBusy, double setBusy) {
        if (!Double.isNaN(wrkBusy) && wrkBusy >= LOAD_GENERATOR_SATURATED) {
            return LOAD_GENERATOR;
        }
        if (Double.isNaN(serverBusy) && (!quota || Double.isNaN(throttled))) {
            return UNKNOWN;
        }
        if (quota
                ? !Double.isNaN(throttled) && throttled >= CpuBudget.THROTTLED_MOST
                : serverBusy >= SERVER_SATURATED) {
            return SERVER;
        }
        if (!Double.isNaN(setBusy) && setBusy >= CPU_SET_FULL) {
            return CPU_SET;
        }
        return NEITHER;
    }

    /** What limited one round of the throughput pass. */
    String bound(Run r) {
        double serverBusy = r.serverCpus() <= 0 ? Double.NaN : r.utilization() / r.serverCpus();
        double setBusy = sharedCpuCount == 0 ? Double.NaN : (r.utilization() + r.wrkUtilization()) / sharedCpuCount;
        return classify(r.wrkUtilization() / wrkCpus, r.quotaApplied(), r.throttled(), serverBusy, setBusy);
    }

    /**
     * Whether the warm-up is over: the last two runs each came no more than {@link #STEADY} above
     * the best run before it. A JIT still compiling makes each run faster than any before; the
     * machine's noise makes runs go up and down (here by a third from one run to the next, nginx's
     * too, which has no JIT): so the test is that the throughput has stopped rising, not that two
     * runs agree, which a noisy machine may never grant.
     */
    static boolean steady(List<Double> throughputs) {
        int n = throughputs.size();
        if (n < 3) {
            return false;
        }
        for (int i = n - 2; i < n; i++) {
            double best = throughputs.subList(0, i).stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(0);
            if (best <= 0 || throughputs.get(i) > best * (1 + STEADY)) {
                return false;
            }
        }
        return true;
    }
    // end::checks[]

    /** CPUs wrk's threads can use: its thread count, or fewer if its CPU set is smaller. */
    private double wrkCpus = Wrk.THREADS;
    /** CPUs in the servers' and wrk's sets together when they share any (the multicore preset); 0 when apart. */
    private int sharedCpuCount;

    void wrkCpus(int threads, int cpusInSet) {
        wrkCpus = Math.min(threads, cpusInSet);
    }

    double wrkCpus() {
        return wrkCpus;
    }

    /** The servers and wrk run on these many CPUs in all, some of them shared: a full set is a limit of its own. */
    void sharedCpus(int cpusInUnion) {
        sharedCpuCount = cpusInUnion;
    }

    int sharedCpuCount() {
        return sharedCpuCount;
    }

    /**
     * Whether this is a multicore run, which writes scaling.csv; and the CPUs its servers and wrk shared ("" when
     * apart).
     */
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
        return runs.stream()
                .filter(r -> r.scenario().equals(scenario)
                        && r.idle() == idle
                        && r.server().equals(server))
                .toList();
    }

    /** Row facts before ratios: errors, what limited its rounds, warm-up. */
    private record Facts(
            long errors, String bound, int rounds, int serverBound, int warmupRuns, boolean steady, String unranked) {}

    private Facts facts(String scenario, int idle, String server) {
        List<Run> mine = runsOf(scenario, idle, server);
        long errors = mine.stream().mapToLong(r -> r.wrk().errors()).sum();
        Map<String, Integer> bounds = new LinkedHashMap<>();
        for (String b : List.of(LOAD_GENERATOR, SERVER, CPU_SET, NEITHER, UNKNOWN)) {
            bounds.put(b, 0);
        }
        mine.forEach(r -> bounds.merge(bound(r), 1, Integer::sum));
        // The row's limit is its rounds' most frequent one (ties: wrk first, as in classify).
        String bound = bounds.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .reduce((a, b) -> b.getValue() > a.getValue() ? b : a)
                .map(Map.Entry::getKey)
                .orElse(UNKNOWN);
        int serverBound = bounds.get(SERVER);
        List<Double> warm = warmups.stream()
                .filter(w -> w.scenario().equals(scenario)
                        && w.idle() == idle
                        && w.server().equals(server))
                .map(WarmUp::requestsPerSecond)
                .toList();
        boolean steady = warm.isEmpty() || steady(warm); // no warm-up recorded: nothing to judge (tests, old data)
        List<String> why = new ArrayList<>();
        if (errors > 0) {
            why.add(errors + " errors");
        }
        if (bounds.get(UNKNOWN) == mine.size()) {
            why.add("not server-bound: CPU not read");
        } else if (serverBound * 2 <= mine.size()) {
            List<String> other = new ArrayList<>();
            bounds.forEach((b, n) -> {
                if (n > 0 && !b.equals(SERVER)) {
                    other.add(switch (b) {
                                case LOAD_GENERATOR -> "wrk saturated";
                                case CPU_SET -> "the shared CPU set full";
                                case NEITHER -> "neither server nor wrk saturated";
                                default -> "CPU not read";
                            }
                            + " in " + n);
                }
            });
            why.add("not server-bound in " + (mine.size() - serverBound) + " of " + mine.size() + " rounds ("
                    + String.join("; ", other) + ")");
        }
        if (!steady) {
            why.add("warm-up not steady after " + warm.size() + " runs");
        }
        return new Facts(errors, bound, mine.size(), serverBound, warm.size(), steady, String.join("; ", why));
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
            List<Double> rps =
                    mine.stream().map(r -> r.wrk().requestsPerSecond()).toList();
            List<String> notes = new ArrayList<>();
            Ratio vsNginx = rankedRatio(facts, scenario, idle, server, "nginx", false, notes);
            Ratio vsFloor = rankedRatio(facts, scenario, idle, server, "floor", false, notes);
            Ratio cpuNginx = rankedRatio(facts, scenario, idle, server, "nginx", true, new ArrayList<>());
            Ratio cpuFloor = rankedRatio(facts, scenario, idle, server, "floor", true, new ArrayList<>());
            Map<String, Long> net = new LinkedHashMap<>();
            mine.forEach(r -> r.net().forEach((n, v) -> net.merge(n, v, Long::sum)));
            Spread steal = Spread.of(mine.stream().map(Run::steal).toList());
            int stealFlagged =
                    (int) mine.stream().filter(r -> r.steal() > STEAL_FLAGGED).count();
            if (stealFlagged > 0) {
                notes.add(stealFlagged + " of " + mine.size() + " rounds lost more than "
                        + Math.round(STEAL_FLAGGED * 100) + "% of their CPU time to steal");
            }
            out.add(new Summary(
                    scenario,
                    idle,
                    server,
                    mine.size(),
                    median(rps),
                    rps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    rps.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    vsNginx,
                    vsFloor,
                    cpuNginx,
                    cpuFloor,
                    (long) medianLong(mine.stream().map(r -> r.wrk().p50()).toList()),
                    (long) medianLong(mine.stream().map(r -> r.wrk().p99()).toList()),
                    facts.errors(),
                    Spread.of(mine.stream().map(Run::cpuMicrosPerRequest).toList()),
                    Spread.of(mine.stream().map(Run::utilization).toList()),
                    mine.stream().mapToInt(Run::serverCpus).max().orElse(0),
                    Spread.of(mine.stream().map(Run::wrkUtilization).toList()).median(),
                    facts.bound(),
                    facts.serverBound(),
                    mine.stream()
                            .mapToDouble(Run::quota)
                            .filter(q -> !Double.isNaN(q))
                            .findFirst()
                            .orElse(Double.NaN),
                    Spread.of(mine.stream().map(Run::throttled).toList()),
                    steal,
                    stealFlagged,
                    facts.warmupRuns(),
                    facts.steady(),
                    facts.unranked(),
                    String.join("; ", notes),
                    net));
        }
        return out;
    }

    /**
     * A ratio only where it means something: none for a row that is not ranked, none against a
     * peer with errors or an unsteady warm-up, and only over the rounds in which both servers were
     * at their limit; fewer such rounds than {@link #MIN_PAIRED_ROUNDS} (or than the rounds run,
     * if fewer were) and there is none, with a note saying why.
     *
     * @param cpu false: this server's req/s over the peer's; true: the peer's CPU per request over this server's
     */
    private Ratio rankedRatio(
            Facts mine, String scenario, int idle, String server, String peer, boolean cpu, List<String> notes) {
        if (!mine.unranked().isEmpty() || runsOf(scenario, idle, peer).isEmpty()) {
            return Ratio.NONE;
        }
        if (!server.equals(peer)) {
            Facts p = facts(scenario, idle, peer);
            if (p.errors() > 0 || !p.steady()) {
                notes.add(peer + " not ranked (" + p.unranked() + "): no ratio");
                return Ratio.NONE;
            }
        }
        Ratio r = pairedRatio(scenario, idle, server, peer, cpu);
        int needed = Math.min(MIN_PAIRED_ROUNDS, mine.rounds());
        if (r.rounds() < needed) {
            notes.add("only " + r.rounds() + " rounds in which both it and " + peer + " were at their limit: no vs_"
                    + peer);
            return Ratio.NONE;
        }
        return r;
    }

    // tag::ratio[]
    /**
     * The per-round ratios of two servers over the rounds in which both were at their limit (a
     * round in which either was held back by wrk, or by nothing, would compare the load generator),
     * as a median with its interval ({@link Ratio}).
     */
    Ratio pairedRatio(String scenario, int idle, String server, String peer, boolean cpu) {
        return Ratio.of(pairedRatios(scenario, idle, server, peer, cpu));
    }
    // end::ratio[]

    /** The per-round ratios themselves (see {@link #pairedRatio}). */
    List<Double> pairedRatios(String scenario, int idle, String server, String peer, boolean cpu) {
        List<Double> ratios = new ArrayList<>();
        for (Run r : runsOf(scenario, idle, server)) {
            if (!bound(r).equals(SERVER)) {
                continue;
            }
            runs.stream()
                    .filter(p -> p.scenario().equals(scenario)
                            && p.idle() == idle
                            && p.server().equals(peer)
                            && p.round() == r.round())
                    .filter(p -> bound(p).equals(SERVER))
                    .findFirst()
                    .ifPresent(p -> ratios.add(
                            cpu
                                    ? p.cpuMicrosPerRequest() / r.cpuMicrosPerRequest()
                                    : r.wrk().requestsPerSecond() / p.wrk().requestsPerSecond()));
        }
        return ratios;
    }

    /** The system-call pass's rounds of one server in one scenario. */
    List<Cost> costs(String scenario, String server) {
        return costs.stream()
                .filter(c -> c.scenario().equals(scenario) && c.server().equals(server))
                .toList();
    }

    /** One system call's figures over the strace rounds: per request, and time per call. */
    record SyscallStat(
            String name,
            Spread calls,
            Spread perRequest,
            Spread usecsPerCall,
            Spread usecsPerRequest,
            Spread errorsPerRequest) {}

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
            stats.add(new SyscallStat(
                    name,
                    Spread.of(calls),
                    Spread.of(perRequest),
                    Spread.of(perCall),
                    Spread.of(timePerRequest),
                    Spread.of(errors)));
        }
        stats.sort(
                (a, b) -> Double.compare(b.perRequest().median(), a.perRequest().median()));
        return stats;
    }

    Spread syscallsPerRequest(String scenario, String server) {
        return Spread.of(
                costs(scenario, server).stream().map(Cost::syscallsPerRequest).toList());
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
        StringBuilder t =
                new StringBuilder("scenario,idle,server,round,requests,seconds,req_per_s,non_2xx_3xx,socket_errors,"
                        + "p50_us,p90_us,p99_us,p999_us,idle_still_open,"
                        + "server_cpu_s,wall_s,server_cpus,utilization,wrk_cpu_s,wrk_utilization,cpu_us_per_req,bound,"
                        + "listen_overflows,listen_drops,retrans_segs,syn_retrans,"
                        + "cpu_quota,periods,throttled_periods,throttled,steal,steal_flagged\n");
        for (Run r : runs) {
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
                            bound(r),
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
        for (Summary m : summaries()) {
            boolean traced = m.idle() == maxIdle(m.scenario());
            Spread sys = traced
                    ? syscallsPerRequest(m.scenario(), m.server())
                    : new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            List<Cost> rounds = traced ? costs(m.scenario(), m.server()) : List.of();
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
        costs.forEach(c -> traced.add(c.scenario() + "\t" + c.server()));
        for (String key : traced) {
            String scenario = key.split("\t")[0];
            String server = key.split("\t")[1];
            List<Cost> rounds = costs(scenario, server);
            Spread requests =
                    Spread.of(rounds.stream().map(c -> (double) c.requests()).toList());
            for (SyscallStat st : syscallStats(scenario, server)) {
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

        Files.writeString(dir.resolve("c10k.csv"), c10kCsv());
        Files.writeString(dir.resolve("ratios.csv"), ratiosCsv());

        Files.writeString(dir.resolve("memory.csv"), memoryCsv());

        if (!latencies.isEmpty()) {
            Files.writeString(dir.resolve("latency.csv"), latencyCsv());
            Files.writeString(dir.resolve("latency-summary.csv"), latencySummaryCsv());
        }

        if (!allocations.isEmpty()) {
            Files.writeString(dir.resolve("allocation.csv"), allocationCsv());
        }

        if (scaling) {
            Files.writeString(dir.resolve("scaling.csv"), Scaling.csv(scalingRows()));
        }

        StringBuilder wu = new StringBuilder("scenario,idle,server,run,seconds,req_per_s,change_vs_previous,steady\n");
        for (WarmUp w : warmups) {
            List<Double> upTo = warmups.stream()
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
                            steady(upTo) ? "yes" : "no"))
                    .append('\n');
        }
        Files.writeString(dir.resolve("warmup.csv"), wu);

        if (!slowloris.isEmpty()) {
            Files.writeString(dir.resolve("slowloris.csv"), Slowloris.csv(slowloris));
            Files.writeString(dir.resolve("slowloris-summary.csv"), Slowloris.summaryCsv(slowloris));
        }

        StringBuilder f = new StringBuilder("what,reason\n");
        failures.forEach((k, v) -> f.append(k)
                .append(",\"")
                .append(v.replace("\"", "'").replace("\n", " "))
                .append("\"\n"));
        Files.writeString(dir.resolve("failures.csv"), f);
    }

    /** A ratio with its interval, as printed: 1.62 (1.55-1.70). */
    static String interval(Ratio r) {
        return Double.isNaN(r.median()) ? "" : fmt(r.median(), 2) + " (" + fmt(r.lo(), 2) + "-" + fmt(r.hi(), 2) + ")";
    }

    /** A CPU quota as a column: the CPUs per period, or "none". */
    private static String quota(double cpus) {
        return Double.isNaN(cpus) ? "none" : fmt(cpus, 2);
    }

    // tag::c10k[]
    /**
     * The c10k curve. Each idle count is a pass of its own, minutes apart, so a server's fraction of
     * its own idle-0 throughput carries the machine's drift between passes (a reading above 1 is
     * drift). The same-round ratio to nginx does not: {@code kept_vs_nginx} is the server's ratio to
     * nginx with N idle connections over its ratio with none, that is what it kept of its
     * throughput relative to what nginx kept. Its interval is a bootstrap over both sets of rounds
     * ({@link Ratio#quotient}), at any number of rounds: the two passes' rounds are not pairs.
     */
    private String c10kCsv() {
        StringBuilder curve =
                new StringBuilder("server,idle,median_req_s,fraction_of_no_idle,vs_nginx,vs_nginx_lo,vs_nginx_hi,"
                        + "kept_vs_nginx,kept_vs_nginx_lo,kept_vs_nginx_hi\n");
        List<Summary> all =
                summaries().stream().filter(m -> m.scenario().equals("c10k")).toList();
        for (Summary m : all) {
            Summary base = all.stream()
                    .filter(b -> b.idle() == 0 && b.server().equals(m.server()))
                    .findFirst()
                    .orElse(null);
            double fraction = base == null ? Double.NaN : m.median() / base.median();
            Ratio now = m.server().equals("nginx") ? pairedRatio("c10k", m.idle(), "nginx", "nginx", false) : m.nginx();
            Ratio then = base == null
                    ? Ratio.NONE
                    : base.server().equals("nginx") ? pairedRatio("c10k", 0, "nginx", "nginx", false) : base.nginx();
            Ratio kept = m.ranked() && base != null && base.ranked()
                    ? Ratio.quotient(
                            pairedRatios("c10k", m.idle(), m.server(), "nginx", false),
                            pairedRatios("c10k", 0, m.server(), "nginx", false))
                    : Ratio.NONE;
            curve.append(String.join(
                            ",",
                            m.server(),
                            String.valueOf(m.idle()),
                            fmt(m.median(), 0),
                            fmt(fraction, 3),
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
    // end::c10k[]

    /**
     * ratios.csv: every ranked server against every other ranked server of the same scenario and
     * idle count, as {@link #pairedRatio}: the book's comparisons between stages (stage 04 over
     * stage 03, a variant over its stage) come from here, made the same way as vs_nginx.
     */
    private String ratiosCsv() {
        StringBuilder b = new StringBuilder(
                "scenario,idle,server,peer,rounds,interval,vs,vs_lo,vs_hi,cpu_vs,cpu_vs_lo,cpu_vs_hi\n");
        List<Summary> all = summaries();
        for (Summary m : all) {
            for (Summary p : all) {
                if (!m.ranked()
                        || !p.ranked()
                        || m.server().equals(p.server())
                        || !m.scenario().equals(p.scenario())
                        || m.idle() != p.idle()) {
                    continue;
                }
                Ratio vs = pairedRatio(m.scenario(), m.idle(), m.server(), p.server(), false);
                Ratio cpu = pairedRatio(m.scenario(), m.idle(), m.server(), p.server(), true);
                if (vs.rounds() < Math.min(MIN_PAIRED_ROUNDS, m.rounds())) {
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

    /** latency.csv: one row per run of the latency pass. */
    private String latencyCsv() {
        StringBuilder b = new StringBuilder(
                "scenario,server,round,offered_req_s,req_per_s,p50_us,p90_us,p99_us,p999_us,errors,utilization\n");
        for (LatencyRun l : latencies) {
            WrkResult w = l.wrk();
            b.append(String.join(
                            ",",
                            l.scenario(),
                            l.server(),
                            String.valueOf(l.round()),
                            fmt(l.offered(), 0),
                            fmt(w.requestsPerSecond(), 0),
                            String.valueOf(w.p50()),
                            String.valueOf(w.p90()),
                            String.valueOf(w.p99()),
                            String.valueOf(w.p999()),
                            String.valueOf(w.errors()),
                            fmt(l.utilization(), 3)))
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * A server that answered less than this share of what the most responsive server answered in
     * the same pass fell behind the offered load: its latencies are a queue's. (Not of the nominal
     * rate: wrk's pacing itself delivers a few percent less, the first wait and the last cut short.)
     */
    static final double KEPT_UP = 0.95;

    /** latency-summary.csv: per server, the medians over the latency pass's rounds, with their spread. */
    private String latencySummaryCsv() {
        StringBuilder b = new StringBuilder(
                "scenario,server,rounds,offered_req_s,median_req_s,kept_up,p50_us,p50_min_us,p50_max_us,"
                        + "p99_us,p99_min_us,p99_max_us,p999_us,errors,utilization\n");
        Set<String> keys = new LinkedHashSet<>();
        latencies.forEach(l -> keys.add(l.scenario() + "\t" + l.server()));
        for (String key : keys) {
            List<LatencyRun> mine = latencies.stream()
                    .filter(l -> key.equals(l.scenario() + "\t" + l.server()))
                    .toList();
            Spread rps = Spread.of(
                    mine.stream().map(l -> l.wrk().requestsPerSecond()).toList());
            Spread p50 =
                    Spread.of(mine.stream().map(l -> (double) l.wrk().p50()).toList());
            Spread p99 =
                    Spread.of(mine.stream().map(l -> (double) l.wrk().p99()).toList());
            Spread p999 =
                    Spread.of(mine.stream().map(l -> (double) l.wrk().p999()).toList());
            double offered = mine.getFirst().offered();
            double best = latencies.stream()
                    .filter(l -> l.scenario().equals(mine.getFirst().scenario()))
                    .mapToDouble(l -> l.wrk().requestsPerSecond())
                    .max()
                    .orElse(0);
            boolean keptUp = rps.median() >= KEPT_UP * best;
            b.append(String.join(
                            ",",
                            mine.getFirst().scenario(),
                            mine.getFirst().server(),
                            String.valueOf(mine.size()),
                            fmt(offered, 0),
                            fmt(rps.median(), 0),
                            keptUp ? "yes" : "no",
                            fmt(p50.median(), 0),
                            fmt(p50.min(), 0),
                            fmt(p50.max(), 0),
                            fmt(p99.median(), 0),
                            fmt(p99.min(), 0),
                            fmt(p99.max(), 0),
                            fmt(p999.median(), 0),
                            String.valueOf(mine.stream()
                                    .mapToLong(l -> l.wrk().errors())
                                    .sum()),
                            fmt(
                                    Spread.of(mine.stream()
                                                    .map(LatencyRun::utilization)
                                                    .toList())
                                            .median(),
                                    3)))
                    .append('\n');
        }
        return b.toString();
    }

    private String memoryCsv() {
        StringBuilder mem = new StringBuilder(
                "server,idle,rss_kib,heap_used_kib,rss_bytes_per_idle_connection,heap_bytes_per_idle_connection,"
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
            mem.append(String.join(
                            ",",
                            server,
                            String.valueOf(idle),
                            fmt(rss.median(), 0),
                            fmt(heap.median(), 0),
                            per ? fmt((rss.median() - rssNone.median()) * 1024.0 / idle, 0) : "",
                            per && heap.n() > 0 && heapNone.n() > 0
                                    ? fmt((heap.median() - heapNone.median()) * 1024.0 / idle, 0)
                                    : "",
                            String.valueOf(rss.n()),
                            fmt(rss.min(), 0),
                            fmt(rss.max(), 0),
                            fmt(heap.min(), 0),
                            fmt(heap.max(), 0)))
                    .append('\n');
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
            b.append(String.join(
                            ",",
                            scenario,
                            server,
                            fmt(s.median(), 1),
                            String.valueOf(s.n()),
                            fmt(s.min(), 1),
                            fmt(s.max(), 1)))
                    .append('\n');
        }
        return b.toString();
    }

    Spread allocationSpread(String scenario, String server) {
        return Spread.of(allocations.stream()
                .filter(a -> a.scenario().equals(scenario) && a.server().equals(server))
                .map(Allocation::perRequest)
                .toList());
    }

    Spread memorySpread(String server, int idle, boolean heap) {
        return Spread.of(memory.stream()
                .filter(m -> m.server().equals(server) && m.idle() == idle)
                .map(m -> heap ? (m.heapUsedKib() < 0 ? Double.NaN : (double) m.heapUsedKib()) : (double) m.rssKib())
                .toList());
    }

    int maxIdle(String scenario) {
        return runs.stream()
                .filter(r -> r.scenario().equals(scenario))
                .mapToInt(Run::idle)
                .max()
                .orElse(0);
    }

    /** The table printed at the end of a journey. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-10s %6s %-26s %10s %13s %6s %5s %-14s %16s %16s %7s %9s %9s %7s%n",
                "scenario",
                "idle",
                "server",
                "median/s",
                "min-max",
                "util",
                "thr",
                "bound",
                "vs nginx",
                "vs floor",
                "errors",
                "cpu us/r",
                "sys/r",
                "syn rtx"));
        List<String> reasons = new ArrayList<>();
        for (Summary m : summaries()) {
            boolean traced = m.idle() == maxIdle(m.scenario());
            Spread sys = traced
                    ? syscallsPerRequest(m.scenario(), m.server())
                    : new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            Long synRetrans = m.net().get("TcpExtTCPSynRetrans");
            b.append(String.format(
                    Locale.ROOT,
                    "%-10s %6d %-26s %10s %13s %6s %5s %-14s %16s %16s %7d %9s %9s %7s%n",
                    m.scenario(),
                    m.idle(),
                    m.server() + (m.ranked() ? "" : " *"),
                    fmt(m.median(), 0),
                    fmt(m.min(), 0) + "-" + fmt(m.max(), 0),
                    fmt(m.utilization().median(), 2),
                    fmt(m.throttled().median(), 2),
                    m.bound() + " " + m.serverBoundRounds() + "/" + m.rounds(),
                    m.ranked() ? interval(m.nginx()) : "-",
                    m.ranked() ? interval(m.floor()) : "-",
                    m.errors(),
                    fmt(m.cpuMicrosPerRequest().median(), 1),
                    fmt(sys.median(), 2),
                    synRetrans == null ? "" : synRetrans));
            if (!m.ranked()) {
                reasons.add(m.scenario() + (m.idle() > 0 ? " idle=" + m.idle() : "") + " " + m.server() + ": "
                        + m.unranked());
            }
            if (m.ranked() && !m.ratioNote().isEmpty()) {
                reasons.add(m.scenario() + (m.idle() > 0 ? " idle=" + m.idle() : "") + " " + m.server() + ": "
                        + m.ratioNote());
            }
        }
        double quota = runs.stream()
                .mapToDouble(Run::quota)
                .filter(q -> !Double.isNaN(q))
                .findFirst()
                .orElse(Double.NaN);
        b.append(
                "util: server CPU seconds per second (1.00 = one CPU busy); thr: share of its quota's periods it was throttled in.\n"
                        + (Double.isNaN(quota)
                                ? "No CPU quota: a server is at its limit when it keeps "
                                        + Math.round(SERVER_SATURATED * 100) + "% of its CPUs busy.\n"
                                : "CPU quota: " + fmt(quota, 2) + " CPU per server (" + CpuBudget.PERIOD_MICROS / 1000
                                        + " ms periods); a server is" + " at its limit when throttled in "
                                        + Math.round(CpuBudget.THROTTLED_MOST * 100) + "% of its periods or more.\n")
                        + "bound: what limited most rounds, checked in order: wrk (>= "
                        + Math.round(LOAD_GENERATOR_SATURATED * 100)
                        + "% busy), the server, the shared CPU set, neither; N/M: rounds at the server's limit.\n"
                        + "syn rtx: SYN retransmits over all rounds (a full listen queue; each costs the client 1 s, then 2 s more).\n");
        b.append(
                "Ratios (median of per-round ratios over the rounds where both servers were at their limit, and its interval:\n"
                        + "min-max below " + BOOTSTRAP_ROUNDS + " rounds, a bootstrap " + Math.round(INTERVAL * 100)
                        + "% interval from "
                        + BOOTSTRAP_ROUNDS + " on) are printed only for ranked rows:\n"
                        + "no errors, the server the limit in most rounds, and its warm-up steady (two runs in a row each no more than "
                        + Math.round(STEADY * 100) + "% above the best before it).\n");
        Set<String> straced = new TreeSet<>();
        costs.forEach(c -> straced.add(c.scenario() + " on " + c.connections() + " connection"
                + (c.connections() == 1 ? "" : "s") + (c.idle() > 0 ? " beside " + c.idle() + " idle" : "")));
        if (!straced.isEmpty()) {
            b.append(
                    "sys/r: system calls per request under strace, on fewer connections than the throughput runs where\n"
                            + "noted (a traced server answers a few thousand requests): " + String.join(", ", straced)
                            + ".\n");
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
            failures.forEach((k, v) -> b.append("  ")
                    .append(k)
                    .append(": ")
                    .append(v.lines().findFirst().orElse(""))
                    .append('\n'));
        }
        return b.toString();
    }
}
