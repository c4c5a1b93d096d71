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
    private static Run run(String server, int round, long requests, double serverCpu, double wrkCpu, long errors) {
        return new Run("warp", 0, server, round, wrk(requests, errors, wrkCpu), 0, serverCpu, 1.0, 1, Map.of());
    }

    private static Summary row(Results r, String server) {
        return r.summaries().stream()
                .filter(s -> s.server().equals(server))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, String> csvRow(Path file, String prefix) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] head = lines.getFirst().split(",", -1);
        String[] row = lines.stream()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .split(",", -1);
        assertThat(row).as("columns of " + prefix).hasSameSizeAs(head);
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < head.length; i++) {
            m.put(head[i], row[i]);
        }
        return m;
    }

    @Test
    void spreadIsMedianMinMaxIgnoringMissingReadings() {
        Spread odd = Spread.of(Arrays.asList(5.0, 1.0, Double.NaN, 3.0));
        assertThat(odd).isEqualTo(new Spread(3.0, 1.0, 5.0, 3));
        Spread even = Spread.of(List.of(4.0, 1.0, 3.0, 2.0));
        assertThat(even.median()).isEqualTo(2.5);
        assertThat(Spread.of(List.of(Double.NaN)).n()).isZero();
        assertThat(Spread.of(List.of()).median()).isNaN();
    }

    @Test
    void cpuAndUtilizationAreMediansOverRounds() {
        Results r = new Results();
        r.add(run("stage", 1, 10_000, 0.90, 0.5, 0));
        r.add(run("stage", 2, 10_000, 1.00, 0.5, 0));
        r.add(run("stage", 3, 20_000, 0.95, 0.5, 0));
        Summary s = row(r, "stage");
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
        assertThat(Results.impossible("netty", 1.5, 1.0, 1))
                .contains("netty used 1.50 CPU seconds per second on a CPU set of 1 CPU");
        assertThat(Results.impossible("netty", 1.09, 1.0, 1)).isNull(); // within the tolerance: 1 * 1.05 + 0.05
        assertThat(Results.impossible("netty", 1.11, 1.0, 1)).isNotNull();
        assertThat(Results.impossible("nginx", 3.9, 2.0, 2)).isNull();
        assertThat(Results.impossible("nginx", 4.5, 2.0, 2))
                .contains("2.25 CPU seconds per second on a CPU set of 2 CPUs");
        assertThat(Results.impossible("x", Double.NaN, 1.0, 1)).isNull();

        Results r = new Results();
        assertThatThrownBy(() -> r.add(run("netty", 1, 1000, 1.5, 0.5, 0))).hasMessageContaining("impossible reading");
        assertThat(r.runs()).isEmpty();
        assertThat(r.summaries()).isEmpty();
    }

    /** A run of one second on a one-CPU set, held to half a core and throttled in this share of its periods. */
    private static Run quotaRun(
            String server, int round, long requests, double throttledShare, double wrkCpu, double steal) {
        return new Run(
                "warp",
                0,
                server,
                round,
                wrk(requests, 0, wrkCpu),
                0,
                0.5,
                1.0,
                1,
                Map.of(),
                0.5,
                new CpuBudget.Throttling(100, Math.round(throttledShare * 100)),
                steal);
    }

    @Test
    void boundSaysWhichSideWasTheLimitCheckingWrkFirst() {
        // Without a quota: the server is the limit when it keeps 85% of its CPUs busy, unless wrk was saturated.
        assertThat(Results.classify(0.60, false, Double.NaN, 0.97, Double.NaN)).isEqualTo("server");
        assertThat(Results.classify(0.99, false, Double.NaN, 0.64, Double.NaN))
                .isEqualTo("load-generator"); // the floor in close
        // nginx's warp rounds of the old instrument: server 0.93, wrk 0.97 busy. wrk is checked first: not
        // server-bound.
        assertThat(Results.classify(0.97, false, Double.NaN, 0.93, Double.NaN)).isEqualTo("load-generator");
        assertThat(Results.classify(0.40, false, Double.NaN, 0.64, Double.NaN)).isEqualTo("neither");
        assertThat(Results.classify(Double.NaN, false, Double.NaN, 0.64, Double.NaN))
                .isEqualTo("neither");
        assertThat(Results.classify(0.5, false, Double.NaN, Double.NaN, Double.NaN))
                .isEqualTo("unknown");
        // With a quota: the server is the limit when it was throttled in at least half of its periods.
        assertThat(Results.classify(0.70, true, 0.95, 0.50, Double.NaN)).isEqualTo("server");
        assertThat(Results.classify(0.70, true, 0.20, 0.30, Double.NaN)).isEqualTo("neither");
        assertThat(Results.classify(0.95, true, 0.95, 0.50, Double.NaN)).isEqualTo("load-generator");
        // Servers and wrk on the same two CPUs, 1.80-1.96 of 2 busy together: the shared set, not "neither".
        assertThat(Results.classify(0.70, false, Double.NaN, 0.62, (1.24 + 0.70) / 2))
                .isEqualTo("cpu-set");
        assertThat(Results.classify(0.40, false, Double.NaN, 0.62, (1.24 + 0.40) / 2))
                .isEqualTo("neither");
    }

    @Test
    void aRunWhoseWrkIsSaturatedIsNeverRanked(@TempDir Path dir) throws Exception {
        Results r = new Results();
        for (int round = 1; round <= 5; round++) {
            r.add(run("stage", round, 30_000, 0.98, 0.6, 0));
            r.add(run("nginx", round, 60_000, 0.93, 0.97, 0)); // busy, but wrk too: wrk may have set the pace
            r.add(quotaRun(
                    "floor", round, 50_000, 1.0, 0.95, 0)); // throttled every period, and wrk saturated all the same
        }
        for (String server : List.of("nginx", "floor")) {
            Summary s = row(r, server);
            assertThat(s.bound()).isEqualTo("load-generator");
            assertThat(s.serverBoundRounds()).isZero();
            assertThat(s.ranked()).isFalse();
            assertThat(s.unranked()).contains("not server-bound in 5 of 5 rounds (wrk saturated in 5)");
            assertThat(s.vsNginx()).isNaN();
        }
        // Nothing is ranked against them either: no round had both servers at their limit.
        Summary stage = row(r, "stage");
        assertThat(stage.ranked()).isTrue();
        assertThat(stage.vsNginx()).isNaN();
        assertThat(stage.ratioNote())
                .contains("only 0 rounds in which both it and nginx were at their limit: no vs_nginx");

        r.write(dir);
        Map<String, String> csv = csvRow(dir.resolve("summary.csv"), "warp,0,nginx,");
        assertThat(csv)
                .containsEntry("bound", "load-generator")
                .containsEntry("ranked", "no")
                .containsEntry("vs_nginx", "")
                .containsEntry("vs_nginx_lo", "")
                .containsEntry("utilization", "0.930")
                .containsEntry("wrk_utilization", "0.970")
                .containsEntry("server_bound_rounds", "0")
                .containsEntry("cpu_quota", "none");
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,floor,"))
                .containsEntry("cpu_quota", "0.50")
                .containsEntry("throttled", "1.000");
        assertThat(csvRow(dir.resolve("runs.csv"), "warp,0,floor,1,"))
                .containsEntry("bound", "load-generator")
                .containsEntry("periods", "100")
                .containsEntry("throttled_periods", "100")
                .containsEntry("cpu_quota", "0.50");
        assertThat(r.table())
                .contains("nginx *")
                .contains("warp nginx: not server-bound in 5 of 5 rounds (wrk saturated in 5)");
    }

    @Test
    void ratiosAreMediansOfPerRoundRatiosOverRoundsWhereBothWereAtTheirQuota(@TempDir Path dir) throws Exception {
        Results r = new Results();
        double[] stage = {60_000, 62_000, 58_000, 64_000, 61_000};
        double[] nginx = {40_000, 35_000, 40_000, 32_000, 20_000};
        for (int round = 1; round <= 5; round++) {
            r.add(quotaRun("stage", round, (long) stage[round - 1], 0.97, 0.6, 0.001));
            // Round 5: nginx was throttled in only a tenth of its periods (something else held it): that pair is left
            // out.
            r.add(quotaRun(
                    "nginx", round, (long) nginx[round - 1], round == 5 ? 0.1 : 0.96, 0.5, round == 3 ? 0.08 : 0.001));
        }
        Summary s = row(r, "stage");
        // Rounds 1-4: 1.50, 1.77, 1.45, 2.00; the median 1.64, the interval their min-max (fewer than 7 rounds).
        assertThat(s.nginx().rounds()).isEqualTo(4);
        assertThat(s.vsNginx()).isCloseTo((62_000 / 35_000.0 + 1.5) / 2, within(1e-9));
        assertThat(s.nginx().lo()).isCloseTo(1.45, within(1e-9));
        assertThat(s.nginx().hi()).isCloseTo(2.0, within(1e-9));
        assertThat(s.nginx().method()).isEqualTo("min-max");
        // Same CPU in every round (0.5 s): nginx's CPU per request over the stage's is the throughput ratio.
        assertThat(s.cpuNginx().median()).isCloseTo(s.vsNginx(), within(1e-9));
        // nginx itself: 4 of 5 rounds at its limit, a majority: ranked.
        assertThat(row(r, "nginx").ranked()).isTrue();
        assertThat(row(r, "nginx").serverBoundRounds()).isEqualTo(4);
        // Steal: round 3 lost 8% of the CPUs' time; flagged, and said.
        assertThat(row(r, "nginx").stealFlagged()).isEqualTo(1);
        assertThat(row(r, "nginx").ratioNote()).contains("1 of 5 rounds lost more than 5% of their CPU time to steal");
        r.write(dir);
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,stage,"))
                .containsEntry("vs_nginx", "1.64")
                .containsEntry("vs_nginx_lo", "1.45")
                .containsEntry("vs_nginx_hi", "2.00")
                .containsEntry("ratio_rounds", "4")
                .containsEntry("ratio_interval", "min-max")
                .containsEntry("latency_throttled", "yes")
                .containsEntry("steal_flagged_rounds", "0");
        assertThat(csvRow(dir.resolve("runs.csv"), "warp,0,nginx,3,"))
                .containsEntry("steal", "0.0800")
                .containsEntry("steal_flagged", "yes");
        assertThat(r.table()).contains("1.64 (1.45-2.00)");
    }

    @Test
    void fromSevenRoundsTheIntervalIsABootstrapOne() {
        List<Double> rounds = List.of(1.50, 1.62, 1.70, 1.58, 1.66, 1.90, 1.55, 1.61, 1.64);
        Results.Ratio r = Results.Ratio.of(rounds);
        assertThat(r.median()).isEqualTo(1.62);
        assertThat(r.method()).isEqualTo("bootstrap-90");
        // Inside the rounds' range, around the median, narrower than min-max: the outlier 1.90 is rarely a resample's
        // median.
        assertThat(r.lo()).isBetween(1.50, 1.62);
        assertThat(r.hi()).isBetween(1.62, 1.90);
        assertThat(r.hi()).isLessThan(1.90);
        assertThat(Results.Ratio.of(rounds)).isEqualTo(r); // the same rounds, the same interval
        assertThat(Results.Ratio.of(List.of(1.2, 1.4, 1.3))).isEqualTo(new Results.Ratio(1.3, 1.2, 1.4, 3, "min-max"));
        assertThat(Results.Ratio.of(List.of()).median()).isNaN();
    }

    @Test
    void c10kIsJudgedAgainstNginxInTheSameRoundsNotAgainstItsOwnEarlierPass(@TempDir Path dir) throws Exception {
        Results r = new Results();
        for (int round = 1; round <= 3; round++) {
            // Idle 0 ran in a slow minute of the machine, idle 10,000 in a fast one: both servers look faster with
            // 10,000 held.
            r.add(new Run("c10k", 0, "stage", round, wrk(30_000, 0, 0.5), 0, 0.98, 1.0, 1, Map.of()));
            r.add(new Run("c10k", 0, "nginx", round, wrk(30_000, 0, 0.5), 0, 0.98, 1.0, 1, Map.of()));
            r.add(new Run("c10k", 10_000, "stage", round, wrk(33_000, 0, 0.5), 10_000, 0.98, 1.0, 1, Map.of()));
            r.add(new Run("c10k", 10_000, "nginx", round, wrk(40_000, 0, 0.5), 10_000, 0.98, 1.0, 1, Map.of()));
        }
        r.write(dir);
        Map<String, String> stage = csvRow(dir.resolve("c10k.csv"), "stage,10000,");
        assertThat(stage).containsEntry("fraction_of_no_idle", "1.100"); // above 1: drift, not a gain
        assertThat(stage).containsEntry("vs_nginx", "0.825").containsEntry("kept_vs_nginx", "0.825");
        assertThat(csvRow(dir.resolve("c10k.csv"), "nginx,10000,")).containsEntry("kept_vs_nginx", "1.000");
    }

    @Test
    void aServerWithErrorsIsNotRankedAndNothingIsRankedAgainstIt(@TempDir Path dir) throws Exception {
        Results r = new Results();
        for (int round = 1; round <= 3; round++) {
            r.add(run("stage", round, 30_000, 0.98, 0.6, 0));
            r.add(run("jwebserver", round, 20_000, 0.99, 0.6, round == 2 ? 1 : 0)); // one socket error in one round
            r.add(run("nginx", round, 40_000, 0.97, 0.6, 0));
        }
        Summary jws = row(r, "jwebserver");
        assertThat(jws.errors()).isEqualTo(1);
        assertThat(jws.ranked()).isFalse();
        assertThat(jws.unranked()).isEqualTo("1 errors");
        assertThat(jws.vsNginx()).isNaN();
        assertThat(row(r, "stage").vsNginx()).isEqualTo(0.75);
        assertThat(row(r, "nginx").vsNginx()).isEqualTo(1.0);
        r.write(dir);
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,jwebserver,"))
                .containsEntry("ranked", "no")
                .containsEntry("unranked_reason", "1 errors")
                .containsEntry("vs_nginx", "")
                .containsEntry("errors", "1");

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
        // Still rising: 35,000 is 17% above the best before it.
        assertThat(Results.steady(List.of(11_700.0, 30_000.0, 35_000.0))).isFalse();
        // 36,000 is 2.9% above 35,000, and 34,000 below it: the JIT is done.
        assertThat(Results.steady(List.of(11_700.0, 30_000.0, 35_000.0, 36_000.0, 34_000.0)))
                .isTrue();
        // nginx in manyfiles on the shared machine: no JIT, a third up and down between runs. Not rising: steady.
        assertThat(Results.steady(List.of(39_371.0, 29_209.0, 25_430.0))).isTrue();
        // Two runs that agree are not enough when the second still beats the best by more than 5%.
        assertThat(Results.steady(List.of(10_000.0, 20_000.0, 21_500.0))).isFalse();
        assertThat(Results.steady(List.of(0.0, 0.0, 0.0))).isFalse();

        Results r = new Results();
        r.add(new WarmUp("warp", 0, "stage", 1, 2, 11_700));
        r.add(new WarmUp("warp", 0, "stage", 2, 2, 25_000));
        r.add(new WarmUp("warp", 0, "nginx", 1, 2, 70_000));
        r.add(new WarmUp("warp", 0, "nginx", 2, 2, 71_000));
        r.add(new WarmUp("warp", 0, "nginx", 3, 2, 69_000));
        r.add(run("stage", 1, 30_000, 0.98, 0.6, 0));
        r.add(run("nginx", 1, 70_000, 0.98, 0.6, 0));
        Summary stage = row(r, "stage");
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
        r.add(new Cost(
                "warp",
                0,
                "stage",
                1,
                50,
                1000,
                Map.of("poll", new Syscall(1000, 0, 0.010), "read", new Syscall(2000, 1000, 0.002))));
        r.add(new Cost("warp", 0, "stage", 2, 50, 2000, Map.of("poll", new Syscall(2000, 0, 0.030))));
        r.add(new Cost(
                "warp",
                0,
                "stage",
                3,
                50,
                1000,
                Map.of("poll", new Syscall(1200, 0, 0.024), "read", new Syscall(1000, 0, 0.001))));
        SyscallStat poll = r.syscallStats("warp", "stage").stream()
                .filter(s -> s.name().equals("poll"))
                .findFirst()
                .orElseThrow();
        assertThat(poll.perRequest().median()).isCloseTo(1.0, within(1e-9)); // 1.0, 1.0, 1.2
        assertThat(poll.usecsPerCall().median()).isCloseTo(15.0, within(1e-9)); // 10, 15, 20
        assertThat(poll.usecsPerCall().min()).isCloseTo(10.0, within(1e-9));
        assertThat(poll.usecsPerCall().max()).isCloseTo(20.0, within(1e-9));
        SyscallStat read = r.syscallStats("warp", "stage").stream()
                .filter(s -> s.name().equals("read"))
                .findFirst()
                .orElseThrow();
        assertThat(read.perRequest().median()).isCloseTo(1.0, within(1e-9)); // 2.0, 0 (absent), 1.0
        assertThat(read.perRequest().min()).isZero();
        assertThat(r.syscallsPerRequest("warp", "stage").median()).isCloseTo(2.2, within(1e-9)); // 3.0, 1.0, 2.2

        r.write(dir);
        assertThat(csvRow(dir.resolve("syscalls.csv"), "warp,stage,poll,"))
                .containsEntry("usecs_per_call", "15.00")
                .containsEntry("per_request", "1.000")
                .containsEntry("connections", "50")
                .containsEntry("rounds", "3")
                .containsEntry("usecs_per_request", "15.000");
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,stage,"))
                .containsEntry("strace_connections", "50")
                .containsEntry("strace_rounds", "3")
                .containsEntry("syscalls_per_req", "2.20")
                .containsEntry("syscalls_per_req_min", "1.00");
        assertThat(r.table()).contains("warp on 50 connections");
    }

    @Test
    void memoryIsTheMedianOverRounds(@TempDir Path dir) throws Exception {
        Results r = new Results();
        long[] rss = {200_000, 210_000, 190_000};
        for (int round = 1; round <= 3; round++) {
            r.add(new Memory("stage", 0, round, rss[round - 1], 2000));
            r.add(new Memory("stage", 100, round, rss[round - 1] + 1000 * round, 2000 + 100 * round));
        }
        r.write(dir);
        assertThat(csvRow(dir.resolve("memory.csv"), "stage,100,"))
                .containsEntry("rss_kib", "201000")
                .containsEntry("rss_min_kib", "193000")
                .containsEntry("rss_max_kib", "212000")
                .containsEntry("heap_used_kib", "2200")
                .containsEntry("rounds", "3")
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
        assertThat(delta)
                .containsEntry("TcpExtListenOverflows", 12L)
                .containsEntry("TcpExtListenDrops", 12L)
                .containsEntry("TcpExtTCPSynRetrans", 6L)
                .doesNotContainKey("TcpRetransSegs");
        assertThat(NetCounters.read()).containsKeys("TcpExtListenOverflows", "TcpRetransSegs"); // Linux

        Results r = new Results();
        r.add(new Run("warp", 0, "stage", 1, wrk(1000, 0, 0.5), 0, 0.9, 1.0, 1, delta));
        r.add(new Run("warp", 0, "stage", 2, wrk(1000, 0, 0.5), 0, 0.9, 1.0, 1, delta));
        r.write(dir);
        assertThat(csvRow(dir.resolve("summary.csv"), "warp,0,stage,"))
                .containsEntry("listen_overflows", "24")
                .containsEntry("syn_retrans", "12")
                .containsEntry("retrans_segs", "");
        assertThat(csvRow(dir.resolve("runs.csv"), "warp,0,stage,1,"))
                .containsEntry("listen_drops", "12")
                .containsEntry("utilization", "0.900")
                .containsEntry("wrk_cpu_s", "0.500")
                .containsEntry("bound", "server");
    }

    @Test
    void wrkCpuTimeComesFromBashTimes() {
        assertThat(Wrk.childCpuSeconds("JOURNEY {...}\nJOURNEY-TIMES\n0m0.004s 0m0.002s\n1m1.250s 0m0.500s\n"))
                .isCloseTo(61.75, within(1e-9));
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
