package dev.warpjourney.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage run as a process of its own: {@code [prefix...] java -cp <this JVM's class path> MAIN
 * --root DIR --port 0}. The stage's Main prints {@code listening on http://HOST:PORT/ ...} on
 * stdout once it accepts; the port is read from that line. Used where the server needs limits
 * or signals of its own (a descriptor limit, SIGTERM).
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:/]+:(\\d+)/");

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    private ServerProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), "stage-stdout", line -> {
            stdout.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port.complete(Integer.parseInt(m.group(1)));
            }
        });
        pump(process.getErrorStream(), "stage-stderr", stderr::add);
        process.onExit()
                .thenRun(() -> port.completeExceptionally(
                        new IOException("the stage exited with " + process.exitValue() + " before it listened")));
    }

    /**
     * Starts {@code mainClass} with this JVM's class path and java binary, under {@code prefix}
     * (e.g. {@code prlimit --nofile=64:64 --}), and waits for its start-up line.
     */
    public static ServerProcess start(String mainClass, Path root, List<String> prefix, List<String> jvmOptions)
            throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        // A stage that calls native code (stage 06) is allowed to by its jar's manifest, and its tests by the
        // flag this JVM was given: the child gets the same flag, or it would print the JDK's warning.
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--enable-native-access")) {
                command.add(option);
            }
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of("--root", root.toString(), "--port", "0"));
        ServerProcess server = new ServerProcess(new ProcessBuilder(command).start());
        try {
            server.port.get(30, TimeUnit.SECONDS);
            return server;
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            server.process.destroyForcibly();
            throw new IOException(
                    "no start-up line from " + command + "; stdout " + server.stdout + ", stderr " + server.stderr, e);
        }
    }

    private static void pump(InputStream in, String name, Consumer<String> sink) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    public int port() {
        return port.join();
    }

    public Process process() {
        return process;
    }

    /** Lines the server has written to stderr so far. */
    public List<String> stderr() {
        synchronized (stderr) {
            return new ArrayList<>(stderr);
        }
    }

    /** How many descriptors the process holds open now (/proc/PID/fd). */
    public long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return fds.count();
        }
    }

    /** CPU time the process has used so far, user and system, in nanoseconds (from /proc/PID/stat). */
    public long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        // The command name (field 2) may contain spaces; the fields after it do not.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime and stime: fields 14 and 15
        return ticks * 1_000_000_000L / clockTicksPerSecond();
    }

    private static long clockTicks;

    /** sysconf(_SC_CLK_TCK), nearly always 100. */
    private static synchronized long clockTicksPerSecond() {
        if (clockTicks == 0) {
            clockTicks = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor() == 0 && out.matches("\\d+")) {
                    clockTicks = Long.parseLong(out);
                }
            } catch (IOException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return clockTicks;
    }

    /** Kills the process if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
