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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starts each kind of server pinned to the server CPU set, and waits until it answers. */
final class Launcher {
    static final String POLL_SELECTOR = "sun.nio.ch.PollSelectorProvider";

    private final Options options;
    private final Path corpus;
    private final Path work;

    Launcher(Options options, Path corpus, Path work) {
        this.options = options;
        this.corpus = corpus;
        this.work = work;
    }

    /** The stage whose chapter is epoll: the journey runs it on poll(2) too ({@code @poll}), to show epoll's share alone. */
    static final String EPOLL_STAGE = "stage-02-epoll";

    /** Stage modules with a built jar, in order (stage-01-naive, stage-02-epoll, stage-02-epoll@poll, stage-03-...). */
    static List<String> stagesFound(Path repoRoot) {
        try (Stream<Path> dirs = Files.list(repoRoot)) {
            return dirs.map(d -> d.getFileName().toString())
                    .filter(n -> n.matches("stage-\\d\\d-.+"))
                    .filter(n -> Files.exists(repoRoot.resolve(n).resolve("target").resolve(n + ".jar")))
                    .sorted()
                    .flatMap(n -> n.equals(EPOLL_STAGE) ? Stream.of(n, n + "@poll") : Stream.of(n))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    RunningServer start(String name, boolean close) throws IOException, InterruptedException {
        int port = freePort();
        Path log = work.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", options.serverCpus()));
        cmd.addAll(command(name, port, close));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RunningServer server = new RunningServer(name, port, p, log, isJava(name));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited with " + p.exitValue() + " at start-up; see " + log + ":\n"
                        + tail(log));
            }
            if (answers(port)) {
                return server;
            }
            Thread.sleep(100);
        }
        server.stop();
        throw new IOException(name + " did not answer on port " + port + " within 30 s; see " + log);
    }

    private static boolean isJava(String name) {
        return !name.equals("nginx");
    }

    private List<String> command(String name, int port, boolean close) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path root = options.repoRoot();
        String benchClasspath = root.resolve("bench/target/bench.jar") + ":" + root.resolve("bench/target/lib") + "/*";
        // Every JVM server gets the same flags: a fixed heap, and permission for the profiler to attach later.
        List<String> jvm = List.of(java, "-Xms512m", "-Xmx512m", "-XX:+EnableDynamicAgentLoading");
        List<String> cmd = new ArrayList<>(jvm);
        if (name.startsWith("stage-")) {
            // A variant is named after an @: stage-02-epoll@poll is stage 02 on the JDK's poll(2) selector,
            // the same server with epoll alone taken away.
            int at = name.indexOf('@');
            String module = at < 0 ? name : name.substring(0, at);
            String variant = at < 0 ? "" : name.substring(at + 1);
            Path jar = root.resolve(module).resolve("target").resolve(module + ".jar");
            if (!Files.exists(jar)) {
                throw new IOException("no " + jar + ": build it with ./mvnw package -DskipTests");
            }
            switch (variant) {
                case "" -> { }
                case "poll" -> cmd.add("-Djava.nio.channels.spi.SelectorProvider=" + POLL_SELECTOR);
                default -> throw new IOException("unknown variant @" + variant + " of " + module + " (known: @poll)");
            }
            cmd.addAll(List.of("-jar", jar.toString(), "--port", String.valueOf(port), "--root", corpus.toString()));
            return cmd;
        }
        return switch (name) {
            case "floor" -> {
                cmd.addAll(List.of("-cp", benchClasspath, "dev.warpjourney.bench.FloorServer", String.valueOf(port)));
                if (close) {
                    cmd.add("--close"); // the floor parses nothing, so it is told to close after each response
                }
                yield cmd;
            }
            case "netty" -> {
                cmd.addAll(List.of("-cp", benchClasspath, "dev.warpjourney.bench.NettyFileServer", String.valueOf(port),
                        corpus.toString()));
                yield cmd;
            }
            case "jwebserver" -> {
                // jwebserver is `java -m jdk.httpserver`; run that way so that the idle interval can be raised
                // (its default closes idle connections after 30 s, which would empty the c10k scenario).
                cmd.addAll(List.of("-Dsun.net.httpserver.idleInterval=600", "-Dsun.net.httpserver.maxIdleConnections=20000",
                        "-m", "jdk.httpserver", "-b", "127.0.0.1", "-p", String.valueOf(port), "-d", corpus.toString(),
                        "-o", "none"));
                yield cmd;
            }
            case "nginx" -> {
                if (!Wrk.onPath("nginx") && !Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
                    throw new IOException("nginx is not installed (Debian: apt-get install nginx-light)");
                }
                Path conf = NginxConfig.write(work.resolve("nginx"), port, corpus, Options.cpuCount(options.serverCpus()));
                String nginx = Wrk.onPath("nginx") ? "nginx" : "/usr/sbin/nginx";
                yield List.of(nginx, "-p", conf.getParent().toString(), "-c", conf.toString(), "-e", "stderr");
            }
            default -> throw new IOException("unknown server " + name);
        };
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
            s.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
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

    /** A started server: its process (and for nginx its workers), port and log. */
    record RunningServer(String name, int port, Process process, Path log, boolean java) {

        /** The process and all its descendants (nginx's workers). */
        List<Long> pids() {
            List<Long> pids = new ArrayList<>();
            pids.add(process.pid());
            process.descendants().forEach(h -> pids.add(h.pid()));
            return pids;
        }

        /** The processes that do the work: nginx's workers, or the JVM. */
        List<Long> workerPids() {
            List<Long> children = process.descendants().map(ProcessHandle::pid).toList();
            return children.isEmpty() ? List.of(process.pid()) : children;
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: graceful for the stages, fast shutdown for nginx
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
