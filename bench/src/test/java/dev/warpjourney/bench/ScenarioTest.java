package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios by name: what each asks wrk for, and which passes a journey runs for it. */
class ScenarioTest {

    @Test
    void aScenarioSaysWhichPassesItTakesPartIn() {
        Scenario c10k = Scenario.of("c10k");
        assertThat(c10k.idleCurve()).isTrue();
        assertThat(c10k.flameGraph()).isTrue();
        assertThat(c10k.latencyPass()).isFalse();
        assertThat(Scenario.of("warp").latencyPass()).isTrue();
        assertThat(Scenario.of("warp").allocations()).isTrue();
        assertThat(Scenario.of("manyfiles").allocations()).isTrue();
        assertThat(Scenario.of("close").flameGraph())
                .as("chapter 06 reads its profile")
                .isTrue();
        assertThat(Scenario.of("large").flameGraph()).isFalse();
        assertThat(Scenario.of("slowloris").wrk()).isFalse();
        // At a budget of its own, a scenario is the headline comparison: throughput rounds alone.
        Scenario tight = Scenario.of("c10k@0.5");
        assertThat(tight.headline()).isTrue();
        assertThat(tight.idleCurve()).isFalse();
        assertThat(tight.flameGraph()).isFalse();
        assertThat(Scenario.of("warp@0.3").latencyPass()).isFalse();
        assertThat(Scenario.of("warp@0.3").what()).endsWith(", every server held to 0.3 of a core");
        assertThat(Scenario.of("pipeline").depth()).isEqualTo(Scenario.PIPELINE_DEPTH);
        assertThat(Scenario.of("large").path()).isEqualTo("/1m.bin");
        assertThat(Scenario.of("large").floorApplies()).isFalse();
    }

    @Test
    void anUnknownScenarioSaysWhatIsKnown() {
        List<String> found = List.of("stage-01-naive");
        assertThatThrownBy(() -> Options.parse(new String[] {"--scenarios", "bogus"}, Path.of("."), found, "0-1"))
                .isInstanceOf(Options.UsageException.class)
                .hasMessage("unknown scenario bogus (known: " + Options.ALL_SCENARIOS + " and " + Options.MORE_SCENARIOS
                        + ")");
        assertThatThrownBy(
                        () -> Options.parse(new String[] {"--scenarios", "slowloris@0.3"}, Path.of("."), found, "0-1"))
                .hasMessageContaining("a budget (0 < F <= 1) after a wrk scenario");
        assertThatThrownBy(() -> Scenario.of("bogus@0.3")).hasMessage("bogus");
    }
}
