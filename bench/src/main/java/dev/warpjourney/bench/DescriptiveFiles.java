package dev.warpjourney.bench;

import static dev.warpjourney.bench.Results.fmt;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of the passes that describe rather than rank: latency at the same offered load (latency.csv,
 * latency-summary.csv), memory beside idle connections (memory.csv) and heap allocated per request (allocation.csv).
 */
final class DescriptiveFiles {
    private DescriptiveFiles() {}

    /** latency.csv: one row per run of the latency pass. */
    static String latencyCsv(Results results) {
        StringBuilder b = new StringBuilder(
                "scenario,server,round,offered_req_s,req_per_s,p50_us,p90_us,p99_us,p999_us,errors,utilization\n");
        for (LatencyRun l : results.latencies()) {
            WrkResult w = l.wrk();
            b.append(String.join(
                            ",",
                            l.scenario(),
                            l.server(),
                            String.valueOf(l.round()),
                            fmt(l.offered(), 0),
                            fmt(w.requestsPerSecond(), 0),
                            String.valueOf(w.p50()),
                            String.valueOf(w.p90()),
                            String.valueOf(w.p99()),
                            String.valueOf(w.p999()),
                            String.valueOf(w.errors()),
                            fmt(l.utilization(), 3)))
                    .append('\n');
        }
        return b.toString();
    }
    /** latency-summary.csv: per server, the medians over the latency pass's rounds, with their spread. */
    static String latencySummaryCsv(Results results) {
        StringBuilder b = new StringBuilder(
                "scenario,server,rounds,offered_req_s,median_req_s,kept_up,p50_us,p50_min_us,p50_max_us,"
                        + "p99_us,p99_min_us,p99_max_us,p999_us,errors,utilization\n");
        Set<String> keys = new LinkedHashSet<>();
        results.latencies().forEach(l -> keys.add(l.scenario() + "\t" + l.server()));
        for (String key : keys) {
            List<LatencyRun> mine = results.latencies().stream()
                    .filter(l -> key.equals(l.scenario() + "\t" + l.server()))
                    .toList();
            Spread rps = Spread.of(
                    mine.stream().map(l -> l.wrk().requestsPerSecond()).toList());
            Spread p50 =
                    Spread.of(mine.stream().map(l -> (double) l.wrk().p50()).toList());
            Spread p99 =
                    Spread.of(mine.stream().map(l -> (double) l.wrk().p99()).toList());
            Spread p999 =
                    Spread.of(mine.stream().map(l -> (double) l.wrk().p999()).toList());
            double offered = mine.getFirst().offered();
            double best = results.latencies().stream()
                    .filter(l -> l.scenario().equals(mine.getFirst().scenario()))
                    .mapToDouble(l -> l.wrk().requestsPerSecond())
                    .max()
                    .orElse(0);
            boolean keptUp = rps.median() >= Results.KEPT_UP * best;
            b.append(String.join(
                            ",",
                            mine.getFirst().scenario(),
                            mine.getFirst().server(),
                            String.valueOf(mine.size()),
                            fmt(offered, 0),
                            fmt(rps.median(), 0),
                            keptUp ? "yes" : "no",
                            fmt(p50.median(), 0),
                            fmt(p50.min(), 0),
                            fmt(p50.max(), 0),
                            fmt(p99.median(), 0),
                            fmt(p99.min(), 0),
                            fmt(p99.max(), 0),
                            fmt(p999.median(), 0),
                            String.valueOf(mine.stream()
                                    .mapToLong(l -> l.wrk().errors())
                                    .sum()),
                            fmt(
                                    Spread.of(mine.stream()
                                                    .map(LatencyRun::utilization)
                                                    .toList())
                                            .median(),
                                    3)))
                    .append('\n');
        }
        return b.toString();
    }

    /** memory.csv: per server and idle count, RSS and heap over the rounds, and what an idle connection costs. */
    static String memoryCsv(Results results) {
        StringBuilder mem = new StringBuilder(
                "server,idle,rss_kib,heap_used_kib,rss_bytes_per_idle_connection,heap_bytes_per_idle_connection,"
                        + "rounds,rss_min_kib,rss_max_kib,heap_used_min_kib,heap_used_max_kib\n");
        Set<String> keys = new LinkedHashSet<>();
        results.memory().forEach(m -> keys.add(m.server() + "\t" + m.idle()));
        for (String key : keys) {
            String server = key.split("\t")[0];
            int idle = Integer.parseInt(key.split("\t")[1]);
            Spread rss = results.memorySpread(server, idle, false);
            Spread heap = results.memorySpread(server, idle, true);
            Spread rssNone = results.memorySpread(server, 0, false);
            Spread heapNone = results.memorySpread(server, 0, true);
            boolean per = rssNone.n() > 0 && idle > 0;
            mem.append(String.join(
                            ",",
                            server,
                            String.valueOf(idle),
                            fmt(rss.median(), 0),
                            fmt(heap.median(), 0),
                            per ? fmt((rss.median() - rssNone.median()) * 1024.0 / idle, 0) : "",
                            per && heap.n() > 0 && heapNone.n() > 0
                                    ? fmt((heap.median() - heapNone.median()) * 1024.0 / idle, 0)
                                    : "",
                            String.valueOf(rss.n()),
                            fmt(rss.min(), 0),
                            fmt(rss.max(), 0),
                            fmt(heap.min(), 0),
                            fmt(heap.max(), 0)))
                    .append('\n');
        }
        return mem.toString();
    }

    /** allocation.csv: per server and scenario, the heap bytes a request allocates, over the rounds. */
    static String allocationCsv(Results results) {
        StringBuilder b = new StringBuilder("scenario,server,bytes_per_request,rounds,min,max\n");
        Set<String> keys = new LinkedHashSet<>();
        results.allocations().forEach(a -> keys.add(a.scenario() + "\t" + a.server()));
        for (String key : keys) {
            String scenario = key.split("\t")[0];
            String server = key.split("\t")[1];
            Spread s = results.allocationSpread(scenario, server);
            b.append(String.join(
                            ",",
                            scenario,
                            server,
                            fmt(s.median(), 1),
                            String.valueOf(s.n()),
                            fmt(s.min(), 1),
                            fmt(s.max(), 1)))
                    .append('\n');
        }
        return b.toString();
    }
}
