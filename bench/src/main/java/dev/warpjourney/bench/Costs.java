package dev.warpjourney.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Per-request costs, each measured in a pass of its own: they disturb throughput. */
final class Costs {
    private Costs() {}

    /** Clock ticks per second for /proc/PID/stat; 100 on every Linux in practice. */
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    // tag::cpu[]
    /** utime + stime of all threads of these processes, in microseconds (from /proc/PID/stat). */
    static long cpuMicros(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
            } catch (IOException e) {
                // the process is gone
            }
        }
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }
    // end::cpu[]

    /**
     * Waits until these processes use less than 5% of a CPU over 200 ms (at most {@code capMillis}):
     * after a run, a server still closes the connections wrk dropped, and under strace those calls
     * would both be counted against the next run's requests and slow its start. Returns whether it settled.
     */
    static boolean waitUntilIdle(List<Long> pids, long capMillis) throws InterruptedException {
        long deadline = System.nanoTime() + capMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            long before = cpuMicros(pids);
            Thread.sleep(200);
            if (cpuMicros(pids) - before < 10_000) {
                return true;
            }
        }
        return false;
    }

    /** Resident set size of these processes, in KiB (VmRSS from /proc/PID/status). */
    static long rssKib(List<Long> pids) {
        long kib = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }
        return kib;
    }

    /** Java heap in use after a full GC, in KiB (jcmd GC.run, then GC.heap_info); -1 when not a JVM. */
    static long heapUsedAfterGcKib(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(List.of(jcmd, String.valueOf(pid), "GC.run"));
        long used = 0;
        boolean any = false;
        for (String line :
                run(List.of(jcmd, String.valueOf(pid), "GC.heap_info")).split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1));
                any = true;
            }
        }
        return any ? used : -1;
    }

    /**
     * Bytes the JVM's threads have allocated on the heap so far: HotSpot's per-thread allocation
     * counters (what {@code ThreadMXBean.getThreadAllocatedBytes} reads), listed by
     * {@code jcmd PID Thread.print -e}, summed over every platform thread but the attach listener
     * that answers jcmd itself. Virtual threads are not listed: a server of virtual threads reads
     * near zero here, which is not its cost (its rows are left out). -1 when it cannot be read.
     */
    static long allocatedBytes(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        long total = 0;
        boolean any = false;
        java.util.regex.Pattern allocated = java.util.regex.Pattern.compile(" allocated=(\\d+)([BKMG])");
        for (String line :
                run(List.of(jcmd, String.valueOf(pid), "Thread.print", "-e")).split("\n")) {
            if (!line.startsWith("\"") || line.startsWith("\"Attach Listener\"")) {
                continue;
            }
            java.util.regex.Matcher m = allocated.matcher(line);
            if (m.find()) {
                long unit = switch (m.group(2)) {
                    case "K" -> 1024L;
                    case "M" -> 1024L * 1024;
                    case "G" -> 1024L * 1024 * 1024;
                    default -> 1L;
                };
                total += Long.parseLong(m.group(1)) * unit;
                any = true;
            }
        }
        return any ? total : -1;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    /** strace -f -c attached to the given processes (all their threads) until {@link #stop()}. */
    static final class Strace {
        private final Process process;
        private final Path output;

        Strace(List<Long> pids, Path output) throws IOException, InterruptedException {
            this.output = output;
            List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-c", "-q", "-o", output.toString()));
            for (long pid : pids) {
                cmd.add("-p");
                cmd.add(String.valueOf(pid));
            }
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            output.resolveSibling(output.getFileName() + ".log").toFile())
                    .start();
            Thread.sleep(1000); // attaching to every thread of a JVM takes a moment
            if (!process.isAlive()) {
                throw new IOException("strace could not attach (exit " + process.exitValue() + "); is ptrace allowed?");
            }
        }

        /** Detaches and returns the calls by name. */
        Map<String, Syscall> stop() throws IOException, InterruptedException {
            process.destroy(); // SIGTERM: strace detaches and writes its summary
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return parse(Files.readString(output));
        }

        /**
         * Reads strace -c's table: "% time seconds usecs/call calls errors syscall", the errors
         * column blank when none failed. "seconds" is the system (kernel CPU) time strace measured
         * in the call, itself inflated by tracing: compare it between servers, not with wall time.
         */
        static Map<String, Syscall> parse(String table) {
            Map<String, Syscall> calls = new LinkedHashMap<>();
            for (String line : table.split("\n")) {
                String[] t = line.trim().split("\\s+");
                if (t.length < 5 || !t[0].matches("[0-9.]+") || t[t.length - 1].equals("total")) {
                    continue;
                }
                Syscall one = new Syscall(
                        Long.parseLong(t[3]), t.length >= 6 ? Long.parseLong(t[4]) : 0, Double.parseDouble(t[1]));
                calls.merge(
                        t[t.length - 1],
                        one,
                        (a, b) ->
                                new Syscall(a.calls() + b.calls(), a.errors() + b.errors(), a.seconds() + b.seconds()));
            }
            return calls;
        }
    }

    /**
     * async-profiler loaded into a running JVM server through the attach API (what its asprof
     * launcher does), so that the profile covers exactly the measured window.
     */
    static final class Profiler {
        private final Path library;

        Profiler(Path workDir) throws IOException {
            library = workDir.resolve("libasyncProfiler.so");
            if (!Files.exists(library)) {
                try (InputStream in = Costs.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
                    if (in == null) {
                        throw new IOException("libasyncProfiler.so (linux-x64) not found on the class path");
                    }
                    Files.createDirectories(workDir);
                    Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        /** itimer sampling works without perf_events, which containers and VMs often forbid. */
        void start(long pid) throws Exception {
            load(pid, "start,event=itimer,interval=1ms");
        }

        void stop(long pid, Path html) throws Exception {
            load(pid, "stop,file=" + html.toAbsolutePath() + ",title=" + html.getFileName());
        }

        private void load(long pid, String args) throws Exception {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
            try {
                vm.loadAgentPath(library.toString(), args);
            } finally {
                vm.detach();
            }
        }
    }
}
