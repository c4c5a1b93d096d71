package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multicore run: server variants to command lines, the --multicore preset, and scaling.csv. */
class MulticoreTest {

    private static final String MC = "stage-03-multicore";

    /** A repository with the two stage jars in place (empty files: only their existence is checked). */
    private static Path repo(Path dir) throws IOException {
        for (String module : List.of(MC, "stage-02-epoll")) {
            Path jar = dir.resolve(module).resolve("target").resolve(module + ".jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "");
        }
        return dir;
    }

    private static Options multicore(Path repo, String... more) {
        String[] args = new String[more.length + 1];
        args[0] = "--multicore";
        System.arraycopy(more, 0, args, 1, more.length);
        return Options.parse(args, repo, List.of("stage-01-naive", "stage-02-epoll", "stage-02-epoll@poll", MC), "0-1");
    }

    private static List<String> command(Launcher launcher, String name) throws IOException {
        List<List<String>> commands = launcher.commands(name, 8080, false);
        assertThat(commands).as(name).hasSize(1);
        return commands.getFirst();
    }

    /** The arguments after -jar's path: what the stage's main sees. */
    private static List<String> stageArgs(List<String> cmd) {
        return cmd.subList(cmd.indexOf("-jar") + 2, cmd.size());
    }

    @Test
    void variantNamesParseOrSayWhatIsKnown() {
        assertThat(ServerName.parse(MC + "@loops-4"))
                .isEqualTo(new ServerName(MC + "@loops-4", MC, 3, null, Design.LOOPS, 4));
        assertThat(ServerName.parse(MC + "@prefork-8").processes()).isEqualTo(8);
        assertThat(ServerName.parse(MC + "@vthreads-2").processes()).isEqualTo(1);
        assertThat(ServerName.parse("nginx@3"))
                .isEqualTo(new ServerName("nginx@3", "nginx", 0, Peer.NGINX, Design.NGINX, 3));
        assertThat(ServerName.parse("nginx"))
                .isEqualTo(new ServerName("nginx", "nginx", 0, Peer.NGINX, Design.AS_BUILT, 0));
        assertThat(ServerName.parse("nginx@3").java()).isFalse();
        assertThat(ServerName.parse("stage-02-epoll@poll").design()).isEqualTo(Design.POLL);
        assertThat(ServerName.parse("stage-05-composer@shared-2").design())
                .isEqualTo(Design.SHARED); // later stages carry stage 03's flags
        assertThat(ServerName.parse("stage-05-composer@mapped"))
                .isEqualTo(new ServerName("stage-05-composer@mapped", "stage-05-composer", 5, null, Design.MAPPED, 0));
        assertThatThrownBy(() -> ServerName.parse("stage-04-fdcache@mapped")).hasMessageContaining("needs stage 05");
        assertThatThrownBy(() -> ServerName.parse("stage-04-fdcache@sendfile"))
                .hasMessageContaining("@sendfile needs stage 05");

        assertThatThrownBy(() -> ServerName.parse(MC + "@bogus-2"))
                .hasMessageContaining("unknown variant @bogus-2 of " + MC)
                .hasMessageContaining("@prefork-N");
        assertThatThrownBy(() -> ServerName.parse(MC + "@loops")).hasMessageContaining("@loops-N takes a count");
        assertThatThrownBy(() -> ServerName.parse(MC + "@loops-0")).hasMessageContaining("takes a count");
        assertThatThrownBy(() -> ServerName.parse("stage-02-epoll@loops-2"))
                .hasMessageContaining("runs one loop")
                .hasMessageContaining("stage 03");
        assertThatThrownBy(() -> ServerName.parse("nginx@x")).hasMessageContaining("nginx@N takes a worker count");
        assertThatThrownBy(() -> ServerName.parse("floor@2")).hasMessageContaining("floor has no variants");
    }

    @Test
    void eachVariantBecomesItsCommandLines(@TempDir Path dir) throws Exception {
        Path repo = repo(dir);
        Launcher launcher = new Launcher(multicore(repo), dir.resolve("corpus"), dir.resolve("work"));

        assertThat(stageArgs(command(launcher, MC + "@loops-4")))
                .containsExactly(
                        "--model",
                        "loops",
                        "--loops",
                        "4",
                        "--accept",
                        "reuseport",
                        "--port",
                        "8080",
                        "--root",
                        dir.resolve("corpus").toString());
        assertThat(stageArgs(command(launcher, MC + "@shared-2")))
                .startsWith("--model", "loops", "--loops", "2", "--accept", "shared");
        assertThat(stageArgs(command(launcher, MC + "@handoff-2")))
                .startsWith("--model", "loops", "--loops", "2", "--accept", "handoff");

        // vthreads: the JDK's scheduler and read pollers sized to N, read pollers a power of two (6 -> 4)
        List<String> vthreads = command(launcher, MC + "@vthreads-6");
        assertThat(vthreads.subList(0, vthreads.indexOf("-jar")))
                .contains("-Djdk.virtualThreadScheduler.parallelism=6", "-Djdk.readPollers=4", "-Xmx512m");
        assertThat(stageArgs(vthreads)).startsWith("--model", "vthreads", "--loops", "6");
        assertThat(command(launcher, MC + "@vthreads-1")).contains("-Djdk.readPollers=1");

        // prefork: N identical JVMs of one loop each, on the same port
        List<List<String>> prefork = launcher.commands(MC + "@prefork-3", 8080, false);
        assertThat(prefork)
                .hasSize(3)
                .allSatisfy(cmd -> assertThat(stageArgs(cmd))
                        .startsWith("--model", "loops", "--loops", "1", "--accept", "reuseport", "--port", "8080"));
        assertThat(prefork.getFirst().getFirst()).endsWith("java");

        // the one-loop reference and its @poll variant keep their command lines
        List<String> stage02 = command(launcher, "stage-02-epoll");
        assertThat(stageArgs(stage02))
                .containsExactly(
                        "--port", "8080", "--root", dir.resolve("corpus").toString());
        assertThat(stage02).noneMatch(a -> a.startsWith("-Djava.nio.channels.spi.SelectorProvider"));
        assertThat(command(launcher, "stage-02-epoll@poll"))
                .contains("-Djava.nio.channels.spi.SelectorProvider=" + Launcher.POLL_SELECTOR);

        assertThatThrownBy(() -> launcher.commands("stage-04-fdcache@loops-2", 8080, false))
                .hasMessageContaining("build it");
        assertThatThrownBy(() -> launcher.commands(MC + "@bogus-2", 8080, false))
                .hasMessageContaining("unknown variant");
    }

    @Test
    void nginxAtNWritesNWorkersInAFolderOfItsOwn(@TempDir Path dir) throws Exception {
        Path conf = NginxConfig.write(dir.resolve("n"), 8080, dir, 3);
        assertThat(Files.readString(conf)).contains("worker_processes 3;").contains("sendfile on;");
        // The pipeline scenario's nginx copies instead (corked sendfile stalls pipelined answers).
        assertThat(Files.readString(NginxConfig.write(dir.resolve("p"), 8080, dir, 1, true)))
                .contains("sendfile off;");

        assumeTrue(Wrk.onPath("nginx") || Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
        Launcher launcher = new Launcher(multicore(repo(dir)), dir.resolve("corpus"), dir.resolve("work"));
        command(launcher, "nginx@3");
        command(launcher, "nginx");
        assertThat(Files.readString(dir.resolve("work/nginx/nginx-3/nginx.conf")))
                .contains("worker_processes 3;");
        // plain nginx: one worker per server CPU (0-1 in the preset on a two-CPU machine)
        assertThat(Files.readString(dir.resolve("work/nginx/nginx/nginx.conf"))).contains("worker_processes 2;");
    }

    @Test
    void preforkIsReadyWhenEveryProcessListens() {
        String table = """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 101
                   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 102
                   2: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 103
                   3: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 104
                """;
        assertThat(Launcher.listening(table, 8080))
                .isEqualTo(2); // 0x1F90; the established connection and port 8081 do not count
        assertThat(Launcher.listening(
                        "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0", 8080))
                .isEqualTo(1);
    }

    @Test
    void multicorePresetPutsServersAndWrkOnEveryCpu(@TempDir Path dir) {
        Options o = multicore(dir);
        assertThat(o.multicore()).isTrue();
        assertThat(o.scenarios()).containsExactly("warp");
        assertThat(o.serverCpus()).isEqualTo("0-1");
        assertThat(o.wrkCpus()).isEqualTo("0-1");
        assertThat(o.wrkThreads()).isEqualTo(2);
        assertThat(o.loopsList()).containsExactly(1, 2);
        assertThat(o.out()).isEqualTo(dir.resolve("target/journey-multicore"));
        assertThat(o.servers())
                .containsExactly(
                        MC + "@loops-1",
                        MC + "@loops-2",
                        MC + "@handoff-1",
                        MC + "@handoff-2",
                        MC + "@shared-1",
                        MC + "@shared-2",
                        MC + "@vthreads-1",
                        MC + "@vthreads-2",
                        MC + "@prefork-1",
                        MC + "@prefork-2",
                        "nginx@1",
                        "nginx@2",
                        "stage-02-epoll");
        assertThat(o.costs()).isTrue();
        assertThat(o.costServers()).containsExactly(MC + "@shared-2", MC + "@loops-2");
        assertThat(o.flameGraphs()).isFalse();
        assertThat(o.rounds()).isEqualTo(5);
        assertThat(Options.sharedCpus(o.serverCpus(), o.wrkCpus())).isEqualTo("0-1");

        Options curve =
                multicore(dir, "--loops-list", "8,2,4", "--server-cpus", "0-7", "--wrk-cpus", "8-15", "--out", "x");
        assertThat(curve.loopsList()).containsExactly(1, 2, 4, 8); // 1 added: every gain is relative to it
        assertThat(curve.servers())
                .contains(MC + "@prefork-8", MC + "@vthreads-4", "nginx@8", "nginx@1")
                .hasSize(4 * 6 + 1);
        assertThat(curve.costServers()).containsExactly(MC + "@shared-8", MC + "@loops-8");
        assertThat(curve.wrkThreads()).isEqualTo(8);
        assertThat(Options.sharedCpus(curve.serverCpus(), curve.wrkCpus())).isEmpty();
        assertThat(curve.out()).isEqualTo(Path.of("x").toAbsolutePath());

        Options bigger =
                multicore(dir, "--server-cpus", "0-3", "--wrk-threads", "3", "--scenarios", "warp,close", "--no-costs");
        assertThat(bigger.loopsList()).containsExactly(1, 4); // N is the server CPU set's size
        assertThat(bigger.wrkThreads()).isEqualTo(3);
        assertThat(bigger.scenarios()).containsExactly("warp", "close");
        assertThat(bigger.costs()).isFalse();

        Options chosen = multicore(dir, "--servers", MC + "@loops-2,nginx@2");
        assertThat(chosen.costServers()).containsExactly(MC + "@loops-2");
    }

    @Test
    void optionsAcceptVariantNamesAndRefuseWrongOnes(@TempDir Path dir) {
        List<String> found = List.of("stage-01-naive", "stage-02-epoll", "stage-02-epoll@poll");
        Options plain = Options.parse(
                new String[] {"--servers", "nginx@4,stage-03-multicore@prefork-2,stage-02-epoll@poll"},
                dir,
                found,
                "0-1");
        assertThat(plain.servers()).containsExactly("nginx@4", "stage-03-multicore@prefork-2", "stage-02-epoll@poll");
        assertThat(plain.multicore()).isFalse();
        assertThat(plain.wrkThreads()).isEqualTo(1);
        assertThat(plain.serverCpus()).isEqualTo("1");
        assertThat(plain.wrkCpus()).isEqualTo("0");
        assertThat(plain.costServers()).isEqualTo(plain.servers());
        assertThat(plain.flameGraphs()).isTrue();
        assertThat(plain.loopsList()).isEmpty();
        assertThat(plain.out()).isEqualTo(dir.resolve("target/journey"));

        assertThatThrownBy(
                        () -> Options.parse(new String[] {"--servers", "stage-03-multicore@spin-2"}, dir, found, "0-1"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessageContaining("unknown variant @spin-2");
        assertThatThrownBy(() -> Options.parse(new String[] {"--servers", "nginx@many"}, dir, found, "0-1"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessageContaining("worker count");
        assertThatThrownBy(() -> Options.parse(new String[] {"--servers", "caddy"}, dir, found, "0-1"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessageContaining("unknown server caddy");
        assertThatThrownBy(() -> Options.parse(new String[] {"--loops-list", "1,2"}, dir, found, "0-1"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessageContaining("--multicore");
        assertThatThrownBy(() -> Options.parse(new String[] {"--multicore", "--loops-list", "1,0"}, dir, found, "0-1"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessageContaining("--loops-list must be positive");
        assertThat(Options.USAGE).contains("--multicore", "--loops-list", "--wrk-threads", "nginx@N", "@prefork-N");
    }

    @Test
    void sharedCpusAreTheIntersectionAsATasksetList() {
        assertThat(Options.sharedCpus("0-1", "0-1")).isEqualTo("0-1");
        assertThat(Options.sharedCpus("1", "0")).isEmpty();
        assertThat(Options.sharedCpus("0-3", "2,3,5")).isEqualTo("2-3");
        assertThat(Options.sharedCpus("0-7", "1,3-4,6")).isEqualTo("1,3-4,6");
        assertThat(Options.cpus("2,4-5")).containsExactly(2, 4, 5);
    }

    // ------------------------------------------------------------------ scaling.csv

    /** One round of one second on a two-CPU set. */
    private static Run run(String server, int round, long requests, double serverCpu) {
        WrkResult w = new WrkResult(requests, 1_000_000, requests * 300, 0, 0, 100, 200, 400, 800, 100, 0.5);
        return new Run("warp", 0, server, round, w, 0, serverCpu, 1.0, 2, Map.of());
    }

    private static Results synthetic() {
        Results r = new Results();
        r.wrkCpus(2, 2);
        r.scaling("0-1");
        for (int round = 1; round <= 2; round++) {
            boolean two = round == 2;
            r.add(run("stage-02-epoll", round, 20_000, 1.0)); // 50 us per request in both rounds
            r.add(run(MC + "@loops-1", round, two ? 22_000 : 20_000, two ? 1.1 : 1.0));
            r.add(run(
                    MC + "@loops-2", round, two ? 44_000 : 36_000, two ? 1.98 : 1.8)); // gains 1.8, 2.0; 50 then 45 us
            r.add(run(MC + "@shared-2", round, 30_000, 1.5)); // no shared-1 row: no gain
            r.add(run("nginx@1", round, 25_000, 0.95));
            r.add(run("nginx@2", round, 45_000, 1.8));
            r.add(run("floor", round, 50_000, 1.0)); // not a design: no row
        }
        r.add(new Cost(
                "warp",
                0,
                MC + "@shared-2",
                1,
                50,
                1000,
                Map.of(
                        "accept",
                        new Syscall(100, 50, 0.001),
                        "epoll_wait",
                        new Syscall(3000, 0, 0.01),
                        "read",
                        new Syscall(1000, 0, 0.001))));
        return r;
    }

    private static Map<String, String> row(Path csv, String server) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] head = lines.getFirst().split(",", -1);
        String[] row = lines.stream()
                .filter(l -> l.split(",", -1)[3].equals(server))
                .findFirst()
                .orElseThrow()
                .split(",", -1);
        assertThat(row).as(server).hasSameSizeAs(head);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < head.length; i++) {
            m.put(head[i], row[i]);
        }
        return m;
    }

    @Test
    void gainEfficiencyAndCpuAgainstStage02AreMediansOfPerRoundRatios() {
        List<Scaling.Row> rows = synthetic().scalingRows();
        assertThat(rows)
                .extracting(Scaling.Row::server)
                .containsExactly(
                        "stage-02-epoll", MC + "@loops-1", MC + "@loops-2", MC + "@shared-2", "nginx@1", "nginx@2");
        Scaling.Row loops2 = rows.get(2);
        assertThat(loops2.design()).isEqualTo("loops");
        assertThat(loops2.loops()).isEqualTo(2);
        assertThat(loops2.gain()).isCloseTo(1.9, within(1e-9)); // rounds: 36/20 = 1.8, 44/22 = 2.0
        assertThat(loops2.efficiency()).isCloseTo(0.95, within(1e-9));
        assertThat(loops2.cpuVsStage02()).isCloseTo(0.95, within(1e-9)); // 50/50, 45/50
        assertThat(loops2.utilization()).isCloseTo(1.89, within(1e-9));
        assertThat(loops2.bound()).isEqualTo("server"); // 1.89 >= 0.85 x 2
        assertThat(rows.get(1).gain()).isEqualTo(1.0);
        assertThat(rows.get(1).bound()).isEqualTo("server"); // one loop keeps one CPU busy: 1.05 >= 0.85 x min(1, 2)
        assertThat(rows.getFirst().design()).isEqualTo("stage-02-epoll");
        assertThat(rows.getFirst().cpuVsStage02()).isEqualTo(1.0);
        Scaling.Row shared = rows.get(3);
        assertThat(shared.gain()).isNaN();
        assertThat(shared.bound()).isEqualTo("neither"); // 1.5 < 1.7, and wrk at 0.5 of its 2
        assertThat(shared.note())
                .contains("server and wrk shared CPUs 0-1")
                .contains("no shared row at 1 loop: no gain");
        assertThat(shared.acceptErrorsPerRequest().median()).isCloseTo(0.05, within(1e-9));
        assertThat(rows.get(5).gain()).isCloseTo(1.8, within(1e-9));
    }

    @Test
    void multicoreRunWritesScalingCsvChartAndTable(@TempDir Path dir) throws Exception {
        Results r = synthetic();
        r.write(dir);
        Path csv = dir.resolve("scaling.csv");
        assertThat(row(csv, MC + "@loops-2"))
                .containsEntry("scenario", "warp")
                .containsEntry("design", "loops")
                .containsEntry("loops", "2")
                .containsEntry("median_req_s", "40000")
                .containsEntry("min_req_s", "36000")
                .containsEntry("max_req_s", "44000")
                .containsEntry("server_cpus", "2")
                .containsEntry("utilization", "1.890")
                .containsEntry("utilization_of_set", "0.945")
                .containsEntry("cpu_us_per_req", "47.5")
                .containsEntry("gain", "1.90")
                .containsEntry("cpu_per_req_vs_stage02", "0.95")
                .containsEntry("efficiency", "0.95")
                .containsEntry("bound", "server")
                .containsEntry("note", "server and wrk shared CPUs 0-1")
                .containsEntry("syscalls_per_req", "")
                .containsEntry("rounds", "2");
        assertThat(row(csv, MC + "@shared-2"))
                .containsEntry("gain", "")
                .containsEntry("efficiency", "")
                .containsEntry("accept_per_req", "0.100")
                .containsEntry("accept_errors_per_req", "0.050")
                .containsEntry("epoll_wait_per_req", "3.000")
                .containsEntry("syscalls_per_req", "4.10")
                .containsEntry("strace_connections", "50")
                .containsEntry("strace_rounds", "1");
        assertThat(row(csv, "nginx@2"))
                .containsEntry("design", "nginx")
                .containsEntry("gain", "1.80")
                .containsEntry("efficiency", "0.90");
        assertThat(Files.readString(csv)).doesNotContain("floor");

        List<Path> charts = Charts.write(r, dir);
        assertThat(charts).extracting(p -> p.getFileName().toString()).contains("scaling-warp.svg");
        assertThat(Svg.root(dir.resolve("scaling-warp.svg"))).isEqualTo("svg");
        // one line per design with a gain (shared-2 has none here), nginx's, and linear scaling
        assertThat(Charts.scaling("warp", r.scalingRows()).getSeriesMap().keySet())
                .containsExactly("linear", "loops", "nginx");
        assertThat(r.table())
                .contains("gain: req/s / the same design's at 1 loop")
                .contains("shared CPUs 0-1");

        Results single = new Results(); // not a multicore run: no scaling.csv
        single.add(run("stage-02-epoll", 1, 20_000, 1.0));
        Path other = dir.resolve("single");
        single.write(other);
        assertThat(other.resolve("scaling.csv")).doesNotExist();
        assertThat(single.scalingRows()).isEmpty();
    }
}
