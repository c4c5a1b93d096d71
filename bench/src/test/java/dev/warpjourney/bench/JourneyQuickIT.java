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
        assumeTrue(Wrk.onPath("strace") && Wrk.onPath("taskset"), "the journey needs strace and taskset (.ci/run installs them)");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path out = repo.resolve("bench/target/journey-quick");
        Options options = Options.parse(new String[] {"--quick", "--servers", "stage-01-naive,floor", "--out", out.toString()},
                repo, Launcher.stagesFound(repo));
        int status = Journey.run(options);

        assertThat(Files.readString(out.resolve("failures.csv")).lines().count()).as("failures.csv: nothing failed").isEqualTo(1);
        assertThat(status).isZero();

        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(runs.getFirst()).startsWith("scenario,idle,server,round,requests");
        for (String scenario : Options.ALL_SCENARIOS) {
            assertThat(runs).as(scenario).anyMatch(l -> l.startsWith(scenario + ",") && l.contains(",stage-01-naive,"));
        }
        assertThat(runs).anyMatch(l -> l.startsWith("warp,0,floor,1,"));
        assertThat(runs).anyMatch(l -> l.startsWith("c10k,100,stage-01-naive,1,"));
        for (String line : runs.subList(1, runs.size())) {
            String[] f = line.split(",", -1);
            assertThat(f).as(line).hasSize(14);
            assertThat(Long.parseLong(f[4])).as("requests in " + line).isPositive();
            assertThat(Long.parseLong(f[7]) + Long.parseLong(f[8])).as("errors in " + line).isZero();
        }
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(summary).anyMatch(l -> l.startsWith("warp,0,stage-01-naive,1,") && !l.endsWith(","));
        assertThat(Files.readAllLines(out.resolve("syscalls.csv"))).anyMatch(l -> l.startsWith("warp,stage-01-naive,"));
        assertThat(Files.readAllLines(out.resolve("c10k.csv"))).contains("stage-01-naive,0,"
                + summary.stream().filter(l -> l.startsWith("c10k,0,stage-01-naive,")).findFirst().orElseThrow().split(",")[4] + ",1.000");

        assertThat(Files.readAllLines(out.resolve("memory.csv"))).anyMatch(l -> l.matches("stage-01-naive,100,\\d+,\\d+,-?\\d+,-?\\d+"));

        Properties env = new Properties();
        env.load(Files.newBufferedReader(out.resolve("environment.properties")));
        assertThat(env.getProperty("kernel")).startsWith("Linux");
        assertThat(env.getProperty("jdk")).startsWith("25");
        assertThat(env.getProperty("cores")).matches("\\d+");
        assertThat(env.getProperty("quick")).isEqualTo("true");

        try (Stream<Path> files = Files.list(out)) {
            List<Path> svgs = files.filter(p -> p.toString().endsWith(".svg")).toList();
            assertThat(svgs).extracting(p -> p.getFileName().toString())
                    .contains("throughput-warp.svg", "latency-warp.svg", "syscalls-warp.svg", "cpu-warp.svg", "c10k.svg");
            for (Path svg : svgs) {
                assertThat(Svg.root(svg)).as(svg.toString()).isEqualTo("svg");
            }
        }
        String flame = Files.readString(out.resolve("flame-warp-stage-01-naive.html"));
        assertThat(flame).contains("<html").contains("Server");
    }
}
