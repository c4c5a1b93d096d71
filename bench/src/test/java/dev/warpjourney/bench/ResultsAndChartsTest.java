package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsAndChartsTest {

    private static WrkResult wrk(long requests, long p50) {
        return new WrkResult(requests, 1_000_000, requests * 300, 0, 0, p50, p50 * 2, p50 * 4, p50 * 8, p50);
    }

    private static Syscall call(long n) {
        return new Syscall(n, 0, n * 2e-6);
    }

    private static Results sample() {
        Results r = new Results();
        int[] rounds = {1, 2, 3};
        for (int round : rounds) {
            r.add(new Run(
                    "warp", 0, "stage-01-naive", round, wrk(10_000 + round * 1000, 900), 0, 0.95, 1.0, 1, Map.of()));
            r.add(new Run("warp", 0, "nginx", round, wrk(40_000, 300), 0, 0.9, 1.0, 1, Map.of()));
            r.add(new Run("warp", 0, "floor", round, wrk(50_000, 0), 0, 0.97, 1.0, 1, Map.of()));
            for (int idle : new int[] {0, 100}) {
                r.add(new Run("c10k", idle, "stage-01-naive", round, wrk(idle == 0 ? 20_000 : 10_000, 100), idle));
                r.add(new Run("c10k", idle, "nginx", round, wrk(40_000, 50), idle));
            }
        }
        r.add(new Cost(
                "warp",
                0,
                "stage-01-naive",
                1,
                50,
                1000,
                Map.of("read", call(1000), "write", call(2000), "sendfile", call(1000))));
        r.add(new Cost("warp", 0, "nginx", 1, 50, 1000, Map.of("recvfrom", call(1000), "writev", call(1000))));
        return r;
    }

    @Test
    void mediansAndPerRoundRatios() {
        Results r = sample();
        Summary stage = r.summaries().stream()
                .filter(s -> s.scenario().equals("warp") && s.server().equals("stage-01-naive"))
                .findFirst()
                .orElseThrow();
        assertThat(stage.median()).isEqualTo(12_000);
        assertThat(stage.min()).isEqualTo(11_000);
        assertThat(stage.max()).isEqualTo(13_000);
        assertThat(stage.vsNginx()).isEqualTo(0.3);
        assertThat(stage.vsFloor()).isEqualTo(12_000 / 50_000.0);
        assertThat(Results.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(r.costs("warp", "stage-01-naive").getFirst().syscallsPerRequest())
                .isEqualTo(4.0);
    }

    @Test
    void writesCsvAndWellFormedSvgCharts(@TempDir Path dir) throws Exception {
        Results r = sample();
        r.write(dir);
        List<Path> charts = Charts.write(r, dir);
        assertThat(charts)
                .extracting(p -> p.getFileName().toString())
                .contains("throughput-warp.svg", "latency-warp.svg", "syscalls-warp.svg", "cpu-warp.svg", "c10k.svg");
        for (Path svg : charts) {
            assertThat(Svg.root(svg)).isEqualTo("svg");
        }
        assertThat(Files.readAllLines(dir.resolve("c10k.csv")))
                .anyMatch(l -> l.startsWith("stage-01-naive,100,10000,0.500,"));
        assertThat(Files.readString(dir.resolve("summary.csv")))
                .contains("warp,0,stage-01-naive,3,12000,11000,13000,0.30,0.24,900,");
        assertThat(Files.readString(dir.resolve("syscalls.csv"))).contains("warp,stage-01-naive,write,2000,2.000");
    }

    @Test
    void parsesWrkAndStrace() {
        WrkResult w = WrkResult.parse(
                "noise\nJOURNEY {\"requests\":1000,\"duration_us\":2000000,\"bytes\":5,\"connect\":1,\"read\":2,"
                        + "\"write\":0,\"status\":3,\"timeout\":4,\"p50\":10,\"p90\":20,\"p99\":30,\"p999\":40,\"mean\":12.5}\n");
        assertThat(w.requestsPerSecond()).isEqualTo(500.0);
        assertThat(w.socketErrors()).isEqualTo(7);
        assertThat(w.nonSuccess()).isEqualTo(3);
        Map<String, Syscall> calls = Costs.Strace.parse("""
                % time     seconds  usecs/call     calls    errors syscall
                ------ ----------- ----------- --------- --------- ----------------
                 60.00    0.060000           6     10000           write
                 40.00    0.040000           4     10000      9999 read
                ------ ----------- ----------- --------- --------- ----------------
                100.00    0.100000           5     20000      9999 total
                """);
        assertThat(calls)
                .containsExactly(
                        Map.entry("write", new Syscall(10000, 0, 0.06)),
                        Map.entry("read", new Syscall(10000, 9999, 0.04)));
        assertThat(calls.get("read").usecsPerCall()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void corpusIsDeterministic(@TempDir Path dir) throws Exception {
        Corpus.ensure(dir);
        assertThat(Files.size(dir.resolve("index.html"))).isEqualTo(151);
        assertThat(Files.size(dir.resolve("1m.bin"))).isEqualTo(1 << 20);
        assertThat(Files.readAllLines(dir.resolve("paths.txt"))).hasSize(Corpus.MANY_FILES);
        long size = Files.size(dir.resolve(Corpus.manyFilePath(1234).substring(1)));
        assertThat(size).isBetween(1024L, 8192L);
        assertThat(Corpus.bytes(100, 7)).isEqualTo(Corpus.bytes(100, 7));
    }
}
