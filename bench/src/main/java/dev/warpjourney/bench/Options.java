package dev.warpjourney.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The journey's command-line options. */
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
        Duration slowlorisHold) {

    static final List<String> ALL_SCENARIOS = List.of("warp", "c10k", "close", "large", "manyfiles", "slowloris");
    static final List<String> PEERS = List.of("nginx", "jwebserver", "floor", "netty");

    static final String USAGE = """
            usage: ./journey [options]
              --servers a,b,...     servers to measure (default: every stage found, then %s)
              --scenarios a,b,...   scenarios (default: %s)
              --rounds N            A B A B rounds per scenario (default 5)
              --duration S          seconds per measured run (default 10)
              --warmup S            seconds per warm-up run (default 5); warm-up runs repeat until two
                                    consecutive throughputs agree within 5%%, or the cap is reached
              --warmup-runs N       cap on warm-up runs per server and scenario (default 6); a server
                                    that does not settle is not ranked (no ratios)
              --strace-rounds N     rounds of the system-call pass (default 3, at most --rounds)
              --slow N              slow connections in the slowloris scenario (default 1000)
              --slowloris-hold S    seconds they trickle while the probe runs (default 15)
              --server-cpus LIST    CPUs for the servers, taskset syntax (default 1)
              --wrk-cpus LIST       CPUs for wrk and the idle-connection holder (default 0)
              --idle N,N,...        idle connections for the c10k curve (default 0,1000,5000,10000)
              --no-costs            skip the system-call (strace) and flame-graph passes (CPU, memory
                                    and TCP counters are read in every round regardless)
              --wrk=local|docker    wrk from PATH (default), or in a container via Testcontainers
              --out DIR             where results go (default target/journey)
              --quick               1 round, 2 s runs, 2 s warm-up runs (up to 6), 100 idle connections,
                                    200 slow connections held 12 s; ratios only for servers that settled
              --help                this text
            """.formatted(String.join(",", PEERS), String.join(",", ALL_SCENARIOS));

    static Options parse(String[] args, Path repoRoot, List<String> stagesFound) {
        List<String> servers = null;
        List<String> scenarios = ALL_SCENARIOS;
        Integer rounds = null;
        Duration duration = null;
        Duration warmup = null;
        String serverCpus = "1";
        String wrkCpus = "0";
        List<Integer> idle = null;
        boolean costs = true;
        String wrk = "local";
        Path out = repoRoot.resolve("target/journey");
        boolean quick = false;
        Integer warmupRuns = null;
        Integer straceRounds = null;
        Integer slow = null;
        Duration hold = null;
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
                case "--no-costs" -> costs = false;
                case "--servers" -> servers = list(value != null ? value : next(args, ++i, a));
                case "--scenarios" -> scenarios = list(value != null ? value : next(args, ++i, a));
                case "--rounds" -> rounds = positive(value != null ? value : next(args, ++i, a), a);
                case "--duration" -> duration = Duration.ofSeconds(positive(value != null ? value : next(args, ++i, a), a));
                case "--warmup" -> warmup = Duration.ofSeconds(Integer.parseInt(value != null ? value : next(args, ++i, a)));
                case "--server-cpus" -> serverCpus = value != null ? value : next(args, ++i, a);
                case "--wrk-cpus" -> wrkCpus = value != null ? value : next(args, ++i, a);
                case "--idle" -> idle = list(value != null ? value : next(args, ++i, a)).stream().map(Integer::parseInt).toList();
                case "--warmup-runs" -> warmupRuns = positive(value != null ? value : next(args, ++i, a), a);
                case "--strace-rounds" -> straceRounds = positive(value != null ? value : next(args, ++i, a), a);
                case "--slow" -> slow = positive(value != null ? value : next(args, ++i, a), a);
                case "--slowloris-hold" -> hold = Duration.ofSeconds(positive(value != null ? value : next(args, ++i, a), a));
                case "--wrk" -> wrk = value != null ? value : next(args, ++i, a);
                case "--out" -> out = Path.of(value != null ? value : next(args, ++i, a)).toAbsolutePath();
                default -> throw new UsageException("unknown option " + args[i]);
            }
        }
        for (String s : scenarios) {
            if (!ALL_SCENARIOS.contains(s)) {
                throw new UsageException("unknown scenario " + s + " (known: " + ALL_SCENARIOS + ")");
            }
        }
        if (!wrk.equals("local") && !wrk.equals("docker")) {
            throw new UsageException("--wrk must be local or docker");
        }
        List<String> known = new ArrayList<>(stagesFound);
        known.addAll(PEERS);
        if (servers == null) {
            servers = known;
        }
        for (String s : servers) {
            if (!known.contains(s) && !s.startsWith("stage-")) {
                throw new UsageException("unknown server " + s + " (known: " + known + ")");
            }
        }
        int r = rounds != null ? rounds : quick ? 1 : 5;
        return new Options(servers, scenarios, r,
                duration != null ? duration : Duration.ofSeconds(quick ? 2 : 10),
                warmup != null ? warmup : Duration.ofSeconds(quick ? 2 : 5),
                serverCpus, wrkCpus,
                idle != null ? idle : quick ? List.of(0, 100) : List.of(0, 1000, 5000, 10000),
                costs, wrk, out, repoRoot, quick,
                warmupRuns != null ? warmupRuns : 6,
                Math.min(r, straceRounds != null ? straceRounds : 3),
                slow != null ? slow : quick ? 200 : 1000,
                hold != null ? hold : Duration.ofSeconds(quick ? 12 : 15));
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
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
            n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1).trim()) - Integer.parseInt(part.substring(0, dash).trim()) + 1;
        }
        return n;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
