package dev.warpjourney.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The journey command: every scenario against every server, then the per-request costs, then
 * result files, charts and a summary table. See {@link Options#USAGE}.
 *
 * <p>Method: servers pinned to one CPU set and wrk (with this harness) to another; warm-up runs
 * per server until its throughput is steady (the JIT); compared servers measured in the same run,
 * A B A B, over N rounds, with the server's CPU time, wrk's and the kernel's TCP counters read
 * around every round; system calls (strace) and profiles in passes of their own, since they slow
 * the server down. Results.java decides which rows may be ranked; RESULTS.adoc documents the files.
 */
public final class Journey {
    /** Connections wrk keeps open during the system-call pass (see costPass). */
    private static final int STRACE_CONNECTIONS = 50;
    /** A strace round with fewer requests than this is dropped (its fixed costs would dominate). */
    private static final int MIN_TRACED_REQUESTS = 50;

    private static final Duration MIN_TRACE = Duration.ofSeconds(5);
    /**
     * Rounds of the passes that give no ratio to judge, only behaviour to show: the latency pass and
     * slowloris. More would add a quarter of an hour to the reference run and change no verdict.
     */
    static final int DESCRIPTIVE_ROUNDS = 3;

    private final Options options;
    /** The passes to run and their estimate, decided once from the options. */
    private final Plan plan;

    private final Results results = new Results();
    private final Path corpus;
    private final Path work;
    private final Path scripts;
    private final Launcher launcher;
    /** The servers' CPU budget (cgroups), or none: see {@link CpuBudget}. */
    private final CpuBudget budget;
    /** The CPUs of the servers and wrk: steal time is read over them. */
    private final java.util.Set<Integer> measuredCpus;

    private final Wrk wrk;
    private final Instant started = Instant.now();
    private long doneSeconds;

    private Journey(Options options, Wrk wrk) throws IOException {
        this.options = options;
        this.plan = Plan.of(options);
        this.wrk = wrk;
        // The corpus and the scratch files live under target/, whatever --out says: only results are kept.
        this.work = options.repoRoot().resolve("target/journey-work");
        this.corpus = Corpus.ensure(options.repoRoot().resolve("target/journey-corpus"));
        this.scripts = work.resolve("scripts");
        boolean sharedCpus =
                !Options.sharedCpus(options.serverCpus(), options.wrkCpus()).isEmpty();
        this.budget = Double.isNaN(options.serverQuota())
                        && plan.passes().stream().noneMatch(p -> p.scenario().headline())
                ? CpuBudget.none(
                        sharedCpus
                                ? "the servers share their CPUs with wrk (--server-quota F sets one)"
                                : "--server-quota none")
                : CpuBudget.detect();
        if (!Double.isNaN(options.serverQuota()) || !budget.available()) {
            System.out.println("journey: CPU budget per server: "
                    + (Double.isNaN(options.serverQuota())
                            ? "none (" + budget.why() + ")"
                            : budget.available()
                                    ? Results.fmt(options.serverQuota(), 2) + " of each server CPU, "
                                            + budget.describe()
                                    : "NONE: " + budget.why()
                                            + "; measuring without one (cpu_quota \"none\" in every row, and a server is at its limit"
                                            + " only when it keeps its CPUs busy)"));
        }
        this.launcher = new Launcher(options, corpus, work, budget);
        this.measuredCpus = new java.util.TreeSet<>(Options.cpus(options.serverCpus()));
        measuredCpus.addAll(Options.cpus(options.wrkCpus()));
        Files.createDirectories(scripts);
        copyResource("report.lua", scripts.resolve("report.lua"));
        Files.writeString(scripts.resolve("paced.lua"), resource("paced.lua") + "\n" + resource("report.lua"));
        Files.writeString(scripts.resolve("pipeline.lua"), resource("pipeline.lua") + "\n" + resource("report.lua"));
        Files.writeString(scripts.resolve("manyfiles.lua"), resource("manyfiles.lua") + "\n" + resource("report.lua"));
        Files.copy(corpus.resolve("paths.txt"), scripts.resolve("paths.txt"), StandardCopyOption.REPLACE_EXISTING);
    }

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(System.getProperty("journey.root", "."))
                .toAbsolutePath()
                .normalize();
        Options options;
        try {
            options = Options.parse(args, repoRoot, Launcher.stagesFound(repoRoot));
        } catch (Options.UsageException | NumberFormatException e) {
            if (e.getMessage() == null) { // --help
                System.out.print(Options.USAGE);
                System.exit(0);
            }
            System.err.println("journey: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    /** Runs a whole journey; returns the exit status (0 only if everything was measured). */
    static int run(Options options) throws Exception {
        Wrk wrk = chooseWrk(options);
        if (wrk == null) {
            return 2;
        }
        pinSelf(options.wrkCpus());
        Journey j = new Journey(options, wrk);
        // Interrupted (Ctrl-C), the run still removes its cgroups and what is left in them.
        Thread cleanup = new Thread(j.budget::close, "journey-cgroups");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            j.measure();
            return j.finish();
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            j.budget.close();
        }
    }

    private static Wrk chooseWrk(Options options) {
        boolean local = Wrk.onPath("wrk");
        if (options.wrkMode().equals("local") && local) {
            return new Wrk.Local(options.wrkCpus(), options.wrkThreads());
        }
        System.out.println("journey: " + (local ? "--wrk=docker given" : "no wrk on PATH")
                + "; trying Docker through Testcontainers");
        if (DockerWrk.available()) {
            return new DockerWrk(options.wrkCpus(), options.wrkThreads());
        }
        System.err.println("journey: cannot run wrk: there is no wrk binary on PATH and no Docker engine.\n"
                + "  Install wrk (Debian/Ubuntu: sudo apt-get install wrk; macOS: brew install wrk),\n"
                + "  or start Docker so that the harness can run wrk in a container (--wrk=docker).");
        return null;
    }

    /** The harness holds the c10k idle connections: it belongs on the wrk side, away from the server. */
    private static void pinSelf(String cpus) {
        try {
            new ProcessBuilder(
                            "taskset",
                            "-a",
                            "-c",
                            "-p",
                            cpus,
                            String.valueOf(ProcessHandle.current().pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException | InterruptedException e) {
            System.out.println("journey: could not pin the harness with taskset: " + e.getMessage());
        }
    }

    /**
     * The CPUs a server in this scenario may use per period: the scenario's budget or the journey's, of each server
     * CPU.
     */
    private double quotaFor(Scenario s) {
        double fraction = s.headline() ? s.quota() : options.serverQuota();
        return Double.isNaN(fraction) ? Double.NaN : fraction * Options.cpuCount(options.serverCpus());
    }

    private void measure() throws Exception {
        results.wrkCpus(options.wrkThreads(), Options.cpuCount(options.wrkCpus()));
        if (!Options.sharedCpus(options.serverCpus(), options.wrkCpus()).isEmpty()) {
            results.sharedCpus(measuredCpus.size());
        }
        if (options.multicore()) {
            String shared = Options.sharedCpus(options.serverCpus(), options.wrkCpus());
            results.scaling(shared);
            if (!shared.isEmpty()) {
                System.out.println(
                        "journey: the servers and wrk share CPUs " + shared + ": each takes CPU from the other"
                                + " (scaling.csv notes it on every row; give --server-cpus and --wrk-cpus apart on a larger machine)");
            }
        }
        for (Plan.Pass pass : plan.passes()) {
            Scenario s = pass.scenario();
            if (s.headline() && !budget.available()) { // its one pass: the throughput rounds
                System.out.println("journey: " + s.name() + " skipped: it needs a CPU budget, and " + budget.why());
                continue;
            }
            switch (pass) {
                case Plan.ThroughputPass p -> throughputPass(p);
                case Plan.CostPass p -> costPass(p);
                case Plan.SlowlorisPass p -> slowlorisPass(p);
            }
        }
    }

    // tag::warmup[]
    /**
     * Warm-up runs until the throughput stops rising ({@link Results#steady}: the JIT
     * has compiled the hot path), or until the cap; each run is recorded. A server that never
     * settles is measured anyway but not ranked: its ratios would compare a JIT still at work.
     * The warm-up runs without the CPU budget: the JIT's compiler threads are in the server's
     * group, and at half a core their one-time work stretched a JVM's warm-up over half a minute.
     * One more run at the budget, not recorded, lets the heap and the JIT settle to it before the
     * rounds.
     */
    private void warmUp(Scenario s, int idle, Launcher.RunningServer server) throws IOException, InterruptedException {
        Duration each = options.warmup().isZero() ? Duration.ofSeconds(1) : options.warmup();
        double budget = server.quota();
        if (!Double.isNaN(budget)) {
            server.group().quota(Double.NaN);
        }
        List<Double> seen = new ArrayList<>();
        try {
            for (int run = 1; run <= options.warmupRuns() && !Results.steady(seen); run++) {
                progress(
                        s,
                        idle,
                        server.name(),
                        "warm-up " + run + " (until steady, at most " + options.warmupRuns() + ")");
                WrkResult r = wrk.run(s, server.port(), each, scripts);
                seen.add(r.requestsPerSecond());
                results.add(new WarmUp(s.name(), idle, server.name(), run, each.toSeconds(), r.requestsPerSecond()));
                doneSeconds += run <= 2 ? each.toSeconds() : 0;
            }
        } finally {
            if (!Double.isNaN(budget)) {
                server.group().quota(budget);
            }
        }
        if (!Double.isNaN(budget)) {
            progress(s, idle, server.name(), "warm-up at the budget (" + Results.fmt(budget, 2) + " CPU)");
            wrk.run(s, server.port(), each, scripts);
        }
        if (!Results.steady(seen)) {
            System.out.printf(
                    Locale.ROOT,
                    "    %s: throughput not steady after %d warm-up runs (%s req/s): not ranked%n",
                    server.name(),
                    seen.size(),
                    seen.stream()
                            .map(v -> Results.fmt(v, 0))
                            .reduce((a, b) -> a + ", " + b)
                            .orElse(""));
        }
    }
    // end::warmup[]

    private void throughputPass(Plan.ThroughputPass pass) throws InterruptedException {
        Scenario s = pass.scenario();
        int idle = pass.idle();
        Map<String, Launcher.RunningServer> running = startAll(s, pass.servers());
        int cpus = Options.cpuCount(options.serverCpus());
        try {
            for (Launcher.RunningServer server : running.values()) {
                try {
                    warmUp(s, idle, server);
                } catch (Exception e) {
                    fail(s.name() + "/" + server.name() + "/warm-up", e);
                }
            }
            // tag::rounds[]
            for (int round = 1; round <= options.rounds(); round++) {
                for (Launcher.RunningServer server : running.values()) { // A B A B: the same order every round
                    if (results.failed(key(s, server.name(), idle))) { // failed in an earlier round
                        continue;
                    }
                    progress(s, idle, server.name(), "round " + round + "/" + options.rounds());
                    try (IdleConnections held = idle > 0 ? IdleConnections.open(server.port(), idle, 120_000) : null) {
                        if (s.idleCurve()) {
                            recordMemory(server, idle, round);
                        }
                        // CPU time and TCP counters over the same window as wrk: utilization and tails per round.
                        List<Long> pids = server.pids();
                        long alloc0 = allocated(s, server);
                        Map<String, Long> net0 = NetCounters.read();
                        CpuBudget.Throttling throttled0 = server.throttling();
                        StealTime steal0 = StealTime.read(measuredCpus);
                        long cpu0 = Costs.cpuMicros(pids);
                        long t0 = System.nanoTime();
                        WrkResult r = wrk.run(s, server.port(), options.duration(), scripts);
                        long cpu1 = Costs.cpuMicros(pids);
                        long t1 = System.nanoTime();
                        double steal = StealTime.read(measuredCpus).shareSince(steal0);
                        CpuBudget.Throttling throttled =
                                throttled0 == null ? null : server.throttling().minus(throttled0);
                        Map<String, Long> net = NetCounters.delta(net0, NetCounters.read());
                        long alloc1 = allocated(s, server); // after the CPU window: jcmd's own work is not counted
                        if (alloc0 >= 0 && alloc1 >= 0) {
                            results.add(new Allocation(s.name(), server.name(), round, r.requests(), alloc1 - alloc0));
                        }
                        int alive = held == null ? 0 : held.stillOpen();
                        results.add(new Run(
                                s.name(),
                                idle,
                                server.name(),
                                round,
                                r,
                                alive,
                                (cpu1 - cpu0) / 1e6,
                                (t1 - t0) / 1e9,
                                cpus,
                                net,
                                server.quota(),
                                throttled,
                                steal)); // throws on an impossible reading
                        if (r.errors() > 0) {
                            System.out.printf(
                                    "    %s: %d non-2xx/3xx responses, %d socket errors: not ranked%n",
                                    server.name(), r.nonSuccess(), r.socketErrors());
                        }
                        long overflows = net.getOrDefault("TcpExtListenOverflows", 0L);
                        long synRetrans = net.getOrDefault("TcpExtTCPSynRetrans", 0L);
                        if (overflows + synRetrans > 0) {
                            System.out.printf(
                                    "    %s: %d listen-queue overflows, %d SYN retransmits during the run%n",
                                    server.name(), overflows, synRetrans);
                        }
                    } catch (Exception e) {
                        fail(key(s, server.name(), idle), e);
                    }
                    doneSeconds += options.duration().toSeconds();
                }
            }
            // end::rounds[]
            if (pass.latency()) {
                latencyPass(s, running);
            }
        } finally {
            stopAll(running);
        }
    }

    // tag::latency[]
    /**
     * Latency where it means something. A server held to a quota waits out the rest of a period
     * whenever it runs out, so its rounds' latencies are partly the quota's; and a server driven
     * as fast as it can go answers from a queue whose length depends on its speed. So: the quota
     * lifted, and every server offered the same load, {@code --latency-rate} requests per second
     * spread over the scenario's connections (each waits a random 0 to 2x its mean gap before each
     * request, so the connections do not fire in step), A B A B over the rounds.
     */
    private void latencyPass(Scenario s, Map<String, Launcher.RunningServer> running) {
        double perConnectionGapMs = s.connections() * 1000.0 / options.latencyRate();
        Scenario paced = s.paced(perConnectionGapMs);
        for (Launcher.RunningServer server : running.values()) {
            try {
                if (server.group() != null) {
                    server.group().quota(Double.NaN);
                }
            } catch (IOException e) {
                fail(s.name() + "/" + server.name() + "/latency", e);
            }
        }
        int rounds = Math.min(options.rounds(), DESCRIPTIVE_ROUNDS);
        for (int round = 1; round <= rounds; round++) {
            for (Launcher.RunningServer server : running.values()) {
                if (results.failed(s.name() + "/" + server.name() + "/latency")) {
                    continue;
                }
                progress(
                        s,
                        0,
                        server.name(),
                        "latency at " + options.latencyRate() + " req/s, no quota, round " + round + "/" + rounds);
                try {
                    List<Long> pids = server.pids();
                    long cpu0 = Costs.cpuMicros(pids);
                    long t0 = System.nanoTime();
                    WrkResult r = wrk.run(paced, server.port(), options.duration(), scripts);
                    double utilization = (Costs.cpuMicros(pids) - cpu0) / 1e6 / ((System.nanoTime() - t0) / 1e9);
                    results.add(new LatencyRun(s.name(), server.name(), round, options.latencyRate(), r, utilization));
                } catch (Exception e) {
                    fail(s.name() + "/" + server.name() + "/latency", e);
                }
                doneSeconds += options.duration().toSeconds();
            }
        }
    }
    // end::latency[]

    /**
     * System calls (strace, over rounds) and, for the JVM servers in warp, c10k and close, a flame graph.
     * CPU per request comes from the throughput rounds; strace slows a server too much to time it.
     */
    private void costPass(Plan.CostPass pass) throws InterruptedException {
        Scenario s = pass.scenario();
        int idle = pass.idle();
        Map<String, Launcher.RunningServer> running = startAll(s, pass.servers());
        Duration d = options.duration();
        try {
            for (Launcher.RunningServer server : running.values()) {
                String name = server.name();
                try (IdleConnections held = idle > 0 ? IdleConnections.open(server.port(), idle, 120_000) : null) {
                    progress(s, idle, name, "warm-up for costs");
                    wrk.run(
                            s,
                            server.port(),
                            options.warmup().isZero() ? Duration.ofSeconds(1) : options.warmup(),
                            scripts);
                    doneSeconds += options.warmup().toSeconds();

                    // Under strace a server answers a few thousand requests in a run: if wrk opened
                    // 1,000 connections, their setup (accept, fcntl, epoll_ctl...) would be counted
                    // against those few requests. Keep-alive scenarios therefore use at most 50
                    // connections here (recorded as a column); close keeps its own, setup is what it measures.
                    Scenario traced = s.close() ? s : s.withConnections(Math.min(STRACE_CONNECTIONS, s.connections()));
                    // A traced server crawls: at least 5 s, so that even a quick run collects enough requests.
                    Duration traceFor = d.compareTo(MIN_TRACE) < 0 ? MIN_TRACE : d;
                    for (int round = 1; round <= options.straceRounds(); round++) {
                        progress(
                                s,
                                idle,
                                name,
                                "system calls, strace round " + round + "/" + options.straceRounds() + " (slow)");
                        Path straceOut = work.resolve("strace-" + s.name() + "-" + name + "-" + round + ".txt");
                        Costs.waitUntilIdle(server.pids(), 10_000); // the previous run's connections closed first
                        Costs.Strace strace = new Costs.Strace(server.workerPids(), straceOut);
                        WrkResult sysRun;
                        Map<String, Syscall> calls;
                        try {
                            sysRun = wrk.run(traced, server.port(), traceFor, scripts);
                        } finally {
                            calls = strace.stop(); // detach even when wrk failed: a traced server crawls
                        }
                        if (sysRun.requests() >= MIN_TRACED_REQUESTS) {
                            results.add(new Cost(
                                    s.name(), idle, name, round, traced.connections(), sysRun.requests(), calls));
                        } else {
                            // A handful of requests cannot carry the start-up calls of a run: per request they would be
                            // noise.
                            System.out.printf(
                                    "    %s: only %d requests answered under strace in round %d: round dropped%n",
                                    name, sysRun.requests(), round);
                        }
                        doneSeconds += traceFor.toSeconds() + 2;
                    }
                    if (results.costs(s.name(), name).isEmpty()) {
                        fail(
                                s.name() + "/" + name + "/strace",
                                new IOException(
                                        "every strace round answered fewer than " + MIN_TRACED_REQUESTS
                                                + " requests: no system-call figures (machine overloaded, or --duration too short)"));
                    }

                    // Prefork's N JVMs are alike: the first one's profile stands for all.
                    if (pass.flameGraphs() && server.java()) {
                        progress(s, idle, name, "flame graph (async-profiler)");
                        Costs.Profiler profiler = new Costs.Profiler(work);
                        Path html = options.out().resolve("flame-" + s.name() + "-" + name + ".html");
                        Files.createDirectories(options.out());
                        profiler.start(server.process().pid());
                        try {
                            wrk.run(s, server.port(), d, scripts);
                        } finally {
                            profiler.stop(server.process().pid(), html);
                        }
                        doneSeconds += d.toSeconds();
                    }
                } catch (Exception e) {
                    fail(s.name() + "/" + name + "/costs", e);
                }
            }
        } finally {
            stopAll(running);
        }
    }

    // tag::slowloris[]
    /** Slow connections trickle headers while a fresh client probes; rounds A B A B like the others. */
    private void slowlorisPass(Plan.SlowlorisPass pass) throws InterruptedException {
        Scenario s = pass.scenario();
        Map<String, Launcher.RunningServer> running = startAll(s, pass.servers());
        int cpus = Options.cpuCount(options.serverCpus());
        Duration trickle = Duration.ofSeconds(2);
        int rounds = Math.min(options.rounds(), DESCRIPTIVE_ROUNDS);
        try {
            for (int round = 1; round <= rounds; round++) {
                for (Launcher.RunningServer server : running.values()) {
                    String what = s.name() + "/" + server.name();
                    if (results.failed(what)) {
                        continue;
                    }
                    progress(
                            s,
                            0,
                            server.name(),
                            options.slowConnections() + " slow connections, round " + round + "/" + rounds);
                    try {
                        List<Long> pids = server.pids();
                        long cpu0 = Costs.cpuMicros(pids);
                        long t0 = System.nanoTime();
                        Slowloris.Result r = Slowloris.run(
                                server.name(),
                                round,
                                server.port(),
                                options.slowConnections(),
                                options.slowlorisHold(),
                                trickle);
                        double cpuSeconds = (Costs.cpuMicros(pids) - cpu0) / 1e6;
                        double wall = (System.nanoTime() - t0) / 1e9;
                        String why = Results.impossible(server.name(), cpuSeconds, wall, cpus);
                        if (why != null) {
                            throw new IllegalStateException(why);
                        }
                        results.add(r.withUtilization(cpuSeconds / wall));
                        // Let the server see the slow connections go before the next one's round.
                        Thread.sleep(1000);
                        if (!Launcher.answers(server.port())) {
                            throw new IOException(server.name() + " no longer answers after the slowloris round");
                        }
                    } catch (Exception e) {
                        fail(what, e);
                    }
                    doneSeconds += options.slowlorisHold().toSeconds() + 3;
                }
            }
        } finally {
            stopAll(running);
        }
    }
    // end::slowloris[]

    /**
     * Heap bytes the server's threads have allocated so far (see {@link Costs#allocatedBytes}), for a
     * JVM of platform threads in the keep-alive file scenarios; -1 for the rest (nginx, virtual threads,
     * prefork's several JVMs, and the scenarios whose cost is not per request).
     */
    private static long allocated(Scenario s, Launcher.RunningServer server) {
        if (!server.java()
                || server.pids().size() != 1
                || server.server().design() == Design.VTHREADS
                || !s.allocations()) {
            return -1;
        }
        try {
            return Costs.allocatedBytes(server.pids().getFirst());
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** RSS, and for a JVM the heap after a full GC, with this many idle connections held. */
    private void recordMemory(Launcher.RunningServer server, int idle, int round) {
        try {
            long heap = -1;
            if (server.java()) { // prefork: the heaps of all its JVMs
                heap = 0;
                for (Process p : server.processes()) {
                    long one = Costs.heapUsedAfterGcKib(p.pid());
                    heap = one < 0 || heap < 0 ? -1 : heap + one;
                }
            }
            results.add(new Memory(server.name(), idle, round, Costs.rssKib(server.pids()), heap));
        } catch (IOException | InterruptedException e) {
            fail("memory/" + server.name(), e);
        }
    }

    private Map<String, Launcher.RunningServer> startAll(Scenario s, List<ServerName> servers) {
        Map<String, Launcher.RunningServer> running = new LinkedHashMap<>();
        for (ServerName server : servers) {
            try {
                running.put(server.name(), launcher.start(server, s.close(), s.depth() > 1, quotaFor(s)));
            } catch (Exception e) {
                fail(s.name() + "/" + server.name() + "/start", e);
            }
        }
        return running;
    }

    private static void stopAll(Map<String, Launcher.RunningServer> running) throws InterruptedException {
        for (Launcher.RunningServer server : running.values()) {
            server.stop();
        }
    }

    private static String key(Scenario s, String server, int idle) {
        return s.name() + "/" + server + (idle > 0 ? "/idle=" + idle : "");
    }

    private void fail(String what, Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        results.fail(what, message);
        System.out.println(
                "    FAILED " + what + ": " + message.lines().findFirst().orElse(""));
    }

    private void progress(Scenario s, int idle, String server, String step) {
        long elapsed = Duration.between(started, Instant.now()).toSeconds();
        // The plan's estimate (warm-up, rounds and cost passes, per server and idle count), less what has run.
        long left = Math.max(0, plan.seconds() - doneSeconds);
        System.out.printf(
                Locale.ROOT,
                "[%s%s] %-16s %-40s elapsed %s, about %s left%n",
                s.name(),
                idle > 0 ? " idle=" + idle : "",
                server,
                step,
                clock(elapsed),
                clock(left));
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private int finish() throws IOException, InterruptedException {
        Path out = options.out();
        results.write(out);
        Files.writeString(out.resolve("environment.properties"), Environment.describe(options, budget));
        try {
            Charts.write(results, out);
        } catch (RuntimeException e) {
            fail("charts", e);
        }
        System.out.println();
        System.out.print(results.table());
        if (options.quick()) {
            System.out.println(
                    "\nquick run: each server warmed up until its "
                            + options.warmup().toSeconds()
                            + " s runs stopped rising (at most " + options.warmupRuns()
                            + " runs; see warmup.csv); one round, so no spread:"
                            + "\nratios are printed only for servers that settled, were the bottleneck and had no errors, and are rough.");
        }
        System.out.println("\nresults, charts and flame graphs: " + out);
        return results.failures().isEmpty() ? 0 : 1;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Journey.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes());
        }
    }

    private static void copyResource(String name, Path to) throws IOException {
        Files.writeString(to, resource(name));
    }
}
