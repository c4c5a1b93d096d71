package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules that decide what a journey reports: medians and spread, impossible readings, bottleneck, ranking. */
class AggregationTest {

    private static WrkResult wrk(long requests, long errors, double wrkCpuSeconds) {
        return new WrkResult(requests, 1_000_000, requests * 300, 0, errors, 100, 200, 400, 800, 100, wrkCpuSeconds);
    }

    /** A run of one second on a one-CPU set. */
    private static Results.Run run(String server, int round, long requests, double serverCpu, double wrkCpu, long errors) {
        return new Results.Run("warp", 0, server, round, wrk(requests, errors, wrkCpu), 0, serverCpu, 1.0, 1, Map.of());
    }

    private static Results.Summary row(Results r, String server) {
        return r.summaries().stream().filter(s -> s.server().equals(server)).findFirst().orElseThrow();
    }

    private static Map<String, String> csvRow(Path file, String prefix) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] head = lines.getFirst().split(",", -1);
        String[] row = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().split(",", -1);
        assertThat(row).as("columns of " + prefix).hasSameSizeAs(head);
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < head.length; i++) {
            m.put(head[i], row[i]);
        }
        return m;
    }

    @Test
    void spreadIsMedianMinMaxIgnoringMissingReadings() {
        Results.Spread odd = Results.Spread.of(Arrays.asList(5.0, 1.0, Double.NaN, 3.0));
        assertThat(odd).isEqualTo(new Results.Spread(3.0, 1.0, 5.0, 3));
        Results.Spread even = Results.Spread.of(List.of(4.0, 1.0, 3.0, 2.0));
        assertThat(even.median()).isEqualTo(2.5);
        assertThat(Results.Spread.of(List.of(Double.NaN)).n()).isZero();
        assertThat(Results.Spread.of(List.of()).median()).isNaN();
    }

    @Test
    void cpuAndUtilizationAreMediansOverRounds() {
        Results r = new Results();
        r.add(run("stage", 1, 10_000, 0.90, 0.5, 0));
        r.add(run("stage", 2, 10_000, 1.00, 0.5, 0));
        r.add(run("stage", 3, 20_000, 0.95, 0.5, 0));
        Results.Summary s = row(r, "stage");
        assertThat(s.utilization().median()).isCloseTo(0.95, within(1e-9));
        assertThat(s.utilization().min()).isCloseTo(0.90, within(1e-9));
        assertThat(s.utilization().max()).isCloseTo(1.00, within(1e-9));
        // 90, 100 and 47.5 us per request: the median is 90, not the mean
        assertThat(s.cpuMicrosPerRequest().median()).isCloseTo(90.0, within(1e-6));
        assertThat(s.cpuMicrosPerRequest().min()).isCloseTo(47.5, within(1e-6));
        assertThat(s.cpuMicrosPerRequest().max()).isCloseTo(100.0, within(1e-6));
        assertThat(s.bound()).isEqualTo("server");
        assertThat(s.ranked()).isTrue();
    }

    @Test
    void impossibleReadingsFailInsteadOfBeingCharted() {
        assertThat(Results.impossible("netty", 1.5, 1.0, 1)).contains("netty used 1.50 CPU seconds per second on a CPU set of 1 CPU");
        assertThat(Results.impossible("netty", 1.09, 1.0, 1)).isNull(); // within the tolerance: 1 * 1.05 + 0.05
        assertThat(Results.impossible("netty", 1.11, 1.0, 1)).isNotNull();
        assertThat(Results.impossible("nginx", 3.9, 2.0, 2)).isNull();
        assertThat(Results.impossible("nginx", 4.5, 2.0, 2)).contains("2.25 CPU seconds per second on a CPU set of 2 CPUs");
        assertThat(Results.impossible("x", Double.NaN, 1.0, 1)).isNull();

        Results r = new Results();
        assertThatThrownBy(() -> r.add(run("netty", 1, 1000, 1.5, 0.5, 0))).hasMessageContaining("impossible reading");
        assertThat(r.runs).isEmpty();
        assertThat(r.summaries()).isEmpty();
    }

    @Test
    void boundSaysWhichSideWasTheLimit() {
        assertThat(Results.bound(0.97, 1, 0.99, 1)).isEqualTo("server");
        assertThat(Results.bound(0.64, 1, 0.99, 1)).isEqualTo("load-generator"); // the floor in close
        assertThat(Results.bound(0.64, 1, 0.40, 1)).isEqualTo("neither");
        assertThat(Results.bound(0.64, 1, Double.NaN, 1)).isEqualTo("neither");
        assertThat(Results.bound(1.5, 2, 0.99, 1)).isEqualTo("load-generator");
        assertThat(Results.bound(1.8, 2, 0.2, 1)).isEqualTo("server");
        assertThat(Results.bound(Double.NaN, 1, 0.5, 1)).isEqualTo("unknown");
    }

    @Test
    void aServerThatWasNotTheBottleneckIsNotRanked(@TempDir Path dir) throws Exception {
        Results r = new Results();
        for (int round = 1; round <= 3; round++) {
            r.add(run("stage", round, 30_000, 0.98, 0.6, 0));
            r.add(run("nginx", round, 60_000, 0.55, 0.99, 0)); // wrk saturated, nginx half idle
            r.add(run("floor", round, 50_000, 0.60, 0.99, 0));
        }
        Results.Summary nginx = row(r, "nginx");
        assertThat(nginx.bound()).isEqualTo("load-generator");
        assertThat(nginx.ranked()).isFalse();
        assertThat(nginx.unranked()).contains("wrk saturated");
        assertThat(nginx.vsNginx()).isNaN();
        Results.Summary stage = row(r, "stage");
        assertThat(stage.ranked()).isTrue();
        assertThat(stage.vsNginx()).isEqualTo(0.5); // kept, but only an upper bound: nginx could have gone faster
        assertThat(stage.ratioNote()).contains("nginx not server-bound: vs_nginx is an upper bound");

        r.write(dir);
        Map<String, String> csv = csvRow(dir.resolve("summary.csv"), "warp,0,nginx,");
        assertThat(csv).containsEntry("bound", "load-generator").containsEntry("ranked", "no").containsEntry("vs_nginx", "")
                .containsEntry("utilization", "0.550").containsEntry("wrk_utilization", "0.990").containsEntry("server_cpus", "1");
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,stage,")).containsEntry("ranked", "yes").containsEntry("vs_nginx", "0.50");
        assertThat(r.table()).contains("nginx *").contains("warp nginx: not server-bound: wrk saturated");
    }

    @Test
    void aServerWithErrorsIsNotRankedAndNothingIsRankedAgainstIt(@TempDir Path dir) throws Exception {
        Results r = new Results();
        for (int round = 1; round <= 3; round++) {
            r.add(run("stage", round, 30_000, 0.98, 0.6, 0));
            r.add(run("jwebserver", round, 20_000, 0.99, 0.6, round == 2 ? 1 : 0)); // one socket error in one round
            r.add(run("nginx", round, 40_000, 0.97, 0.6, 0));
        }
        Results.Summary jws = row(r, "jwebserver");
        assertThat(jws.errors()).isEqualTo(1);
        assertThat(jws.ranked()).isFalse();
        assertThat(jws.unranked()).isEqualTo("1 errors");
        assertThat(jws.vsNginx()).isNaN();
        assertThat(row(r, "stage").vsNginx()).isEqualTo(0.75);
        assertThat(row(r, "nginx").vsNginx()).isEqualTo(1.0);
        r.write(dir);
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,jwebserver,")).containsEntry("ranked", "no")
                .containsEntry("unranked_reason", "1 errors").containsEntry("vs_nginx", "").containsEntry("errors", "1");

        Results peerWithErrors = new Results();
        peerWithErrors.add(run("stage", 1, 30_000, 0.98, 0.6, 0));
        peerWithErrors.add(run("nginx", 1, 40_000, 0.97, 0.6, 5));
        assertThat(row(peerWithErrors, "stage").vsNginx()).isNaN();
        assertThat(row(peerWithErrors, "stage").ratioNote()).contains("nginx not ranked (5 errors): no ratio");
    }

    @Test
    void steadyWarmUpDecidesWhetherRatiosArePrinted() {
        assertThat(Results.steady(List.of(11_700.0))).isFalse();
        assertThat(Results.steady(List.of(11_700.0, 30_000.0))).isFalse();
        assertThat(Results.steady(List.of(11_700.0, 30_000.0, 35_000.0, 36_000.0))).isTrue(); // 2.8%
        assertThat(Results.steady(List.of(36_000.0, 34_000.0))).isFalse(); // 5.6%
        assertThat(Results.steady(List.of(0.0, 0.0))).isFalse();

        Results r = new Results();
        r.warmups.add(new Results.WarmUp("warp", 0, "stage", 1, 2, 11_700));
        r.warmups.add(new Results.WarmUp("warp", 0, "stage", 2, 2, 25_000));
        r.warmups.add(new Results.WarmUp("warp", 0, "nginx", 1, 2, 70_000));
        r.warmups.add(new Results.WarmUp("warp", 0, "nginx", 2, 2, 71_000));
        r.add(run("stage", 1, 30_000, 0.98, 0.6, 0));
        r.add(run("nginx", 1, 70_000, 0.98, 0.6, 0));
        Results.Summary stage = row(r, "stage");
        assertThat(stage.steady()).isFalse();
        assertThat(stage.warmupRuns()).isEqualTo(2);
        assertThat(stage.unranked()).isEqualTo("warm-up not steady after 2 runs");
        assertThat(stage.vsNginx()).isNaN();
        assertThat(row(r, "nginx").steady()).isTrue();
        assertThat(r.table()).contains("stage *").contains("warm-up not steady");
    }

    @Test
    void syscallFiguresAreMediansOverStraceRoundsWithTimePerCall(@TempDir Path dir) throws Exception {
        Results r = new Results();
        r.add(run("stage", 1, 30_000, 0.98, 0.6, 0));
        r.costs.add(new Results.Cost("warp", 0, "stage", 1, 50, 1000, Map.of("poll", new Results.Syscall(1000, 0, 0.010),
                "read", new Results.Syscall(2000, 1000, 0.002))));
        r.costs.add(new Results.Cost("warp", 0, "stage", 2, 50, 2000, Map.of("poll", new Results.Syscall(2000, 0, 0.030))));
        r.costs.add(new Results.Cost("warp", 0, "stage", 3, 50, 1000, Map.of("poll", new Results.Syscall(1200, 0, 0.024),
                "read", new Results.Syscall(1000, 0, 0.001))));
        Results.SyscallStat poll = r.syscallStats("warp", "stage").stream().filter(s -> s.name().equals("poll")).findFirst().orElseThrow();
        assertThat(poll.perRequest().median()).isCloseTo(1.0, within(1e-9)); // 1.0, 1.0, 1.2
        assertThat(poll.usecsPerCall().median()).isCloseTo(15.0, within(1e-9)); // 10, 15, 20
        assertThat(poll.usecsPerCall().min()).isCloseTo(10.0, within(1e-9));
        assertThat(poll.usecsPerCall().max()).isCloseTo(20.0, within(1e-9));
        Results.SyscallStat read = r.syscallStats("warp", "stage").stream().filter(s -> s.name().equals("read")).findFirst().orElseThrow();
        assertThat(read.perRequest().median()).isCloseTo(1.0, within(1e-9)); // 2.0, 0 (absent), 1.0
        assertThat(read.perRequest().min()).isZero();
        assertThat(r.syscallsPerRequest("warp", "stage").median()).isCloseTo(2.2, within(1e-9)); // 3.0, 1.0, 2.2

        r.write(dir);
        assertThat(csvRow(dir.resolve("syscalls.csv"), "warp,stage,poll,")).containsEntry("usecs_per_call", "15.00")
                .containsEntry("per_request", "1.000").containsEntry("connections", "50").containsEntry("rounds", "3")
                .containsEntry("usecs_per_request", "15.000");
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,stage,")).containsEntry("strace_connections", "50")
                .containsEntry("strace_rounds", "3").containsEntry("syscalls_per_req", "2.20").containsEntry("syscalls_per_req_min", "1.00");
        assertThat(r.table()).contains("warp on 50 connections");
    }

    @Test
    void memoryIsTheMedianOverRounds(@TempDir Path dir) throws Exception {
        Results r = new Results();
        long[] rss = {200_000, 210_000, 190_000};
        for (int round = 1; round <= 3; round++) {
            r.memory.add(new Results.Memory("stage", 0, round, rss[round - 1], 2000));
            r.memory.add(new Results.Memory("stage", 100, round, rss[round - 1] + 1000 * round, 2000 + 100 * round));
        }
        r.write(dir);
        assertThat(csvRow(dir.resolve("memory.csv"), "stage,100,")).containsEntry("rss_kib", "201000").containsEntry("rss_min_kib", "193000")
                .containsEntry("rss_max_kib", "212000").containsEntry("heap_used_kib", "2200").containsEntry("rounds", "3")
                .containsEntry("rss_bytes_per_idle_connection", String.valueOf((201_000 - 200_000) * 1024 / 100))
                .containsEntry("heap_bytes_per_idle_connection", "2048");
    }

    @Test
    void netCountersAreReadAsNstatNamesThemAndRecordedAsDeltas(@TempDir Path dir) throws Exception {
        Map<String, Long> before = NetCounters.parse("""
                TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPSynRetrans
                TcpExt: 0 7 9 3
                """);
        assertThat(before).containsEntry("TcpExtListenOverflows", 7L).containsEntry("TcpExtTCPSynRetrans", 3L);
        Map<String, Long> after = NetCounters.parse("""
                TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPSynRetrans
                TcpExt: 0 19 21 9
                Tcp: RtoAlgorithm RetransSegs
                Tcp: 1 5
                """);
        Map<String, Long> delta = NetCounters.delta(before, after);
        assertThat(delta).containsEntry("TcpExtListenOverflows", 12L).containsEntry("TcpExtListenDrops", 12L)
                .containsEntry("TcpExtTCPSynRetrans", 6L).doesNotContainKey("TcpRetransSegs");
        assertThat(NetCounters.read()).containsKeys("TcpExtListenOverflows", "TcpRetransSegs"); // Linux

        Results r = new Results();
        r.add(new Results.Run("warp", 0, "stage", 1, wrk(1000, 0, 0.5), 0, 0.9, 1.0, 1, delta));
        r.add(new Results.Run("warp", 0, "stage", 2, wrk(1000, 0, 0.5), 0, 0.9, 1.0, 1, delta));
        r.write(dir);
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,stage,")).containsEntry("listen_overflows", "24")
                .containsEntry("syn_retrans", "12").containsEntry("retrans_segs", "");
        assertThat(csvRow(dir.resolve("runs.csv"), "warp,0,stage,1,")).containsEntry("listen_drops", "12")
                .containsEntry("utilization", "0.900").containsEntry("wrk_cpu_s", "0.500").containsEntry("bound", "server");
    }

    @Test
    void wrkCpuTimeComesFromBashTimes() {
        assertThat(Wrk.childCpuSeconds("JOURNEY {...}\nJOURNEY-TIMES\n0m0.004s 0m0.002s\n1m1.250s 0m0.500s\n")).isCloseTo(61.75, within(1e-9));
        assertThat(Wrk.childCpuSeconds("no times here")).isNaN();
    }

    @Test
    void percentilesAreNearestRank() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertThat(Slowloris.percentile(v, 50)).isEqualTo(50);
        assertThat(Slowloris.percentile(v, 99)).isEqualTo(99);
        assertThat(Slowloris.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(Slowloris.percentile(new long[0], 50)).isZero();
    }
}
