package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs wrk, from PATH or in a container, and returns what report.lua printed. */
interface Wrk {

    /**
     * wrk threads by default: one, so the load generator can use at most one CPU (see Results.bound);
     * the multicore preset gives it one per CPU of its set (--wrk-threads), or it would be the limit.
     */
    int THREADS = 1;

    WrkResult run(Scenario scenario, int port, Duration duration, Path scripts)
            throws IOException, InterruptedException;

    /** wrk's arguments for a scenario, the same whichever way wrk runs. */
    static List<String> arguments(
            Scenario scenario, String host, int port, Duration duration, Path scripts, int threads) {
        String script = scenario.manyFiles()
                ? "manyfiles.lua"
                : scenario.isPaced() ? "paced.lua" : scenario.pipelined() ? "pipeline.lua" : "report.lua";
        List<String> args = new ArrayList<>(List.of(
                "-t" + threads,
                "-c" + scenario.connections(),
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "-s",
                scripts.resolve(script).toString()));
        if (scenario.close()) {
            args.add("-H");
            args.add("Connection: close");
        }
        args.add("http://" + host + ":" + port + scenario.path());
        if (scenario.manyFiles()) {
            args.add("--");
            args.add(scripts.resolve("paths.txt").toString());
        } else if (scenario.isPaced()) {
            args.add("--");
            args.add(String.format(java.util.Locale.ROOT, "%.1f", scenario.gapMs()));
        } else if (scenario.pipelined()) {
            args.add("--");
            args.add(String.valueOf(scenario.depth()));
        }
        return args;
    }

    /**
     * wrk from PATH, pinned with taskset, run by bash so that bash's {@code times} can report the
     * CPU time wrk used (a child's rusage is only readable by its parent, once it has exited).
     */
    record Local(String cpus, int threads) implements Wrk {
        @Override
        public WrkResult run(Scenario scenario, int port, Duration duration, Path scripts)
                throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(
                    "bash", "-c", "taskset -c \"$0\" wrk \"$@\"; rc=$?; echo JOURNEY-TIMES; times; exit $rc", cpus));
            cmd.addAll(arguments(scenario, "127.0.0.1", port, duration, scripts, threads));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException("wrk exited with " + rc + ":\n" + out);
            }
            return WrkResult.parse(out).withClientCpu(childCpuSeconds(out));
        }
    }

    /**
     * The children's user + system seconds from bash's {@code times}, whose second line reads
     * "0m1.234s 0m0.567s"; NaN when absent.
     */
    static double childCpuSeconds(String output) {
        int at = output.lastIndexOf("JOURNEY-TIMES");
        if (at < 0) {
            return Double.NaN;
        }
        List<String> lines = output.substring(at).lines().toList();
        if (lines.size() < 3) {
            return Double.NaN;
        }
        double total = 0;
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)m([0-9.]+)s").matcher(lines.get(2));
        int found = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            found++;
        }
        return found == 2 ? total : Double.NaN;
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Path.of(dir, command).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }
}
