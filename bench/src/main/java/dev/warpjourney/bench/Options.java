package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The journey's command-line options.
 *
 * @param wrkThreads   wrk's -t: 1 by default (wrk can then use one CPU at most, see Results.bound); one per wrk CPU in
 * the multicore preset
 * @param costServers  the servers the cost pass (strace, flame graphs) covers: all of them, but in the multicore preset
 * only two
 * @param flameGraphs  whether the cost pass profiles the JVM servers
 * @param multicore    the multicore preset: scaling.csv and its chart are written
 * @param loopsList    the multicore preset's loop counts (empty otherwise)
 * @param serverQuota  every server's CPU budget, a fraction of each of its CPUs (0.5: half a core per server CPU);
 *                     NaN for none (--server-quota none; the multicore preset, whose servers share CPUs with wrk)
 * @param latencyRate  requests per second wrk offers every server in the latency pass (warp, quota lifted); 0: no pass
 */
record Options(
        List<String> servers,
        List<String> scenarios,
        int rounds,
        Duration duration,
        Duration warmup,
        String serverCpus,
        String wrkCpus,
        List<Integer> idleCounts,
        boolean costs,
        String wrkMode,
        Path out,
        Path repoRoot,
        boolean quick,
        int warmupRuns,
        int straceRounds,
        int slowConnections,
        Duration slowlorisHold,
        int wrkThreads,
        List<String> costServers,
        boolean flameGraphs,
        boolean multicore,
        List<Integer> loopsList,
        double serverQuota,
        int latencyRate) {

    /**
     * The scenarios a journey runs by default. NAME@F is NAME for the newest stages (on NIO and below it), nginx and
     * the floors only, every server held to F of a core (Scenario.headline): warp@0.3 is the headline comparison at
     * a tighter budget; close@0.3 and large@0.2 are close and large at a budget low enough that the
     * servers, not wrk, are the limit (at half a core wrk is, where every request is a new connection
     * or a megabyte to read).
     */
    static final List<String> ALL_SCENARIOS =
            List.of("warp", "warp@0.3", "c10k", "close", "close@0.3", "large", "large@0.2", "manyfiles", "slowloris");
    /** Scenarios a journey runs only when asked for (--scenarios): pipeline, requests 16 to a write. */
    static final List<String> MORE_SCENARIOS = List.of("pipeline");
    /** The CPU budget by default: half of each server CPU, so that the server, not wrk on its own CPU, is the limit. */
    static final double DEFAULT_QUOTA = 0.5;
    /** The latency pass's offered load by default: well below every stage's throughput at its quota. */
    static final int DEFAULT_LATENCY_RATE = 5_000;

    static final List<String> PEERS = Peer.NAMES;

    static final String USAGE = """
            usage: ./journey [options]
              --servers a,b,...     servers to measure (default: every stage found, then %s);
                                    a variant follows an @: stage-02-epoll@poll (on poll(2)), nginx@N (N
                                    workers; plain nginx: one per server CPU), and from stage 03 on
                                    stage-03-multicore@loops-N, @handoff-N, @shared-N, @vthreads-N (one JVM,
                                    N loops of that design) and @prefork-N (N JVMs of one loop on one port),
                                    and from stage 05 on @mapped (small files mapped, not read into memory),
                                    and each idea switched off, in warp only: @sendfile (no single write),
                                    @date-per-request, @heads-per-request; from stage 06 on each of the
                                    JDK's costs put back, in close: @jdk-accept, @jdk-nodelay, @jdk-close,
                                    and in large: @jdk-transfer-to, @no-msg-more
              --scenarios a,b,...   scenarios (default: %s; also pipeline: 16 requests per write);
                                    NAME@F runs NAME with every server held to F of a core, for the
                                    newest stage on NIO, the newest below it (stage 06 on),
                                    nginx and the floors only (warp@0.3)
              --server-quota F|none every server's CPU budget: a cgroup quota of F of each server CPU per
                                    10 ms period (default 0.5; none with --multicore), so that the server,
                                    not wrk, is the limit; none: no budget (the server may use its CPUs
                                    whole). Needs root or a delegated cgroup; without one the run says so
                                    and measures without (cpu_quota "none" in every row)
              --latency-rate N      the latency pass: warp again without the quota, wrk offering every
                                    server the same N requests per second (default 5000; 0: no pass)
              --rounds N            A B A B rounds per scenario (default 5)
              --duration S          seconds per measured run (default 10)
              --warmup S            seconds per warm-up run (default 5); warm-up runs repeat until the
                                    throughput stops rising (two runs in a row each no more than 5%%
                                    above the best before it), or the cap is reached
              --warmup-runs N       cap on warm-up runs per server and scenario (default 6); a server
                                    that does not settle is not ranked (no ratios)
              --strace-rounds N     rounds of the system-call pass (default 3, at most --rounds)
              --slow N              slow connections in the slowloris scenario (default 1000)
              --slowloris-hold S    seconds they trickle while the probe runs (default 15)
              --server-cpus LIST    CPUs for the servers, taskset syntax (default 1)
              --wrk-cpus LIST       CPUs for wrk and the idle-connection holder (default 0)
              --wrk-threads N       wrk's threads (default 1; with --multicore one per wrk CPU)
              --idle N,N,...        idle connections for the c10k curve (default 0,1000,5000,10000)
              --no-costs            skip the system-call (strace) and flame-graph passes (CPU, memory
                                    and TCP counters are read in every round regardless)
              --wrk=local|docker    wrk from PATH (default), or in a container via Testcontainers
              --out DIR             where results go (default target/journey)
              --quick               1 round, 2 s runs, 2 s warm-up runs (up to 6), 100 idle connections,
                                    200 slow connections held 12 s; ratios only for servers that settled
              --multicore           the multicore run, side by side: stage 03's designs (loops, handoff,
                                    shared, vthreads, prefork) at 1 and N loops, nginx@1 and nginx@N, and
                                    stage-02-epoll (the one-loop reference); scenario warp; servers AND wrk
                                    on every CPU the journey may run on (N of them; --server-cpus and
                                    --wrk-cpus override, and scaling.csv notes the CPUs they shared); strace
                                    only for @shared-N and @loops-N, no flame graphs; --out
                                    target/journey-multicore; writes scaling.csv and scaling-warp.svg
              --loops-list N,N,...  with --multicore: the loop counts (default 1,N; 1 is always added,
                                    gains are relative to it), e.g. --loops-list 1,2,4,8
              --help                this text
            """.formatted(String.join(",", PEERS), String.join(",", ALL_SCENARIOS));

    static Options parse(String[] args, Path repoRoot, List<String> stagesFound) {
        return parse(args, repoRoot, stagesFound, allowedCpus());
    }

    /**
     * @param allowedCpus the CPUs the journey may run on, taskset syntax: the multicore preset's default CPU set
     */
    static Options parse(String[] args, Path repoRoot, List<String> stagesFound, String allowedCpus) {
        List<String> servers = null;
        List<String> scenarios = null;
        Integer rounds = null;
        Duration duration = null;
        Duration warmup = null;
        String serverCpus = null;
        String wrkCpus = null;
        Integer wrkThreads = null;
        List<Integer> idle = null;
        boolean costs = true;
        String wrk = "local";
        Path out = null;
        boolean quick = false;
        boolean multicore = false;
        List<Integer> loopsList = null;
        Integer warmupRuns = null;
        Integer straceRounds = null;
        Integer slow = null;
        Duration hold = null;
        Double quota = null;
        Integer latencyRate = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help", "-h" -> throw new UsageException(null);
                case "--quick" -> quick = true;
                case "--multicore" -> multicore = true;
                case "--no-costs" -> costs = false;
                case "--servers" -> servers = list(value != null ? value : next(args, ++i, a));
                case "--scenarios" -> scenarios = list(value != null ? value : next(args, ++i, a));
                case "--rounds" -> rounds = positive(value != null ? value : next(args, ++i, a), a);
                case "--duration" ->
                    duration = Duration.ofSeconds(positive(value != null ? value : next(args, ++i, a), a));
                case "--warmup" ->
                    warmup = Duration.ofSeconds(Integer.parseInt(value != null ? value : next(args, ++i, a)));
                case "--server-cpus" -> serverCpus = value != null ? value : next(args, ++i, a);
                case "--wrk-cpus" -> wrkCpus = value != null ? value : next(args, ++i, a);
                case "--wrk-threads" -> wrkThreads = positive(value != null ? value : next(args, ++i, a), a);
                case "--idle" ->
                    idle = list(value != null ? value : next(args, ++i, a)).stream()
                            .map(Integer::parseInt)
                            .toList();
                case "--loops-list" ->
                    loopsList = list(value != null ? value : next(args, ++i, a)).stream()
                            .map(s -> positive(s, "--loops-list"))
                            .toList();
                case "--warmup-runs" -> warmupRuns = positive(value != null ? value : next(args, ++i, a), a);
                case "--strace-rounds" -> straceRounds = positive(value != null ? value : next(args, ++i, a), a);
                case "--slow" -> slow = positive(value != null ? value : next(args, ++i, a), a);
                case "--slowloris-hold" ->
                    hold = Duration.ofSeconds(positive(value != null ? value : next(args, ++i, a), a));
                case "--wrk" -> wrk = value != null ? value : next(args, ++i, a);
                case "--server-quota" -> quota = quota(value != null ? value : next(args, ++i, a));
                case "--latency-rate" -> latencyRate = Integer.parseInt(value != null ? value : next(args, ++i, a));
                case "--out" ->
                    out = Path.of(value != null ? value : next(args, ++i, a)).toAbsolutePath();
                default -> throw new UsageException("unknown option " + args[i]);
            }
        }
        if (loopsList != null && !multicore) {
            throw new UsageException(
                    "--loops-list goes with --multicore, e.g. ./journey --multicore --loops-list 1,2,4,8");
        }
        // The multicore preset puts the servers on every CPU, and wrk too: on a machine of two cores there is
        // no other way to give a server two, and scaling.csv says that they shared (see Scaling).
        String defaultCpus = multicore ? allowedCpus : null;
        serverCpus = serverCpus != null ? serverCpus : multicore ? defaultCpus : "1";
        wrkCpus = wrkCpus != null ? wrkCpus : multicore ? defaultCpus : "0";
        List<Integer> loops = List.of();
        List<String> costServers = null;
        if (multicore) {
            TreeSet<Integer> counts = new TreeSet<>(loopsList != null ? loopsList : List.of(cpuCount(serverCpus)));
            counts.add(1); // every gain is relative to the same design at one loop
            loops = List.copyOf(counts);
            if (servers == null) {
                servers = multicoreServers(loops);
            }
            scenarios = scenarios != null ? scenarios : List.of("warp");
            out = out != null ? out : repoRoot.resolve("target/journey-multicore");
            // wrk with one thread can keep one CPU busy at most: one thread per wrk CPU, or it is the limit from two
            // loops on.
            wrkThreads = wrkThreads != null ? wrkThreads : cpuCount(wrkCpus);
            // One strace pass, for the two designs whose difference is in system calls: N loops on one listener
            // (each new connection wakes them all, and all but one accept in vain) against one listener per loop.
            int most = loops.getLast();
            List<String> servers0 = servers;
            costServers =
                    List.of(Launcher.MULTICORE_STAGE + "@shared-" + most, Launcher.MULTICORE_STAGE + "@loops-" + most)
                            .stream()
                            .filter(servers0::contains)
                            .toList();
        }
        scenarios = scenarios != null ? scenarios : ALL_SCENARIOS;
        out = out != null ? out : repoRoot.resolve("target/journey");
        for (String s : scenarios) {
            try {
                Scenario.of(s);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        // Servers that share CPUs with wrk cannot be held to a budget that leaves wrk a CPU of its own.
        quota = quota != null ? quota : sharedCpus(serverCpus, wrkCpus).isEmpty() ? DEFAULT_QUOTA : Double.NaN;
        if (!wrk.equals("local") && !wrk.equals("docker")) {
            throw new UsageException("--wrk must be local or docker");
        }
        List<String> known = new ArrayList<>(stagesFound);
        known.addAll(PEERS);
        if (servers == null) {
            servers = known;
        }
        for (String s : servers) {
            ServerName name;
            try {
                name = ServerName.parse(s);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            // A stage not built yet is let through: starting it says how to build it.
            if (!known.contains(name.base()) && !name.isStage()) {
                throw new UsageException("unknown server " + s + " (known: " + known + ")");
            }
        }
        int r = rounds != null ? rounds : quick ? 1 : 5;
        return new Options(
                servers,
                scenarios,
                r,
                duration != null ? duration : Duration.ofSeconds(quick ? 2 : 10),
                warmup != null ? warmup : Duration.ofSeconds(quick ? 2 : 5),
                serverCpus,
                wrkCpus,
                idle != null ? idle : quick ? List.of(0, 100) : List.of(0, 1000, 5000, 10000),
                costs,
                wrk,
                out,
                repoRoot,
                quick,
                warmupRuns != null ? warmupRuns : 6,
                Math.min(r, straceRounds != null ? straceRounds : 3),
                slow != null ? slow : quick ? 200 : 1000,
                hold != null ? hold : Duration.ofSeconds(quick ? 12 : 15),
                wrkThreads != null ? wrkThreads : 1,
                costServers != null ? costServers : servers,
                !multicore,
                multicore,
                loops,
                quota,
                latencyRate != null ? latencyRate : multicore ? 0 : DEFAULT_LATENCY_RATE);
    }

    /**
     * The multicore preset's servers: each design of stage 03 at every loop count, nginx at every
     * worker count, and stage 02, whose one loop is the reference for CPU per request.
     */
    static List<String> multicoreServers(List<Integer> loops) {
        List<String> servers = new ArrayList<>();
        for (Design design : Design.MULTICORE) {
            loops.forEach(n -> servers.add(Launcher.MULTICORE_STAGE + "@" + design.label() + "-" + n));
        }
        loops.forEach(n -> servers.add("nginx@" + n));
        servers.add(Launcher.EPOLL_STAGE);
        return servers;
    }

    /**
     * The CPUs this process may run on (Cpus_allowed_list: all online CPUs unless a cpuset or taskset narrows them).
     */
    static String allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return "0-" + (Runtime.getRuntime().availableProcessors() - 1);
    }

    /** --server-quota's value: a fraction of a core in (0, 1], or none (NaN). */
    private static double quota(String s) {
        if (s.equals("none")) {
            return Double.NaN;
        }
        double q = Double.parseDouble(s);
        if (!(q > 0 && q <= 1)) {
            throw new UsageException("--server-quota takes a fraction of a core, 0 < F <= 1, or none");
        }
        return q;
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException("missing value for " + option);
        }
        return args[i];
    }

    private static int positive(String s, String option) {
        int v = Integer.parseInt(s);
        if (v <= 0) {
            throw new UsageException(option + " must be positive");
        }
        return v;
    }

    /** Number of CPUs in a taskset list such as "1", "0-3" or "2,4-5". */
    static int cpuCount(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            n += dash < 0
                    ? 1
                    : Integer.parseInt(part.substring(dash + 1).trim())
                            - Integer.parseInt(part.substring(0, dash).trim())
                            + 1;
        }
        return n;
    }

    /** The CPUs of a taskset list such as "1", "0-3" or "2,4-5". */
    static TreeSet<Integer> cpus(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt((dash < 0 ? part : part.substring(0, dash)).trim());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /**
     * The CPUs in both taskset lists, as a taskset list ("0-1"), or "" when they are apart: where
     * the servers and wrk share CPUs, each one's CPU time is taken from the other.
     */
    static String sharedCpus(String a, String b) {
        TreeSet<Integer> both = cpus(a);
        both.retainAll(cpus(b));
        List<String> ranges = new ArrayList<>();
        Integer from = null;
        Integer last = null;
        for (int c : both) {
            if (last != null && c != last + 1) {
                ranges.add(from.equals(last) ? String.valueOf(from) : from + "-" + last);
                from = null;
            }
            if (from == null) {
                from = c;
            }
            last = c;
        }
        if (from != null) {
            ranges.add(from.equals(last) ? String.valueOf(from) : from + "-" + last);
        }
        return String.join(",", ranges);
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
