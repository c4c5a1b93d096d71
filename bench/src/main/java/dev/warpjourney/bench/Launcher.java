package dev.warpjourney.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starts each kind of server pinned to the server CPU set, and waits until it answers. */
final class Launcher {
    static final String POLL_SELECTOR = "sun.nio.ch.PollSelectorProvider";

    private final Options options;
    private final Path corpus;
    private final Path work;
    /** Where each server's CPU budget is set; {@link CpuBudget#none()} when there is none. */
    private final CpuBudget budget;

    Launcher(Options options, Path corpus, Path work) {
        this(options, corpus, work, CpuBudget.none());
    }

    Launcher(Options options, Path corpus, Path work, CpuBudget budget) {
        this.options = options;
        this.corpus = corpus;
        this.work = work;
        this.budget = budget;
    }

    /**
     * The stage whose chapter is epoll: the journey runs it on poll(2) too ({@code @poll}), to show epoll's share
     * alone.
     */
    static final String EPOLL_STAGE = "stage-02-epoll";

    /**
     * The stage whose chapter is one loop per core: the multicore preset runs its designs side by side (see
     * ServerName).
     */
    static final String MULTICORE_STAGE = "stage-03-multicore";

    /** The stage whose chapter is the composer: the journey runs it with mapped small files too ({@code @mapped}). */
    static final String COMPOSER_STAGE = "stage-05-composer";

    /** The stage whose chapter puts the JDK's costs back, one at a time (stage-06-native@jdk-accept, ...). */
    static final String NATIVE_STAGE = "stage-06-native";

    /** Stage modules with a built jar, in order (stage-01-naive, stage-02-epoll, stage-02-epoll@poll, stage-03-...). */
    static List<String> stagesFound(Path repoRoot) {
        try (Stream<Path> dirs = Files.list(repoRoot)) {
            return dirs.map(d -> d.getFileName().toString())
                    .filter(n -> n.matches("stage-\\d\\d-.+"))
                    .filter(n ->
                            Files.exists(repoRoot.resolve(n).resolve("target").resolve(n + ".jar")))
                    .sorted()
                    .flatMap(n -> Stream.concat(Stream.of(n), Design.chapterVariants(n)))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    RunningServer start(String name, boolean close) throws IOException, InterruptedException {
        return start(name, close, Double.NaN);
    }

    /**
     * Starts a server pinned to the server CPUs and, where {@code quotaCpus} is a number and the
     * machine allows it, inside a control group of its own held to that many CPUs: all its
     * processes (prefork's N JVMs, nginx's workers) share the one budget.
     */
    RunningServer start(String name, boolean close, double quotaCpus) throws IOException, InterruptedException {
        return start(name, close, false, quotaCpus);
    }

    /**
     * The same, for a scenario whose clients pipeline ({@code pipelined}: nginx is configured for it, see {@link
     * NginxConfig}).
     */
    RunningServer start(String name, boolean close, boolean pipelined, double quotaCpus)
            throws IOException, InterruptedException {
        ServerName server;
        try {
            server = ServerName.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        return start(server, close, pipelined, quotaCpus);
    }

    /** The same, for a server name already parsed (the journey's plan holds them). */
    RunningServer start(ServerName server, boolean close, boolean pipelined, double quotaCpus)
            throws IOException, InterruptedException {
        String name = server.name();
        int port = freePort();
        List<List<String>> commands = commands(server, port, close, pipelined);
        CpuBudget.Group group = Double.isNaN(quotaCpus) || !budget.available() ? null : budget.create(name, quotaCpus);
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        // One log per process: prefork's JVMs each write their own (NAME-1.log ... NAME-N.log).
        List<Path> logFiles = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            List<String> pinned = new ArrayList<>(List.of("taskset", "-c", options.serverCpus()));
            pinned.addAll(commands.get(i));
            List<String> cmd = group == null ? pinned : group.wrap(pinned);
            Path log = logs.resolve(commands.size() == 1 ? name + ".log" : name + "-" + (i + 1) + ".log");
            logFiles.add(log);
            processes.add(new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start());
        }
        RunningServer running = new RunningServer(server, port, List.copyOf(processes), logFiles.getFirst(), group);
        // Prefork: the port answers as soon as the first JVM has bound it, but all N must be
        // listening (N SO_REUSEPORT sockets on the port) before a measurement may start.
        int listeners = server.processes();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < processes.size(); i++) {
                Process p = processes.get(i);
                if (!p.isAlive()) {
                    running.stop();
                    throw new IOException(name + " exited with " + p.exitValue() + " at start-up; see "
                            + logFiles.get(i) + ":\n" + tail(logFiles.get(i)));
                }
            }
            if (answers(port) && (listeners == 1 || listening(port) >= listeners)) {
                return running;
            }
            Thread.sleep(100);
        }
        running.stop();
        throw new IOException(
                name + " did not answer on port " + port + (listeners > 1 ? " with " + listeners + " listeners" : "")
                        + " within 30 s; see " + logFiles.getFirst());
    }

    /**
     * The command lines that start a server, one per process (prefork: N; every other server: one),
     * without the taskset that pins them.
     */
    List<List<String>> commands(String name, int port, boolean close) throws IOException {
        return commands(name, port, close, false);
    }

    List<List<String>> commands(String name, int port, boolean close, boolean pipelined) throws IOException {
        try {
            return commands(ServerName.parse(name), port, close, pipelined);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }

    private List<List<String>> commands(ServerName server, int port, boolean close, boolean pipelined)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Every JVM server gets the same flags: a fixed heap, and permission for the profiler to attach later.
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx512m", "-XX:+EnableDynamicAgentLoading"));
        if (server.isStage()) {
            String module = server.base();
            Path jar = options.repoRoot().resolve(module).resolve("target").resolve(module + ".jar");
            if (!Files.exists(jar)) {
                throw new IOException("no " + jar + ": build it with ./mvnw package -DskipTests");
            }
            // The design says what it adds: JVM flags before -jar, arguments for the stage after it.
            cmd.addAll(server.design().jvmFlags(server.count()));
            cmd.addAll(List.of("-jar", jar.toString()));
            cmd.addAll(server.design().stageArgs(server.count()));
            cmd.addAll(List.of("--port", String.valueOf(port), "--root", corpus.toString()));
            return Collections.nCopies(server.processes(), List.copyOf(cmd));
        }
        if (server.peer() == null) {
            throw new IOException("unknown server " + server.name());
        }
        return List.of(peerCommand(server, cmd, port, close, pipelined));
    }

    /** A peer's one command line; {@code cmd} holds the java command and the flags every JVM server gets. */
    private List<String> peerCommand(ServerName server, List<String> cmd, int port, boolean close, boolean pipelined)
            throws IOException {
        Path root = options.repoRoot();
        String benchClasspath = root.resolve("bench/target/bench.jar") + ":" + root.resolve("bench/target/lib") + "/*";
        return switch (server.peer()) {
            case FLOOR -> {
                cmd.addAll(List.of("-cp", benchClasspath, "dev.warpjourney.bench.FloorServer", String.valueOf(port)));
                if (close) {
                    cmd.add("--close"); // the floor parses nothing, so it is told to close after each response
                }
                yield cmd;
            }
            case NETTY -> {
                cmd.addAll(List.of(
                        "-cp",
                        benchClasspath,
                        "dev.warpjourney.bench.NettyFileServer",
                        String.valueOf(port),
                        corpus.toString()));
                yield cmd;
            }
            case NATIVE_FLOOR -> {
                List<String> c = new ArrayList<>(List.of(
                        NativeFloor.build(root, work).toString(),
                        String.valueOf(port),
                        corpus.resolve("index.html").toString()));
                if (close) {
                    c.add("--close");
                }
                yield c;
            }
            case JWEBSERVER -> {
                // jwebserver is `java -m jdk.httpserver`; run that way so that the idle interval can be raised
                // (its default closes idle connections after 30 s, which would empty the c10k scenario).
                cmd.addAll(List.of(
                        "-Dsun.net.httpserver.idleInterval=600",
                        "-Dsun.net.httpserver.maxIdleConnections=20000",
                        "-m",
                        "jdk.httpserver",
                        "-b",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port),
                        "-d",
                        corpus.toString(),
                        "-o",
                        "none"));
                yield cmd;
            }
            case NGINX -> {
                if (!Wrk.onPath("nginx") && !Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
                    throw new IOException("nginx is not installed (Debian: apt-get install nginx-light)");
                }
                // nginx@N has N workers, nginx one per server CPU; each name its own folder (pid file, logs),
                // since nginx@1 and nginx@4 run side by side in one pass.
                int workers = server.count() > 0 ? server.count() : Options.cpuCount(options.serverCpus());
                Path conf = NginxConfig.write(
                        work.resolve("nginx").resolve(server.name().replace('@', '-')),
                        port,
                        corpus,
                        workers,
                        pipelined);
                String nginx = Wrk.onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
                yield List.of(nginx, "-p", conf.getParent().toString(), "-c", conf.toString(), "-e", "stderr");
            }
        };
    }

    /**
     * Listening TCP sockets on this port (/proc/net/tcp and tcp6): with SO_REUSEPORT every process
     * that bound the port has one of its own, so prefork-N is ready when there are N.
     */
    static int listening(int port) {
        int n = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                n += listening(Files.readString(Path.of(file)), port);
            } catch (IOException e) {
                // no IPv6
            }
        }
        return n;
    }

    /**
     * Rows of a /proc/net/tcp table whose local port (hex, after the colon) is this one and whose state is 0A, LISTEN.
     */
    static int listening(String table, int port) {
        int n = 0;
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3
                    && f[1].matches("[0-9A-Fa-f]+:[0-9A-Fa-f]{4}")
                    && f[3].equals("0A")
                    && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
                n++;
            }
        }
        return n;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One GET of the 151-byte page; true on any 200. */
    static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2000);
            s.getOutputStream()
                    .write("GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /**
     * A started server: its processes (prefork's N JVMs; one for every other server, whose
     * descendants are nginx's workers), port and first log. Every reading (CPU, memory, strace)
     * and the stop cover all of them.
     *
     * @param server its name, parsed
     * @param group  its CPU budget's control group; null when it runs without one
     */
    record RunningServer(ServerName server, int port, List<Process> processes, Path log, CpuBudget.Group group) {

        /** Its whole name, as result files show it. */
        String name() {
            return server.name();
        }

        /** Whether it is a JVM (the profiler, jcmd and the heap readings need one). */
        boolean java() {
            return server.java();
        }

        /** Its quota in CPUs; NaN when it runs without one. */
        double quota() {
            return group == null ? Double.NaN : group.cpus();
        }

        /** The throttling counters so far; null without a quota. */
        CpuBudget.Throttling throttling() {
            return group == null || Double.isNaN(group.cpus()) ? null : group.read();
        }

        /** The first process: the JVM of a one-process server (the profiler and jcmd attach to it), nginx's master. */
        Process process() {
            return processes.getFirst();
        }

        /** Every process and all their descendants (nginx's workers). */
        List<Long> pids() {
            List<Long> pids = new ArrayList<>();
            for (Process p : processes) {
                pids.add(p.pid());
                p.descendants().forEach(h -> pids.add(h.pid()));
            }
            return pids;
        }

        /** The processes that do the work: nginx's workers, or the JVMs. */
        List<Long> workerPids() {
            List<Long> pids = new ArrayList<>();
            for (Process p : processes) {
                List<Long> children = p.descendants().map(ProcessHandle::pid).toList();
                pids.addAll(children.isEmpty() ? List.of(p.pid()) : children);
            }
            return pids;
        }

        void stop() throws InterruptedException {
            // SIGTERM to all first (graceful for the stages, fast shutdown for nginx), so that they drain side by side.
            processes.forEach(Process::destroy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (Process p : processes) {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                p.descendants().forEach(ProcessHandle::destroyForcibly);
            }
            if (group != null) {
                group.remove();
            }
        }
    }
}
