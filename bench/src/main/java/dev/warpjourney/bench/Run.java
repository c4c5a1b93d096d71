package dev.warpjourney.bench;

import java.util.Map;

/**
 * One wrk run of the throughput pass, with the server's CPU time and the kernel's TCP counters
 * over the same window.
 *
 * @param serverCpuSeconds utime + stime of the server's processes during the run
 * @param wallSeconds      the window those were read over (around wrk, as the harness saw it)
 * @param serverCpus       CPUs in the server's CPU set
 * @param net              {@link NetCounters} deltas over the window
 * @param quota            the server's CPU quota in CPUs ({@link CpuBudget}); NaN when it ran without one
 * @param throttling       its control group's periods over the window, and how many ended in throttling; null
 * without a quota
 * @param steal            the share of the CPUs' time (servers' and wrk's) the hypervisor took over the window; NaN
 * when unread
 */
record Run(
        String scenario,
        int idle,
        String server,
        int round,
        WrkResult wrk,
        int idleAlive,
        double serverCpuSeconds,
        double wallSeconds,
        int serverCpus,
        Map<String, Long> net,
        double quota,
        CpuBudget.Throttling throttling,
        double steal) {

    /** A run without a CPU budget or steal reading (tests, and machines where no cgroup can be made). */
    Run(
            String scenario,
            int idle,
            String server,
            int round,
            WrkResult wrk,
            int idleAlive,
            double serverCpuSeconds,
            double wallSeconds,
            int serverCpus,
            Map<String, Long> net) {
        this(
                scenario,
                idle,
                server,
                round,
                wrk,
                idleAlive,
                serverCpuSeconds,
                wallSeconds,
                serverCpus,
                net,
                Double.NaN,
                null,
                Double.NaN);
    }

    /** A run without CPU or counter readings (charts and tests). */
    Run(String scenario, int idle, String server, int round, WrkResult wrk, int idleAlive) {
        this(scenario, idle, server, round, wrk, idleAlive, Double.NaN, Double.NaN, 0, Map.of());
    }

    /** Server CPU seconds per second of wall time: 1.0 is one CPU fully busy. */
    double utilization() {
        return serverCpuSeconds / wallSeconds;
    }

    /** wrk's CPU seconds per second of wall time. */
    double wrkUtilization() {
        return wrk.clientCpuSeconds() / wallSeconds;
    }

    double cpuMicrosPerRequest() {
        return wrk.requests() == 0 ? Double.NaN : serverCpuSeconds * 1e6 / wrk.requests();
    }

    boolean quotaApplied() {
        return !Double.isNaN(quota);
    }

    /** The share of the quota's periods in which the server ran out of its quota; NaN without one. */
    double throttled() {
        return throttling == null ? Double.NaN : throttling.share();
    }
}
