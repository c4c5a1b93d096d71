package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Path;

/** The environment a run was measured on, as key=value lines: CPU, kernel, JDK, wrk, nginx, options. */
final class Environment {
    private Environment() {}

    static String describe(Options o) throws IOException, InterruptedException {
        return describe(o, CpuBudget.none());
    }

    /**
     * @param budget the servers' CPU budget as the run found it: {@code server_quota} says what held them, or why
     * nothing did
     */
    static String describe(Options o, CpuBudget budget) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "bash", o.repoRoot().resolve("tools/environment.sh").toString())
                .redirectErrorStream(true)
                .start();
        String machine = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return machine
                + "servers=" + String.join(",", o.servers()) + "\n"
                + "scenarios=" + String.join(",", o.scenarios()) + "\n"
                + "rounds=" + o.rounds() + "\n"
                + "duration_s=" + o.duration().toSeconds() + "\n"
                + "warmup_s=" + o.warmup().toSeconds() + "\n"
                + "warmup_runs_max=" + o.warmupRuns() + "\n"
                + "strace_rounds=" + o.straceRounds() + "\n"
                + "slow_connections=" + o.slowConnections() + "\n"
                + "slowloris_hold_s=" + o.slowlorisHold().toSeconds() + "\n"
                + "server_cpu_count=" + Options.cpuCount(o.serverCpus()) + "\n"
                + "wrk_threads=" + o.wrkThreads() + "\n"
                + "server_cpus=" + o.serverCpus() + "\n"
                + "wrk_cpus=" + o.wrkCpus() + "\n"
                + "idle="
                + o.idleCounts().stream()
                        .map(String::valueOf)
                        .reduce((a, b) -> a + "," + b)
                        .orElse("") + "\n"
                + "wrk_mode=" + o.wrkMode() + "\n"
                + "quick=" + o.quick() + "\n"
                + "multicore=" + o.multicore() + "\n"
                + "loops_list="
                + o.loopsList().stream()
                        .map(String::valueOf)
                        .reduce((a, b) -> a + "," + b)
                        .orElse("") + "\n"
                // CPUs both the servers and wrk ran on (empty when apart): their figures then took CPU from each other.
                + "shared_cpus=" + Options.sharedCpus(o.serverCpus(), o.wrkCpus()) + "\n"
                // Each server's CPU budget, a fraction of each server CPU, and how it was applied (or why it was not).
                + "server_quota="
                + (Double.isNaN(o.serverQuota()) || !budget.available() ? "none" : Results.fmt(o.serverQuota(), 2))
                + "\n"
                + "server_quota_how="
                + (budget.available()
                        ? budget.describe().replaceAll("/warp-journey-\\d+$", "") + ", period "
                                + CpuBudget.PERIOD_MICROS + " us"
                        : budget.why())
                + "\n"
                + "latency_rate=" + o.latencyRate() + "\n"
                + "out="
                + o.repoRoot()
                        .relativize(o.out().toAbsolutePath())
                        .toString()
                        .replace(Path.of("").toString(), "") + "\n";
    }
}
