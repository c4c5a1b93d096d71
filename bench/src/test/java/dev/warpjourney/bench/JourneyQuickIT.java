package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journey's --quick run, as CI runs it: stage 01 and the floor, every scenario. It asserts that
 * well-formed results and charts appear, never a speed: CI machines are too noisy for that.
 */
class JourneyQuickIT {

    @Test
    @Timeout(900)
    void quickJourneyWritesResultsAndCharts() throws Exception {
        assumeTrue(Wrk.onPath("wrk") || DockerWrk.available(), "neither wrk nor Docker: the journey cannot run here");
        assumeTrue(
                Wrk.onPath("strace") && Wrk.onPath("taskset"),
                "the journey needs strace and taskset (.ci/run installs them)");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path out = repo.resolve("bench/target/journey-quick");
        // At most three warm-up runs per server here (the steady-state rule itself is unit-tested in AggregationTest).
        Options options = Options.parse(
                new String[] {
                    "--quick", "--warmup-runs", "3", "--servers", "stage-01-naive,floor", "--out", out.toString()
                },
                repo,
                Launcher.stagesFound(repo));
        int status = Journey.run(options);

        // On an overloaded machine a server under strace may answer too few requests for system-call
        // figures; the harness reports that as a failure (exit 1), which this test accepts: it checks
        // that results are well formed, not how fast the machine is. Nothing else may fail.
        List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
        assertThat(failures.subList(1, failures.size()))
                .as("failures.csv: nothing but strace starved by load")
                .allMatch(l -> l.matches("[a-z0-9]+/[a-z0-9-]+/strace,.*"));
        assertThat(status).isEqualTo(failures.size() == 1 ? 0 : 1);
        boolean stage01Traced = failures.stream().noneMatch(l -> l.startsWith("warp/stage-01-naive/strace,"));

        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(runs.getFirst()).startsWith("scenario,idle,server,round,requests");
        for (String scenario : Options.ALL_SCENARIOS) {
            if (Scenario.of(scenario).wrk()) {
                assertThat(runs)
                        .as(scenario)
                        .anyMatch(l -> l.startsWith(scenario + ",") && l.contains(",stage-01-naive,"));
            }
        }
        assertThat(runs).anyMatch(l -> l.startsWith("warp,0,floor,1,"));
        assertThat(runs).anyMatch(l -> l.startsWith("c10k,100,stage-01-naive,1,"));
        for (String line : runs.subList(1, runs.size())) {
            String[] f = line.split(",", -1);
            assertThat(f).as(line).hasSize(32);
            assertThat(Long.parseLong(f[4])).as("requests in " + line).isPositive();
            assertThat(Long.parseLong(f[7]) + Long.parseLong(f[8]))
                    .as("errors in " + line)
                    .isZero();
            double utilization = Double.parseDouble(f[17]);
            // Held to a quota where the machine allows a cgroup (CI runs as root): never above it, give or take a tick.
            double ceiling = f[26].equals("none") ? 1.1 : Double.parseDouble(f[26]) + 0.1;
            assertThat(utilization).as("utilization in " + line).isPositive().isLessThanOrEqualTo(ceiling);
            assertThat(Double.parseDouble(f[19]))
                    .as("wrk utilization in " + line)
                    .isPositive();
            assertThat(f[21]).as("bound in " + line).isIn("server", "load-generator", "cpu-set", "neither");
            assertThat(f[22]).as("listen overflows in " + line).matches("\\d+");
            if (!f[26].equals("none")) {
                assertThat(Long.parseLong(f[27])).as("quota periods in " + line).isPositive();
                assertThat(f[29]).as("throttled share in " + line).matches("[01]\\.\\d{3}");
            }
            assertThat(f[30]).as("steal in " + line).matches("\\d\\.\\d{4}");
        }
        List<String> warmup = Files.readAllLines(out.resolve("warmup.csv"));
        assertThat(warmup).anyMatch(l -> l.startsWith("warp,0,stage-01-naive,1,2,"));
        List<String> slow = Files.readAllLines(out.resolve("slowloris.csv"));
        assertThat(slow).anyMatch(l -> l.startsWith("stage-01-naive,1,200,200,12.0,2000,"));
        String[] floorSlow = slow.stream()
                .filter(l -> l.startsWith("floor,1,"))
                .findFirst()
                .orElseThrow()
                .split(",", -1);
        assertThat(floorSlow[12])
                .as("the floor has no header timeout: it closes none")
                .isEqualTo("0");
        assertThat(Integer.parseInt(floorSlow[6])).as("probes").isPositive();
        assertThat(Files.readAllLines(out.resolve("slowloris-summary.csv")))
                .anyMatch(l -> l.startsWith("stage-01-naive,1,200,"));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(summary.getFirst())
                .startsWith("scenario,idle,server,rounds,median_req_s,min_req_s,max_req_s,vs_nginx,vs_floor,"
                        + "p50_us,p99_us,errors,cpu_us_per_req,syscalls_per_req,")
                .contains(",utilization,", ",bound,ranked,unranked_reason,");
        if (stage01Traced) {
            assertThat(summary)
                    .anyMatch(l -> l.startsWith("warp,0,stage-01-naive,1,") && l.split(",", -1)[29].equals("50"));
            assertThat(Files.readAllLines(out.resolve("syscalls.csv")))
                    .anyMatch(l -> l.startsWith("warp,stage-01-naive,"));
        }
        assertThat(Files.readAllLines(out.resolve("c10k.csv")))
                .anyMatch(l -> l.startsWith("stage-01-naive,0,"
                        + summary.stream()
                                .filter(l2 -> l2.startsWith("c10k,0,stage-01-naive,"))
                                .findFirst()
                                .orElseThrow()
                                .split(",")[4]
                        + ",1.000,"));
        assertThat(summary.getFirst())
                .contains(",cpu_quota,throttled,server_bound_rounds,vs_nginx_lo,vs_nginx_hi,vs_floor_lo,vs_floor_hi,");
        // The latency pass: warp again, the quota lifted, every server offered the same load.
        List<String> latency = Files.readAllLines(out.resolve("latency-summary.csv"));
        assertThat(latency)
                .anyMatch(l -> l.startsWith("warp,stage-01-naive,1,5000,"))
                .anyMatch(l -> l.startsWith("warp,floor,1,5000,"));
        assertThat(Files.readAllLines(out.resolve("ratios.csv")).getFirst())
                .startsWith("scenario,idle,server,peer,rounds,interval,vs,");

        assertThat(Files.readAllLines(out.resolve("memory.csv")))
                .anyMatch(l -> l.matches("stage-01-naive,100,\\d+,\\d+,-?\\d+,-?\\d+,1,.*"));

        Properties env = new Properties();
        env.load(Files.newBufferedReader(out.resolve("environment.properties")));
        assertThat(env.getProperty("kernel")).startsWith("Linux");
        assertThat(env.getProperty("jdk")).startsWith("25");
        assertThat(env.getProperty("cores")).matches("\\d+");
        assertThat(env.getProperty("quick")).isEqualTo("true");
        assertThat(env.getProperty("server_quota")).matches("0\\.50|none");
        assertThat(env.getProperty("server_quota_how")).isNotBlank();

        try (Stream<Path> files = Files.list(out)) {
            List<Path> svgs = files.filter(p -> p.toString().endsWith(".svg")).toList();
            assertThat(svgs)
                    .extracting(p -> p.getFileName().toString())
                    .contains("throughput-warp.svg", "latency-warp.svg", "cpu-warp.svg", "c10k.svg");
            if (stage01Traced) {
                assertThat(svgs).extracting(p -> p.getFileName().toString()).contains("syscalls-warp.svg");
            }
            for (Path svg : svgs) {
                assertThat(Svg.root(svg)).as(svg.toString()).isEqualTo("svg");
            }
        }
        for (String scenario : List.of("warp", "c10k")) {
            String flame = Files.readString(out.resolve("flame-" + scenario + "-stage-01-naive.html"));
            assertThat(flame).as(scenario).contains("<html").contains("Connection");
        }
    }
}
