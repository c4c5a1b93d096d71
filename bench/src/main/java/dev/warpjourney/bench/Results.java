package dev.warpjourney.bench;

import java.io.IOException;
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
 * Everything a journey measured, and what follows from it: which rounds and rows may be ranked, and the ratios with
 * their intervals. Measurements go in through {@code add}, judgments come out through queries; the files are written
 * by {@link ResultFiles} and {@link DescriptiveFiles}, the printed table by {@link ResultsTable}. Every file and
 * column is described in bench/RESULTS.adoc; new columns go at the end of a file, so that readers that look columns
 * up by name keep working.
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

    /** The reference peers every row is compared with (vs_nginx, vs_floor). */
    static final String NGINX = Peer.NGINX.label();

    static final String FLOOR = Peer.FLOOR.label();

    // What was measured, in the order it was: read through the queries below, never changed but through add.
    private final List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    private final List<Cost> costs = Collections.synchronizedList(new ArrayList<>());
    private final List<Memory> memory = Collections.synchronizedList(new ArrayList<>());
    private final List<WarmUp> warmups = Collections.synchronizedList(new ArrayList<>());
    private final List<Allocation> allocations = Collections.synchronizedList(new ArrayList<>());
    private final List<LatencyRun> latencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Slowloris.Result> slowloris = Collections.synchronizedList(new ArrayList<>());
    /** What failed ("warp/nginx/start"), and why. */
    private final Map<String, String> failures = new LinkedHashMap<>();

    /** One round of the system-call pass. */
    void add(Cost cost) {
        costs.add(cost);
    }

    /** One memory reading. */
    void add(Memory reading) {
        memory.add(reading);
    }

    /** One warm-up run. */
    void add(WarmUp run) {
        warmups.add(run);
    }

    /** One round's heap allocation. */
    void add(Allocation allocation) {
        allocations.add(allocation);
    }

    /** One run of the latency pass. */
    void add(LatencyRun run) {
        latencies.add(run);
    }

    /** One round of the slowloris pass. */
    void add(Slowloris.Result round) {
        slowloris.add(round);
    }

    /** Records that something failed ("warp/nginx/start"): its row is then left out of the rounds that follow. */
    void fail(String what, String message) {
        failures.put(what, message);
    }

    boolean failed(String what) {
        return failures.containsKey(what);
    }

    /** What failed, and why, in the order it did. */
    Map<String, String> failures() {
        return Collections.unmodifiableMap(failures);
    }

    /** The throughput rounds, in the order they ran. */
    List<Run> runs() {
        return Collections.unmodifiableList(runs);
    }

    /** Every round of the system-call pass, in the order they ran. */
    List<Cost> costs() {
        return Collections.unmodifiableList(costs);
    }

    List<Memory> memory() {
        return Collections.unmodifiableList(memory);
    }

    List<WarmUp> warmups() {
        return Collections.unmodifiableList(warmups);
    }

    List<Allocation> allocations() {
        return Collections.unmodifiableList(allocations);
    }

    List<LatencyRun> latencies() {
        return Collections.unmodifiableList(latencies);
    }

    List<Slowloris.Result> slowloris() {
        return Collections.unmodifiableList(slowloris);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double medianLong(List<Long> values) {
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

    boolean scaling() {
        return scaling;
    }

    String scalingSharedCpus() {
        return sharedCpus;
    }

    private String sharedCpus = "";

    void scaling(String sharedCpus) {
        this.scaling = true;
        this.sharedCpus = sharedCpus;
    }

    /** The rows of scaling.csv; empty unless this is a multicore run. */
    List<Scaling.Row> scalingRows() {
        return scaling ? Scaling.rows(this, sharedCpus) : List.of();
    }

    /** The rounds of one server in one scenario at one idle count, in order. */
    List<Run> runsOf(String scenario, int idle, String server) {
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
            Ratio vsNginx = rankedRatio(facts, scenario, idle, server, NGINX, false, notes);
            Ratio vsFloor = rankedRatio(facts, scenario, idle, server, FLOOR, false, notes);
            Ratio cpuNginx = rankedRatio(facts, scenario, idle, server, NGINX, true, new ArrayList<>());
            Ratio cpuFloor = rankedRatio(facts, scenario, idle, server, FLOOR, true, new ArrayList<>());
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

    /** A ratio with its interval, as printed: 1.62 (1.55-1.70). */
    static String interval(Ratio r) {
        return Double.isNaN(r.median()) ? "" : fmt(r.median(), 2) + " (" + fmt(r.lo(), 2) + "-" + fmt(r.hi(), 2) + ")";
    }

    /** A CPU quota as a column: the CPUs per period, or "none". */
    static String quota(double cpus) {
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
     *
     * @param row              the server's row at this idle count
     * @param fractionOfNoIdle its median over its own median with no idle connections
     * @param vsNginx          its ratio to nginx at this idle count (nginx's own row: nginx to itself)
     * @param keptVsNginx      its ratio to nginx here over its ratio with none; none unless both rows are ranked
     */
    record C10kPoint(Summary row, double fractionOfNoIdle, Ratio vsNginx, Ratio keptVsNginx) {}

    /** The points of the c10k curve (c10k.csv), one per server and idle count. */
    List<C10kPoint> c10kCurve() {
        List<C10kPoint> curve = new ArrayList<>();
        List<Summary> all = summaries().stream()
                .filter(m -> Scenario.of(m.scenario()).idleCurve())
                .toList();
        for (Summary m : all) {
            Summary base = all.stream()
                    .filter(b -> b.idle() == 0 && b.server().equals(m.server()))
                    .findFirst()
                    .orElse(null);
            double fraction = base == null ? Double.NaN : m.median() / base.median();
            Ratio now = m.server().equals(NGINX) ? pairedRatio(m.scenario(), m.idle(), NGINX, NGINX, false) : m.nginx();
            Ratio kept = m.ranked() && base != null && base.ranked()
                    ? Ratio.quotient(
                            pairedRatios(m.scenario(), m.idle(), m.server(), NGINX, false),
                            pairedRatios(m.scenario(), 0, m.server(), NGINX, false))
                    : Ratio.NONE;
            curve.add(new C10kPoint(m, fraction, now, kept));
        }
        return curve;
    }
    // end::c10k[]

    /**
     * A server that answered less than this share of what the most responsive server answered in
     * the same pass fell behind the offered load: its latencies are a queue's. (Not of the nominal
     * rate: wrk's pacing itself delivers a few percent less, the first wait and the last cut short.)
     */
    static final double KEPT_UP = 0.95;

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

    /** Writes every result file into {@code dir} (see {@link ResultFiles}). */
    void write(Path dir) throws IOException {
        ResultFiles.write(this, dir);
    }

    /** The table printed at the end of a journey (see {@link ResultsTable}). */
    String table() {
        return ResultsTable.of(this);
    }
}
