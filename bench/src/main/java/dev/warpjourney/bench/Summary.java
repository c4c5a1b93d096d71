package dev.warpjourney.bench;

import dev.warpjourney.bench.Results.Ratio;
import java.util.Map;

/**
 * The median, spread and ratios of one server in one scenario (and idle count).
 *
 * @param nginx, floor       this server's throughput over nginx's and the floor's, over the rounds both were at
 * their limit
 * @param cpuNginx, cpuFloor nginx's (the floor's) CPU time per request over this server's, over the same rounds
 * @param bound              what limited most of its rounds: server, load-generator, cpu-set, neither, or unknown
 * @param serverBoundRounds  rounds in which the server was the limit
 * @param quota              its CPU quota in CPUs; NaN without one
 * @param throttled          the share of its quota's periods in which it was throttled, over the rounds
 * @param steal              the hypervisor's share of the CPUs' time, over the rounds
 * @param stealFlagged       rounds with more steal than {@link Results#STEAL_FLAGGED}
 * @param unranked           why this row must not be ranked against others; empty when it may be
 * @param ratioNote          what to know about the ratios (a peer without enough rounds at its limit)
 * @param net                TCP counter deltas summed over the rounds
 */
record Summary(
        String scenario,
        int idle,
        String server,
        int rounds,
        double median,
        double min,
        double max,
        Ratio nginx,
        Ratio floor,
        Ratio cpuNginx,
        Ratio cpuFloor,
        long p50,
        long p99,
        long errors,
        Spread cpuMicrosPerRequest,
        Spread utilization,
        int serverCpus,
        double wrkUtilization,
        String bound,
        int serverBoundRounds,
        double quota,
        Spread throttled,
        Spread steal,
        int stealFlagged,
        int warmupRuns,
        boolean steady,
        String unranked,
        String ratioNote,
        Map<String, Long> net) {
    boolean ranked() {
        return unranked.isEmpty();
    }

    double vsNginx() {
        return nginx.median();
    }

    double vsFloor() {
        return floor.median();
    }

    /** Whether the latencies of its rounds include waits for the quota's next period. */
    boolean latencyThrottled() {
        return !Double.isNaN(quota) && throttled.n() > 0 && throttled.max() > 0;
    }
}
