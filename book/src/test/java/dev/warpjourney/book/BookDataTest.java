package dev.warpjourney.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warpjourney.bench.rows.MemoryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BookData against the committed reference run, a reader's own (partial) run, and a run with the harness's newer
 * columns.
 */
class BookDataTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path REFERENCE = REPO.resolve("results/journey");

    @TempDir
    Path tmp;

    @Test
    void theReferenceRunRendersWithEveryChapterOwningUpToItsRefutedHypotheses() throws Exception {
        List<String> problems = BookData.generate(REPO, REFERENCE, tmp.resolve("out"));
        assertThat(problems).isEmpty();
        Map<String, String> attrs = attributes(tmp.resolve("out/numbers.adoc"));
        // The reference run's verdicts, which the chapters own up to: with five rounds a ratio's interval
        // that straddles its threshold decides nothing (inconclusive).
        assertThat(attrs)
                .containsEntry("hypothesis-stage-01-h3-verdict", "confirmed")
                .containsEntry("hypothesis-stage-02-h1-verdict", "inconclusive")
                .containsEntry("run", "the reference run");
        assertThat(attrs.get("profile-warp-stage-01-naive-syscalls")).matches("\\d+%");
        // The chapter's calls are rows for every server, whatever their count.
        String calls = Files.readString(tmp.resolve("out/stage-02-syscalls-c10k.adoc"));
        assertThat(calls)
                .contains("| `poll` |")
                .contains("| `epoll_wait` |")
                .contains("taken on 50 connections")
                .containsPattern(
                        "\\| `poll` \\| [0-9.]+ \\([0-9.]+ µs\\)"); // time per call, the figure that shows poll's O(n)
        assertThat(attrs)
                .containsEntry("hypothesis-stage-02-h6-verdict", "inconclusive")
                .containsEntry("hypothesis-stage-02-h7-verdict", "confirmed")
                .containsEntry("hypothesis-stage-05-h1-verdict", "confirmed")
                .containsEntry("hypothesis-stage-05-h3-verdict", "inconclusive")
                .containsEntry("hypothesis-stage-05-h5-verdict", "refuted")
                .containsEntry("hypothesis-stage-05-h10-verdict", "inconclusive");
        // jwebserver answered with errors in close: shown, never ranked.
        assertThat(Files.readString(tmp.resolve("out/table-close.adoc"))).contains("| jwebserver (not ranked) |");
        // The slowloris scenario: every stage closes the 1,000 slow connections at its 10 s head deadline.
        assertThat(Files.readString(tmp.resolve("out/table-slowloris.adoc")))
                .containsPattern(
                        "\\| stage-02-epoll \\| 1,000 of 1,000 \\| 100% \\| [0-9.]+ \\| [0-9.]+ \\([0-9.]+-[0-9.]+\\) \\| 1,000 \\| 10\\.[0-9]");
        assertThat(attrs).containsEntry("slowloris-nginx-closed", "0").containsEntry("slowloris-hold-s", "15");
        // The seed's one-core ratio (Mighty 3 over nginx, 31,584 / 22,671), cited in chapter 05, computed from the seed
        // file.
        assertThat(attrs).containsEntry("seed-one-core-ratio", "1.39");
    }

    @Test
    void eachIdeaSwitchedOffIsMeasuredAgainstStageFiveAndTheReaperPassesAreCounted() throws Exception {
        BookData.generate(REPO, REFERENCE, tmp.resolve("out"));
        Map<String, String> attrs = attributes(tmp.resolve("out/numbers.adoc"));
        // results/ablation: the paired CPU ratio of each variant over stage 05, as a cost in percent with its interval.
        String table = Files.readString(tmp.resolve("out/table-ideas.adoc"));
        assertThat(table)
                .contains("| Nothing: stage 05 as it ships")
                .contains("(`--bodies sendfile`)")
                .contains("(`--heads per-request`)")
                .contains("(`--date per-request`)")
                .contains("| All of them, and the parser over bytes: stage 04")
                .doesNotContain(Format.NOT_MEASURED);
        for (String idea : List.of("sendfile", "heads-per-request", "date-per-request", "stage-04")) {
            assertThat(attrs.get("ideas-" + idea + "-cost")).as(idea).matches("[+-]\\d+%");
            assertThat(attrs.get("ideas-" + idea + "-cost-interval")).as(idea).matches("[+-]\\d+% to [+-]\\d+%");
        }
        assertThat(attrs.get("ideas-sendfile-of-stage-04")).matches("\\d+%");
        assertThat(attrs.get("ideas-rest-of-stage-04")).matches("-?\\d+%");
        assertThat(attrs.get("ablation-warp-stage-05-composer-sendfile-syscalls"))
                .matches("[0-9.]+");
        // results/fdcache/reaper: passes during wrk's runs, against those due, per model and pass.
        assertThat(Files.readString(tmp.resolve("out/table-reaper.adoc")))
                .contains("| The loop, timed")
                .contains("| Virtual threads, one carrier, under strace");
        for (String key : List.of("loop-timed", "loop-strace", "vthreads-timed", "vthreads-strace")) {
            assertThat(attrs.get("reaper-" + key + "-passes")).as(key).matches("\\d+");
            assertThat(Integer.parseInt(attrs.get("reaper-" + key + "-due")))
                    .as(key)
                    .isPositive();
        }
        assertThat(attrs).containsEntry("reaper-seconds", "40");
    }

    @Test
    void aReadersOwnPartialRunRendersWithoutTouchingTheReferenceRun() throws Exception {
        Path run = tmp.resolve("my-run");
        Files.createDirectories(run);
        try (Stream<Path> files = Files.list(REFERENCE)) {
            for (Path f : files.toList()) {
                if (f.toString().endsWith(".csv") || f.toString().endsWith(".properties")) {
                    // A reader who ran only stage 01 and nginx, without flame graphs or c10k.
                    List<String> kept = Files.readAllLines(f).stream()
                            .filter(l ->
                                    !l.contains("stage-02-epoll") && !l.contains("jwebserver") && !l.startsWith("c10k"))
                            .toList();
                    Files.write(run.resolve(f.getFileName()), kept);
                }
            }
        }
        Files.delete(run.resolve("c10k.csv"));
        Map<String, Long> before = stamps(REFERENCE);
        List<String> problems = BookData.generate(REPO, run, tmp.resolve("out"));
        assertThat(problems)
                .as("a reader's run reports verdicts, it does not fail")
                .isEmpty();
        Map<String, String> attrs = attributes(tmp.resolve("out/numbers.adoc"));
        assertThat(attrs)
                .containsEntry("warp-stage-02-epoll-median", Format.NOT_MEASURED)
                .containsEntry("c10k-stage-02-epoll-10000-percent", Format.NOT_MEASURED)
                .containsEntry("profile-warp-stage-01-naive-syscalls", Format.NOT_MEASURED)
                .containsEntry("hypothesis-stage-02-h1-verdict", Format.NOT_MEASURED)
                .containsEntry("run", "your own run");
        assertThat(attrs.get("warp-stage-01-naive-median")).isNotEqualTo(Format.NOT_MEASURED);
        assertThat(Files.readString(tmp.resolve("out/table-c10k.adoc"))).contains(Format.NOT_MEASURED);
        // No charts or flame graphs in this run: no image or link to a file that is not there.
        assertThat(Files.readString(tmp.resolve("out/chart-c10k.adoc")))
                .doesNotContain("image::")
                .contains(Format.NOT_MEASURED);
        assertThat(Files.readString(tmp.resolve("out/flame-graphs.adoc"))).doesNotContain("link:");
        assertThat(attrs).containsEntry("flame-warp-stage-01-naive", Format.NOT_MEASURED);
        assertThat(stamps(REFERENCE))
                .as("the reference run is read, never written")
                .isEqualTo(before);
    }

    @Test
    void theHarnessesNewerColumnsAreUsedWhenPresent() throws Exception {
        Path run = tmp.resolve("new-run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("summary.csv"), """
                scenario,idle,server,rounds,median_req_s,min_req_s,max_req_s,vs_nginx,vs_floor,p50_us,p99_us,errors,cpu_us_per_req,syscalls_per_req,cpu_us_per_req_min,cpu_us_per_req_max,server_cpus,utilization,utilization_min,utilization_max,wrk_utilization,bound,ranked,unranked_reason,ratio_note,warmup_runs,steady,syscalls_per_req_min,syscalls_per_req_max,strace_connections,strace_rounds,listen_overflows,listen_drops,retrans_segs,syn_retrans
                warp,0,stage-01-naive,5,26000,25000,27000,0.40,0.30,20000,40000,0,36.0,14.0,35.0,37.0,1,0.99,0.98,1.00,0.60,server,yes,,,2,yes,13.9,14.1,50,3,812,812,0,1624
                warp,0,nginx,5,65000,64000,66000,1.00,0.70,14000,19000,0,14.0,5.0,13.0,15.0,1,0.97,0.95,0.99,0.80,server,yes,,,1,yes,5.0,5.1,50,3,0,0,0,0
                close,0,jwebserver,5,15000,14000,16000,,,3000,5000,614978,74.0,31.0,70.0,80.0,1,0.60,0.55,0.65,0.99,load-generator,no,"614978 errors; not server-bound: wrk saturated",,1,yes,,,,,0,0,0,0
                """);
        Files.writeString(run.resolve("syscalls.csv"), """
                scenario,server,syscall,calls,per_request,per_request_min,per_request_max,usecs_per_call,usecs_per_call_min,usecs_per_call_max,usecs_per_request,errors_per_request,idle,connections,rounds,requests
                warp,stage-01-naive,poll,100,0.02,0.02,0.03,41.5,40.0,43.0,1.0,0,0,50,3,5000
                warp,stage-01-naive,readlink,25000,5.00,5.00,5.00,2.1,2.0,2.2,10.5,0,0,50,3,5000
                """);
        List<String> problems = BookData.generate(REPO, run, tmp.resolve("out"));
        assertThat(problems).isEmpty();
        String calls = Files.readString(tmp.resolve("out/stage-01-syscalls-warp.adoc"));
        assertThat(calls)
                .contains("taken on 50 connections")
                .contains("| `poll` | 0.02 (41.5 µs)")
                .doesNotContain("not measured");
        String warp = Files.readString(tmp.resolve("out/table-warp.adoc"));
        assertThat(warp).contains("Server CPUs busy").contains("| 0.99 of 1 | server");
        assertThat(Files.readString(tmp.resolve("out/table-close.adoc")))
                .contains("jwebserver (not ranked)")
                .contains("614978 errors; not server-bound: wrk saturated");
        assertThat(Files.readString(tmp.resolve("out/table-nstat.adoc")))
                .contains("| stage-01-naive | 812 | 812 | 1,624 | 0");
        assertThat(attributes(tmp.resolve("out/numbers.adoc")))
                .containsEntry("nstat-warp-stage-01-naive-syn-retrans", "1,624")
                .containsEntry("cpu-method", "the median over rounds after warm-up, with its spread");
    }

    @Test
    void anRssDifferenceInsideTheRoundsSpreadIsPrintedAsNoise() {
        MemoryRow none = memory(0, null, 1000.0, 1500.0);
        MemoryRow held = memory(1000, -688.0, 2000.0, 3000.0);
        // spread (1,000 + 500) KiB over 1,000 connections: 1,536 bytes each
        assertThat(RunTables.rssPerConnection(held, List.of(none, held))).isEqualTo("noise (±1,536)");
        held = memory(1000, 1536.0, 2000.0, 3000.0);
        assertThat(RunTables.rssPerConnection(held, List.of(none, held))).isEqualTo("noise (±1,536)");
        held = memory(1000, 1537.0, 2000.0, 3000.0);
        assertThat(RunTables.rssPerConnection(held, List.of(none, held))).isEqualTo("1,537");
        held = memory(1000, 1537.0, 2000.0, null); // a run from before the harness kept the spread
        assertThat(RunTables.rssPerConnection(held, List.of(none, held))).isEqualTo("1,537");
    }

    /** A memory.csv row of server s: what rssPerConnection reads. */
    private static MemoryRow memory(int idle, Double rssPerConnection, Double rssMinKib, Double rssMaxKib) {
        return new MemoryRow("s", idle, null, null, rssPerConnection, null, rssMinKib, rssMaxKib, Map.of());
    }

    @Test
    void aRefutedHypothesisMustBeOwnedUpToAndOnlyThen() {
        Map<String, Double> metrics = Map.of("a", 3.0, "b", 1.0);
        Map<String, String> data = new HashMap<>(
                Map.of("h1.claim", "a is below b.", "h1.metric", "a", "h1.comparison", "<", "h1.threshold", "b"));
        Hypotheses.Verdicts refuted = Hypotheses.judge("stage-09", data, metrics);
        assertThat(refuted.list().getFirst().verdict()).isEqualTo(Hypotheses.REFUTED);
        assertThat(refuted.check("text without the anchor"))
                .singleElement()
                .asString()
                .contains("[[refuted-stage-09-h1]]");
        assertThat(refuted.check("[[refuted-stage-09-h1]]\n[CAUTION]\n...")).isEmpty();

        data.put("h1.factor", "4"); // a < 4 x b holds
        Hypotheses.Verdicts confirmed = Hypotheses.judge("stage-09", data, metrics);
        assertThat(confirmed.list().getFirst().verdict()).isEqualTo(Hypotheses.CONFIRMED);
        assertThat(confirmed.check("[[refuted-stage-09-h1]]"))
                .as("a stale refutation is caught too")
                .hasSize(1);
        assertThat(confirmed.check("")).isEmpty();
    }

    /**
     * A made-up run, three stage-05-like rows against a threshold of 1.4: a ratio whose whole
     * interval clears it is confirmed, one whose whole interval misses it refuted, and one whose
     * interval straddles it inconclusive, whatever its median says; each needs its own anchor.
     */
    @Test
    void theCountsOverAllHypothesesTellTheInstrumentsApart() {
        Hypotheses.Previous wasRefuted = new Hypotheses.Previous("m", 1, 2, "refuted");
        Hypotheses.Previous wasConfirmed = new Hypotheses.Previous("m", 2, 1, "confirmed");
        List<Hypotheses.Verdict> all = List.of(
                verdict("h1", "confirmed", wasRefuted), // changed
                verdict("h2", "refuted", wasRefuted), // the same
                verdict("h3", "inconclusive", wasConfirmed), // changed
                verdict("h4", "confirmed", null), // new: not judged before
                verdict("h5", Format.NOT_MEASURED, wasConfirmed)); // not measured now: no change counted
        assertThat(Hypotheses.totals(all))
                .containsEntry("hypotheses-total", "5")
                .containsEntry("hypotheses-confirmed", "2")
                .containsEntry("hypotheses-refuted", "1")
                .containsEntry("hypotheses-inconclusive", "1")
                .containsEntry("hypotheses-previous-total", "4")
                .containsEntry("hypotheses-previous-refuted", "2")
                .containsEntry("hypotheses-changed", "2");
    }

    private static Hypotheses.Verdict verdict(String id, String verdict, Hypotheses.Previous previous) {
        return new Hypotheses.Verdict(id, "claim", "metric", ">=", "1", null, null, verdict, null, previous);
    }

    @Test
    void aVerdictIsDecidedByTheWholeIntervalAndHasThreeOutcomes() {
        Map<String, Double> metrics = Map.of("sure", 1.62, "short", 1.25, "unsure", 1.45, "nginx", 1.0);
        Map<String, double[]> intervals =
                Map.of("sure", new double[] {1.45, 2.00}, "short", new double[] {1.10, 1.38}, "unsure", new double[] {
                    1.31, 1.55
                });
        Map<String, String> data = new HashMap<>();
        for (String[] h : new String[][] {{"h1", "sure"}, {"h2", "short"}, {"h3", "unsure"}}) {
            data.put(h[0] + ".claim", h[1] + " beats 1.4.");
            data.put(h[0] + ".metric", h[1]);
            data.put(h[0] + ".comparison", ">=");
            data.put(h[0] + ".threshold", "1.4");
        }
        Hypotheses.Verdicts v = Hypotheses.judge("stage-09", data, metrics, intervals);
        assertThat(v.list())
                .extracting(Hypotheses.Verdict::verdict)
                .containsExactly(Hypotheses.CONFIRMED, Hypotheses.REFUTED, Hypotheses.INCONCLUSIVE);
        // The median of "unsure" is above the threshold: a two-verdict rule would have confirmed it.
        assertThat(Hypotheses.holds(1.45, ">=", 1.4)).isTrue();
        assertThat(v.attributes())
                .containsEntry("hypothesis-stage-09-h3-interval", "1.31-1.55")
                .containsEntry("hypothesis-stage-09-h1-measured", "1.62");
        assertThat(v.table())
                .contains("| 1.62 (1.45-2.00) | ≥ 1.40 | *confirmed*")
                .contains("| 1.45 (1.31-1.55) | ≥ 1.40 | *inconclusive*");
        assertThat(v.check(""))
                .hasSize(2)
                .anyMatch(p -> p.contains("[[refuted-stage-09-h2]]"))
                .anyMatch(p -> p.contains("[[inconclusive-stage-09-h3]]"));
        assertThat(v.check("[[refuted-stage-09-h2]] [[inconclusive-stage-09-h3]]"))
                .isEmpty();
        assertThat(v.check("[[refuted-stage-09-h2]] [[refuted-stage-09-h3]]"))
                .as("an inconclusive one called refuted")
                .anyMatch(p -> p.contains("calls hypothesis h3 refuted"))
                .anyMatch(p -> p.contains("[[inconclusive-stage-09-h3]]"));

        // Below a threshold, and against another metric with an interval of its own: the least favourable ends decide.
        assertThat(Hypotheses.verdict(new Hypotheses.Interval(10, 9, 11), "<=", new Hypotheses.Interval(12, 11.5, 13)))
                .isEqualTo(Hypotheses.CONFIRMED);
        assertThat(Hypotheses.verdict(new Hypotheses.Interval(10, 9, 12), "<=", new Hypotheses.Interval(12, 11.5, 13)))
                .isEqualTo(Hypotheses.INCONCLUSIVE);
        assertThat(Hypotheses.verdict(
                        new Hypotheses.Interval(14, 13.5, 15), "<=", new Hypotheses.Interval(12, 11.5, 13)))
                .isEqualTo(Hypotheses.REFUTED);
        // A point stays a plain comparison.
        assertThat(Hypotheses.verdict(Hypotheses.Interval.point(1.4), ">=", Hypotheses.Interval.point(1.4)))
                .isEqualTo(Hypotheses.CONFIRMED);
        assertThat(Hypotheses.verdict(Hypotheses.Interval.point(1.39), ">=", Hypotheses.Interval.point(1.4)))
                .isEqualTo(Hypotheses.REFUTED);
    }

    @Test
    void profileSharesAreReadFromTheFlameGraphsFrames() throws Exception {
        List<FlameGraph.Stack> stacks = FlameGraph.read(REFERENCE.resolve("flame-warp-stage-01-naive.html"));
        long total = stacks.stream().mapToLong(FlameGraph.Stack::samples).sum();
        assertThat(total).isPositive();
        Profile profile = Profile.load(REPO.resolve("book/src/data/profile-groups.properties"));
        Map<String, Long> shares = profile.shares(stacks);
        assertThat(shares.get("total")).isEqualTo(total);
        assertThat(profile.groupNames().stream().mapToLong(shares::get).sum())
                .as("groups partition the samples")
                .isEqualTo(total);
        // A sample that ends in readlink under StaticFiles.lookup is the lookup's, and in a system call.
        FlameGraph.Stack lookup = new FlameGraph.Stack(
                List.of(
                        "all",
                        "dev/warpjourney/stage01/StaticFiles.lookup",
                        "sun/nio/fs/UnixPath.toRealPath",
                        "__GI___readlink"),
                List.of(3, 1, 1, 3),
                1);
        assertThat(profile.group(lookup.frames())).isEqualTo("lookup");
        assertThat(profile.inSyscall(lookup)).isTrue();
        assertThat(Profile.syscallName("__GI___libc_open")).isEqualTo("open");
        assertThat(Profile.syscallName("sendfile64")).isEqualTo("sendfile");
        assertThat(Profile.syscallName("__fcntl64_nocancel_adjusted")).isEqualTo("fcntl");
    }

    private static Map<String, String> attributes(Path numbers) throws IOException {
        return Files.readAllLines(numbers).stream()
                .filter(l -> l.startsWith(":"))
                .collect(Collectors.toMap(
                        l -> l.substring(1, l.indexOf(':', 1)), l -> l.substring(l.indexOf(':', 1) + 2), (a, b) -> b));
    }

    private static Map<String, Long> stamps(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            Map<String, Long> m = new HashMap<>();
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.getLastModifiedTime(p).toMillis() ^ Files.size(p));
            }
            return m;
        }
    }
}
