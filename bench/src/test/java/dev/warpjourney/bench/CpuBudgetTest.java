package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU budget's bookkeeping, on made-up cgroup trees: which hierarchy it picks, what it writes
 * for a quota, how it reads the throttling counters. (JourneyQuickIT runs it for real.)
 */
class CpuBudgetTest {

    @Test
    void cgroupV1WritesAPeriodAndAQuotaAndReadsNrThrottled(@TempDir Path root) throws Exception {
        Path cpu = Files.createDirectories(root.resolve("cpu"));
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "-1");
        Files.createDirectories(root.resolve("unified"));
        Files.writeString(root.resolve("unified/cgroup.controllers"), "hugetlb\n"); // hybrid: no cpu in v2
        CpuBudget budget = CpuBudget.detect(root, null);
        assertThat(budget.available()).isTrue();
        assertThat(budget.describe()).startsWith("cgroup v1 at " + cpu.resolve("warp-journey-"));

        CpuBudget.Group g = budget.create("stage-05-composer@loops-2", 0.5);
        Path dir = Files.list(cpu)
                .filter(Files::isDirectory)
                .findFirst()
                .orElseThrow()
                .resolve("stage-05-composer_loops-2");
        assertThat(Files.readString(dir.resolve("cpu.cfs_period_us"))).isEqualTo("10000");
        assertThat(Files.readString(dir.resolve("cpu.cfs_quota_us"))).isEqualTo("5000"); // half a core per 10 ms
        assertThat(g.cpus()).isEqualTo(0.5);
        g.quota(Double.NaN); // the latency pass: unthrottled
        assertThat(Files.readString(dir.resolve("cpu.cfs_quota_us"))).isEqualTo("-1");

        Files.writeString(dir.resolve("cpu.stat"), "nr_periods 400\nnr_throttled 390\nthrottled_time 1950000000\n");
        CpuBudget.Throttling before = g.read();
        Files.writeString(dir.resolve("cpu.stat"), "nr_periods 900\nnr_throttled 880\nthrottled_time 4400000000\n");
        CpuBudget.Throttling round = g.read().minus(before);
        assertThat(round).isEqualTo(new CpuBudget.Throttling(500, 490));
        assertThat(round.share()).isCloseTo(0.98, within(1e-9));
        assertThat(new CpuBudget.Throttling(0, 0).share()).isNaN();

        // The server is started inside the group by a shell that writes its own pid there first.
        assertThat(g.wrap(List.of("taskset", "-c", "1", "java")))
                .containsExactly(
                        "sh",
                        "-c",
                        "echo $$ > \"$0\" && exec \"$@\"",
                        dir.resolve("cgroup.procs").toString(),
                        "taskset",
                        "-c",
                        "1",
                        "java");
    }

    @Test
    void cgroupV2WithTheCpuControllerWritesCpuMax(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        CpuBudget budget = CpuBudget.detect(root, null);
        assertThat(budget.describe()).startsWith("cgroup v2 at ");
        Path parent = Files.list(root).filter(Files::isDirectory).findFirst().orElseThrow();
        assertThat(Files.readString(parent.resolve("cgroup.subtree_control"))).isEqualTo("+cpu");
        CpuBudget.Group g = budget.create("nginx", 0.3);
        assertThat(Files.readString(parent.resolve("nginx/cpu.max"))).isEqualTo("3000 10000");
        g.quota(Double.NaN);
        assertThat(Files.readString(parent.resolve("nginx/cpu.max"))).isEqualTo("max 10000");
        Files.writeString(
                parent.resolve("nginx/cpu.stat"), "usage_usec 10\nnr_periods 10\nnr_throttled 4\nthrottled_usec 20\n");
        assertThat(g.read()).isEqualTo(new CpuBudget.Throttling(10, 4));
    }

    @Test
    void withoutRootTheDelegatedGroupOfThisProcessHoldsTheServersGroups(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.createDirectories(
                root.resolve("cgroup.subtree_control")); // the root's controls cannot be written: not root
        Path scope = Files.createDirectories(root.resolve("user.slice/user@1000.service/app.slice/run-r1.scope"));
        Files.writeString(scope.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(scope.resolve("cgroup.procs"), "4242\n4243\n");
        Path self = Files.writeString(
                root.resolve("self-cgroup"), "0::/user.slice/user@1000.service/app.slice/run-r1.scope\n");

        CpuBudget budget = CpuBudget.detect(root, CpuBudget.ownGroup(self));
        assertThat(budget.available()).isTrue();
        assertThat(budget.describe()).startsWith("cgroup v2 at " + scope.resolve("warp-journey-"));
        assertThat(Files.readString(scope.resolve("harness/cgroup.procs")))
                .as("the journey moved to a leaf")
                .isEqualTo("4243");
        assertThat(Files.readString(scope.resolve("cgroup.subtree_control"))).isEqualTo("+cpu");
        assertThat(Files.list(root).filter(p -> p.getFileName().toString().startsWith("warp-journey-")))
                .as("nothing left at the root")
                .isEmpty();
        budget.create("nginx", 0.5);
        Path parent = Files.list(scope)
                .filter(p -> p.getFileName().toString().startsWith("warp-journey-"))
                .findFirst()
                .orElseThrow();
        assertThat(Files.readString(parent.resolve("nginx/cpu.max"))).isEqualTo("5000 10000");
    }

    @Test
    void withoutRootOrADelegatedGroupThereIsNoBudgetAndItSaysHowToGetOne(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.createDirectories(root.resolve("cgroup.subtree_control"));
        CpuBudget budget = CpuBudget.detect(root, "/user.slice/user-1000.slice/session-2.scope");
        assertThat(budget.available()).isFalse();
        assertThat(budget.why())
                .contains("cannot enable the cpu controller")
                .contains("systemd-run --user --scope -p Delegate=yes");
    }

    @Test
    void withoutAControllerThereIsNoBudgetAndItSaysWhy(@TempDir Path root) {
        CpuBudget budget = CpuBudget.detect(root, null);
        assertThat(budget.available()).isFalse();
        assertThat(budget.why()).contains("no cgroup cpu controller");
        assertThat(budget.describe()).startsWith("none (");
    }

    @Test
    void stealIsTheShareOfTheChosenCpusTicksTheHypervisorTook() {
        String before = """
                cpu  100 0 100 800 0 0 0 0 0 0
                cpu0 50 0 50 400 0 0 0 0 0 0
                cpu1 50 0 50 400 0 0 0 0 0 0
                """;
        String after = """
                cpu  200 0 200 1580 0 0 0 20 0 0
                cpu0 100 0 100 790 0 0 0 10 0 0
                cpu1 100 0 100 790 0 0 0 10 0 0
                """;
        StealTime a = StealTime.parse(before, Set.of(0, 1));
        StealTime b = StealTime.parse(after, Set.of(0, 1));
        assertThat(b.shareSince(a)).isCloseTo(20 / 1000.0, within(1e-9));
        assertThat(StealTime.parse(after, Set.of(1)).shareSince(StealTime.parse(before, Set.of(1))))
                .isCloseTo(10 / 500.0, within(1e-9));
        assertThat(a.shareSince(a)).isNaN();
    }
}
