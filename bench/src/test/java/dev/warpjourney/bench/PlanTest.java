package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan: which passes the options ask for, with which servers, and the estimate that sums them. */
class PlanTest {
    private static final List<String> FOUND =
            List.of("stage-01-naive", "stage-02-epoll", "stage-02-epoll@poll", "stage-05-composer");

    private static Plan plan(String... args) {
        return Plan.of(Options.parse(args, Path.of("."), FOUND, "0-1"));
    }

    private static List<String> names(Plan.Pass pass) {
        return pass.servers().stream().map(ServerName::name).toList();
    }

    @Test
    void passesFollowTheScenariosEachWithItsServers() {
        Plan p = plan("--quick", "--servers", "stage-01-naive,stage-05-composer,nginx,floor", "--idle", "0,100");
        List<String> shape = p.passes().stream()
                .map(pass ->
                        pass.getClass().getSimpleName() + " " + pass.scenario().name())
                .toList();
        assertThat(shape)
                .containsExactly(
                        "ThroughputPass warp",
                        "CostPass warp",
                        "ThroughputPass warp@0.3",
                        "ThroughputPass c10k",
                        "ThroughputPass c10k",
                        "CostPass c10k",
                        "ThroughputPass close",
                        "CostPass close",
                        "ThroughputPass close@0.3",
                        "ThroughputPass large",
                        "CostPass large",
                        "ThroughputPass large@0.2",
                        "ThroughputPass manyfiles",
                        "CostPass manyfiles",
                        "SlowlorisPass slowloris");
        Plan.ThroughputPass warp = (Plan.ThroughputPass) p.passes().getFirst();
        assertThat(warp.latency()).isTrue();
        assertThat(names(warp)).containsExactly("stage-01-naive", "stage-05-composer", "nginx", "floor");
        // At a budget of its own: the newest stage, nginx and the floor; large asks for no 151-byte file: no floor.
        assertThat(names(p.passes().get(2))).containsExactly("stage-05-composer", "nginx", "floor");
        assertThat(names(p.passes().get(11))).containsExactly("stage-05-composer", "nginx");
        // c10k: a pass per idle count, the cost pass at the largest, with flame graphs (close too, large none).
        assertThat(((Plan.ThroughputPass) p.passes().get(4)).idle()).isEqualTo(100);
        assertThat(((Plan.CostPass) p.passes().get(5)).idle()).isEqualTo(100);
        assertThat(((Plan.CostPass) p.passes().get(5)).flameGraphs()).isTrue();
        assertThat(((Plan.CostPass) p.passes().get(7)).flameGraphs()).isTrue();
        assertThat(((Plan.CostPass) p.passes().get(10)).flameGraphs()).isFalse();
    }

    @Test
    void theEstimateIsTheSumOfThePasses() {
        // --quick: 1 round of 2 s, 2 s warm-up runs, 1 strace round, 200 slow connections held 12 s.
        Plan p = plan("--quick", "--servers", "stage-01-naive,floor", "--scenarios", "warp,close,slowloris");
        // warp: (2 x 2 + 1 x 2) x 2 servers + latency 1 x 2 x 2; its costs (2 + 1 x (2 + 2) + 2 flame) x 2;
        // close: 6 x 2, costs (2 + 4 + 2 flame) x 2; slowloris: 1 x (12 + 3) x 2.
        assertThat(p.passes()).hasSize(5);
        assertThat(p.seconds()).isEqualTo(12 + 4 + 16 + 12 + 16 + 30);

        Plan multicore = Plan.of(Options.parse(new String[] {"--multicore"}, Path.of("."), FOUND, "0-1"));
        // Only the two designs whose system calls tell them apart are traced; no flame graphs, no latency pass.
        assertThat(multicore.passes()).hasSize(2);
        assertThat(names(multicore.passes().getLast()))
                .containsExactly("stage-03-multicore@loops-2", "stage-03-multicore@shared-2");
        assertThat(((Plan.CostPass) multicore.passes().getLast()).flameGraphs()).isFalse();
        assertThat(((Plan.ThroughputPass) multicore.passes().getFirst()).latency())
                .isFalse();
    }

    @Test
    void stageFivesSwitchedOffIdeasRunInWarpOnly() {
        String five = "stage-05-composer";
        Plan p = plan(
                "--quick",
                "--servers",
                String.join(
                        ",",
                        five,
                        five + "@sendfile",
                        five + "@date-per-request",
                        five + "@heads-per-request",
                        "nginx"),
                "--scenarios",
                "warp,warp@0.3,close");
        assertThat(names(p.passes().get(0)))
                .containsExactly(
                        five, five + "@sendfile", five + "@date-per-request", five + "@heads-per-request", "nginx");
        assertThat(names(p.passes().get(1)))
                .as("their system calls and profiles too")
                .hasSize(5);
        assertThat(names(p.passes().get(2)))
                .as("warp@0.3: the stage as it ships")
                .containsExactly(five, "nginx");
        assertThat(names(p.passes().get(3))).as("close: not what they are for").containsExactly(five, "nginx");
        assertThat(ServerName.parse(five + "@date-per-request").design()).isEqualTo(Design.DATE_PER_REQUEST);
        assertThat(Design.DATE_PER_REQUEST.stageArgs(1)).containsExactly("--date", "per-request");
        assertThat(Design.HEADS_PER_REQUEST.stageArgs(1)).containsExactly("--heads", "per-request");
        assertThat(Design.SENDFILE.stageArgs(1)).containsExactly("--bodies", "sendfile");
        assertThat(Design.chapterVariants(five).toList())
                .as("a journey runs them beside stage 05 by default")
                .contains(five + "@sendfile", five + "@date-per-request", five + "@heads-per-request");
    }

    @Test
    void theJdkCostsRunWhereTheyArePaid() {
        String six = "stage-06-native";
        Plan p = plan(
                "--quick",
                "--servers",
                String.join(
                        ",",
                        six,
                        six + "@jdk-accept",
                        six + "@jdk-nodelay",
                        six + "@jdk-close",
                        six + "@jdk-transfer-to",
                        six + "@no-msg-more"),
                "--scenarios",
                "warp,close,large",
                "--no-costs");
        assertThat(names(p.passes().get(0))).as("warp: none of them").containsExactly(six);
        assertThat(names(p.passes().get(1)))
                .as("close: a connection's calls")
                .containsExactly(six, six + "@jdk-accept", six + "@jdk-nodelay", six + "@jdk-close");
        assertThat(names(p.passes().get(2)))
                .as("large: a file's calls")
                .containsExactly(six, six + "@jdk-transfer-to", six + "@no-msg-more");
        assertThat(Design.JDK_TRANSFER_TO.stageArgs(1)).containsExactly("--jdk-costs", "transfer-to");
        assertThat(Design.chapterVariants(six).toList())
                .as("a journey runs them beside stage 06 by default")
                .containsExactly(
                        six + "@jdk-accept",
                        six + "@jdk-nodelay",
                        six + "@jdk-close",
                        six + "@jdk-transfer-to",
                        six + "@no-msg-more");
        assertThatThrownBy(() -> ServerName.parse("stage-05-composer@jdk-close"))
                .hasMessageContaining("needs stage 06");
    }

    @Test
    void theNativeFloorStandsWhereTheFloorDoes() {
        Plan p = plan(
                "--quick",
                "--servers",
                "stage-05-composer,nginx,floor,native-floor",
                "--scenarios",
                "warp@0.3,large",
                "--no-costs");
        assertThat(names(p.passes().get(0))).containsExactly("stage-05-composer", "nginx", "floor", "native-floor");
        assertThat(names(p.passes().get(1))).as("not the 151-byte file").containsExactly("stage-05-composer", "nginx");
        assertThat(ServerName.parse("native-floor").peer()).isEqualTo(Peer.NATIVE_FLOOR);
        assertThat(ServerName.parse("native-floor").java()).isFalse();
    }

    @Test
    void theHeadlineKeepsTheNewestStageOnEachSideOfTheJdk() {
        Plan p = plan(
                "--quick",
                "--servers",
                "stage-04-fdcache,stage-05-composer,stage-05-composer@mapped,stage-06-native,"
                        + "stage-06-native@jdk-close,nginx,floor,native-floor",
                "--scenarios",
                "close@0.3",
                "--no-costs");
        assertThat(names(p.passes().get(0)))
                .as("chapter 05 reads stage 05 there, chapter 06 stage 06: neither an older stage nor a variant")
                .containsExactly("stage-05-composer", "stage-06-native", "nginx", "floor", "native-floor");
    }
}
