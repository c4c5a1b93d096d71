package dev.warpjourney.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The journey command: every scenario against every server, then the per-request costs, then
 * result files, charts and a summary table. See {@link Options#USAGE}.
 *
 * <p>Method: servers pinned to one CPU set and wrk (with this harness) to another; a warm-up run
 * per server before measuring (the JIT); compared servers measured in the same run, A B A B,
 * over N rounds; costs (CPU, system calls, profile) in passes of their own.
 */
public final class Journey {
    /** Connections wrk keeps open during the system-call pass (see costPass). */
    private static final int STRACE_CONNECTIONS = 50;

    private final Options options;
    private final Results results = new Results();
    private final Path corpus;
    private final Path work;
    private final Path scripts;
    private final Launcher launcher;
    private final Wrk wrk;
    private final Instant started = Instant.now();
    private long plannedSeconds;
    private long doneSeconds;

    private Journey(Options options, Wrk wrk) throws IOException {
        this.options = options;
        this.wrk = wrk;
        // The corpus and the scratch files live under target/, whatever --out says: only results are kept.
        this.work = options.repoRoot().resolve("target/journey-work");
        this.corpus = Corpus.ensure(options.repoRoot().resolve("target/journey-corpus"));
        this.scripts = work.resolve("scripts");
        this.launcher = new Launcher(options, corpus, work);
        Files.createDirectories(scripts);
        copyResource("report.lua", scripts.resolve("report.lua"));
        Files.writeString(scripts.resolve("manyfiles.lua"), resource("manyfiles.lua") + "\n" + resource("report.lua"));
        Files.copy(corpus.resolve("paths.txt"), scripts.resolve("paths.txt"), StandardCopyOption.REPLACE_EXISTING);
    }

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(System.getProperty("journey.root", ".")).toAbsolutePath().normalize();
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
        j.measure();
        return j.finish();
    }

    private static Wrk chooseWrk(Options options) {
        boolean local = Wrk.onPath("wrk");
        if (options.wrkMode().equals("local") && local) {
            return new Wrk.Local(options.wrkCpus());
        }
        System.out.println("journey: " + (local ? "--wrk=docker given" : "no wrk on PATH") + "; trying Docker through Testcontainers");
        if (DockerWrk.available()) {
            return new DockerWrk(options.wrkCpus());
        }
        System.err.println("journey: cannot run wrk: there is no wrk binary on PATH and no Docker engine.\n"
                + "  Install wrk (Debian/Ubuntu: sudo apt-get install wrk; macOS: brew install wrk),\n"
                + "  or start Docker so that the harness can run wrk in a container (--wrk=docker).");
        return null;
    }

    /** The harness holds the c10k idle connections: it belongs on the wrk side, away from the server. */
    private static void pinSelf(String cpus) {
        try {
            new ProcessBuilder("taskset", "-a", "-c", "-p", cpus, String.valueOf(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException | InterruptedException e) {
            System.out.println("journey: could not pin the harness with taskset: " + e.getMessage());
        }
    }

    private List<String> serversFor(Scenario s) {
        return options.servers().stream().filter(name -> !name.equals("floor") || s.floorApplies()).toList();
    }

    private void measure() throws Exception {
        // An estimate for the progress line: warm-up plus rounds plus cost passes, per server and idle count.
        for (String name : options.scenarios()) {
            Scenario s = Scenario.of(name);
            int idles = name.equals("c10k") ? options.idleCounts().size() : 1;
            long perServer = idles * (options.warmup().toSeconds() + options.rounds() * options.duration().toSeconds())
                    + (options.costs() ? 2 * options.duration().toSeconds() + 4 : 0);
            plannedSeconds += perServer * serversFor(s).size();
        }
        for (String name : options.scenarios()) {
            Scenario s = Scenario.of(name);
            List<Integer> idles = name.equals("c10k") ? options.idleCounts() : List.of(0);
            for (int idle : idles) {
                throughputPass(s, idle);
            }
            if (options.costs()) {
                costPass(s, idles.getLast());
            }
        }
    }

    private void throughputPass(Scenario s, int idle) throws InterruptedException {
        Map<String, Launcher.RunningServer> running = startAll(s);
        try {
            for (Launcher.RunningServer server : running.values()) {
                progress(s, idle, server.name(), "warm-up");
                try {
                    wrk.run(s, server.port(), options.warmup().isZero() ? Duration.ofSeconds(1) : options.warmup(), scripts);
                } catch (Exception e) {
                    fail(s.name() + "/" + server.name() + "/warm-up", e);
                }
                doneSeconds += options.warmup().toSeconds();
            }
            // tag::rounds[]
            for (int round = 1; round <= options.rounds(); round++) {
                for (Launcher.RunningServer server : running.values()) { // A B A B: the same order every round
                    if (results.failures.containsKey(key(s, server.name(), idle))) { // failed in an earlier round
                        continue;
                    }
                    progress(s, idle, server.name(), "round " + round + "/" + options.rounds());
                    try (IdleConnections held = idle > 0 ? IdleConnections.open(server.port(), idle, 120_000) : null) {
                        if (s.name().equals("c10k") && round == 1) {
                            recordMemory(server, idle);
                        }
                        WrkResult r = wrk.run(s, server.port(), options.duration(), scripts);
                        int alive = held == null ? 0 : held.stillOpen();
                        results.runs.add(new Results.Run(s.name(), idle, server.name(), round, r, alive));
                        if (r.nonSuccess() + r.socketErrors() > 0) {
                            System.out.printf("    %s: %d non-2xx/3xx responses, %d socket errors%n", server.name(), r.nonSuccess(), r.socketErrors());
                        }
                    } catch (Exception e) {
                        fail(key(s, server.name(), idle), e);
                    }
                    doneSeconds += options.duration().toSeconds();
                }
            }
            // end::rounds[]
        } finally {
            stopAll(running);
        }
    }

    private void costPass(Scenario s, int idle) throws InterruptedException {
        Map<String, Launcher.RunningServer> running = startAll(s);
        Duration d = options.duration();
        try {
            for (Launcher.RunningServer server : running.values()) {
                String name = server.name();
                try (IdleConnections held = idle > 0 ? IdleConnections.open(server.port(), idle, 120_000) : null) {
                    progress(s, idle, name, "warm-up for costs");
                    wrk.run(s, server.port(), options.warmup().isZero() ? Duration.ofSeconds(1) : options.warmup(), scripts);

                    progress(s, idle, name, "CPU per request");
                    List<Long> pids = server.pids();
                    long cpu0 = Costs.cpuMicros(pids);
                    WrkResult cpuRun = wrk.run(s, server.port(), d, scripts);
                    long cpu = Costs.cpuMicros(pids) - cpu0;
                    doneSeconds += d.toSeconds();

                    progress(s, idle, name, "system calls per request (strace; slow)");
                    Path straceOut = work.resolve("strace-" + s.name() + "-" + name + ".txt");
                    Costs.Strace strace = new Costs.Strace(server.workerPids(), straceOut);
                    WrkResult sysRun;
                    Map<String, Long> calls;
                    try {
                        // Under strace a server answers a few thousand requests in a run: if wrk opened
                        // 1,000 connections, their setup (accept, fcntl, epoll_ctl...) would be counted
                        // against those few requests. Keep-alive scenarios therefore use at most 50
                        // connections here; the close scenario keeps its own, setup is what it measures.
                        Scenario traced = s.close() ? s : s.withConnections(Math.min(STRACE_CONNECTIONS, s.connections()));
                        sysRun = wrk.run(traced, server.port(), d, scripts);
                    } finally {
                        calls = strace.stop(); // detach even when wrk failed: a traced server crawls
                    }
                    results.costs.add(new Results.Cost(s.name(), name, cpuRun.requests(),
                            cpu / (double) Math.max(1, cpuRun.requests()), sysRun.requests(), calls));
                    doneSeconds += d.toSeconds() + 2;

                    if (s.name().equals("warp") && server.java()) {
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
                    }
                    doneSeconds += 2;
                } catch (Exception e) {
                    fail(s.name() + "/" + name + "/costs", e);
                }
            }
        } finally {
            stopAll(running);
        }
    }

    /** RSS, and for a JVM the heap after a full GC, with this many idle connections held. */
    private void recordMemory(Launcher.RunningServer server, int idle) {
        try {
            long heap = server.java() ? Costs.heapUsedAfterGcKib(server.process().pid()) : -1;
            results.memory.add(new Results.Memory(server.name(), idle, Costs.rssKib(server.pids()), heap));
        } catch (IOException | InterruptedException e) {
            fail("memory/" + server.name(), e);
        }
    }

    private Map<String, Launcher.RunningServer> startAll(Scenario s) {
        Map<String, Launcher.RunningServer> running = new LinkedHashMap<>();
        for (String name : serversFor(s)) {
            try {
                running.put(name, launcher.start(name, s.close()));
            } catch (Exception e) {
                fail(s.name() + "/" + name + "/start", e);
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
        results.failures.put(what, message);
        System.out.println("    FAILED " + what + ": " + message.lines().findFirst().orElse(""));
    }

    private void progress(Scenario s, int idle, String server, String step) {
        long elapsed = Duration.between(started, Instant.now()).toSeconds();
        long left = Math.max(0, plannedSeconds - doneSeconds);
        System.out.printf(Locale.ROOT, "[%s%s] %-16s %-40s elapsed %s, about %s left%n", s.name(),
                idle > 0 ? " idle=" + idle : "", server, step, clock(elapsed), clock(left));
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private int finish() throws IOException, InterruptedException {
        Path out = options.out();
        results.write(out);
        Files.writeString(out.resolve("environment.properties"), Environment.describe(options));
        try {
            Charts.write(results, out);
        } catch (RuntimeException e) {
            fail("charts", e);
        }
        System.out.println();
        System.out.print(results.table());
        System.out.println("\nresults, charts and flame graphs: " + out);
        return results.failures.isEmpty() ? 0 : 1;
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
