package dev.warpjourney.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 05's figures: CPU time per request as a ratio to nginx and the floor, heap bytes per request, the
 * whole-journey table.
 */
class BookComposerTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path MULTICORE = REPO.resolve("results/multicore");

    /** The summary's header, as the fdcache test writes its made-up runs. */
    private static final String SUMMARY = BookFdcacheTest.SUMMARY;

    @TempDir
    Path tmp;

    /**
     * A run of three servers in warp: nginx at 20 µs per request, the floor at 10, stage 05 at 12.5 (wrk-bound, so not
     * ranked).
     */
    private Path madeUpRun() throws IOException {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(
                run.resolve("summary.csv"),
                SUMMARY + "\n"
                        + "warp,0,stage-05-composer,3,50000,49000,51000,,,900,4000,0,12.5,2.04,12.0,13.0,1,0.63,0.6,0.65,0.99,load-generator,no,"
                        + "not server-bound: wrk saturated,,2,yes,2.0,2.1,50,3,0,0,0,0\n"
                        + "warp,0,nginx,3,49000,48000,50000,1.00,,900,4000,0,20.0,5.03,19.0,21.0,1,0.98,0.97,0.99,0.95,server,yes,,,2,yes,5,5,50,3,0,0,0,0\n"
                        + "warp,0,floor,3,52000,51000,53000,,,900,4000,0,10.0,2.03,9.5,10.5,1,0.52,0.5,0.55,0.99,load-generator,no,"
                        + "not server-bound: wrk saturated,,2,yes,2,2,50,3,0,0,0,0\n");
        Files.writeString(
                run.resolve("allocation.csv"),
                "scenario,server,bytes_per_request,rounds,min,max\n"
                        + "warp,stage-05-composer,37.4,3,36.0,40.2\nwarp,floor,0.6,3,0.5,0.7\n");
        return run;
    }

    @Test
    void cpuRatiosAndHeapBytesPerRequestComeFromTheRun() throws Exception {
        BookData.generate(REPO, madeUpRun(), MULTICORE, tmp.resolve("no-fdcache"), tmp.resolve("out"));
        Map<String, String> attrs = attributes(tmp.resolve("out/numbers.adoc"));
        assertThat(attrs)
                .containsEntry("warp-stage-05-composer-cpu-vs-nginx", "1.60")
                .containsEntry("warp-stage-05-composer-cpu-vs-floor", "0.80")
                .containsEntry("warp-nginx-cpu-vs-nginx", "1.00")
                .containsEntry("warp-stage-05-composer-vs-nginx", "not ranked")
                .containsEntry("alloc-warp-stage-05-composer", "37")
                .containsEntry("alloc-warp-stage-05-composer-min", "36")
                .containsEntry("alloc-warp-stage-05-composer-max", "40")
                .containsEntry("alloc-warp-floor", "1");
    }

    @Test
    void theJourneyTableShowsWhatARequestCostEachServerAndWhereWrkWasTheLimit() throws Exception {
        BookData.generate(REPO, madeUpRun(), MULTICORE, tmp.resolve("no-fdcache"), tmp.resolve("out"));
        String table = Files.readString(tmp.resolve("out/table-journey.adoc"));
        assertThat(table)
                .contains(
                        "| stage-05-composer | 50,000 | 0.63 | load-generator | not ranked | 12.5 | 1.60 | 2.04 | 37\n")
                .contains("| nginx | 49,000 | 0.98 | server | 1.00 | 20.0 | 1.00 | 5.03 | \n")
                .contains("| floor | 52,000 | 0.52 | load-generator | not ranked | 10.0 | 2.00 | 2.03 | 1\n");
        // The seed's one-core figure: a throughput ratio only where the server was the limit, the CPU ratio always.
        String seed = Files.readString(tmp.resolve("out/table-seed.adoc"));
        assertThat(seed)
                .contains("Ratio (median of per-round ratios, interval): not ranked (not server-bound: wrk saturated)")
                .contains("CPU per request, nginx's over stage-05-composer's: 1.60")
                // The prefork row: ours against nginx at the same workers, from the run on every core.
                .contains("stage-05-composer on 2 loops against nginx with 2 workers (results/cores, each held to ")
                // The Mio row says why ours is no scaling figure.
                .contains("where Mio had ten cores of its own");
    }

    @Test
    void theSeedsOneCoreFigureShowsTheNewestStageOnEachSideOfTheJdk() throws Exception {
        Path run = madeUpRun();
        Files.writeString(
                run.resolve("summary.csv"),
                "warp,0,stage-04-fdcache,3,30000,29000,31000,0.61,,900,4000,0,30.0,3.1,29.0,31.0,1,0.5,0.5,0.5,0.9,server,"
                        + "yes,,,2,yes,3,3,50,3,0,0,0,0\n"
                        + "warp,0,stage-06-native,3,60000,59000,61000,1.22,,900,4000,0,8.0,2.02,7.5,8.5,1,0.5,0.5,0.5,0.9,server,"
                        + "yes,,,2,yes,2,2,50,3,0,0,0,0\n",
                StandardOpenOption.APPEND);
        BookData.generate(REPO, run, MULTICORE, tmp.resolve("no-fdcache"), tmp.resolve("out"));
        String seed = Files.readString(tmp.resolve("out/table-seed.adoc"));
        assertThat(seed)
                .as("stage 05 through the JDK, stage 06 below it; not stage 04")
                .contains("stage-05-composer: 50,000 req/s")
                .contains("stage-06-native: 60,000 req/s")
                .contains("CPU per request, nginx's over stage-06-native's: 2.50")
                .doesNotContain("stage-04-fdcache:");
        assertThat(seed.indexOf("stage-05-composer: ")).isLessThan(seed.indexOf("stage-06-native: "));
    }

    private static Map<String, String> attributes(Path numbers) throws IOException {
        return BookFdcacheTest.attributes(numbers);
    }
}
