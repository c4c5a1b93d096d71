package dev.warpjourney.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The methodology chapter and the harness say the same thing: the rules the text states are the
 * constants the harness runs with, read from both sides, and the statistic the text names is the
 * one the chapters' hypotheses are judged by.
 */
class MethodologyTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path TEXT = REPO.resolve("book/src/docs/asciidoc/chapters/methodology.adoc");

    /** A constant of a harness class, as the running harness has it (the classes are package-private: reflection). */
    private static double constant(String className, String field) throws Exception {
        Field f = Class.forName("dev.warpjourney.bench." + className).getDeclaredField(field);
        f.setAccessible(true);
        return ((Number) f.get(null)).doubleValue();
    }

    @Test
    void everyRuleTheTextStatesIsTheHarnessConstantItNames() throws Exception {
        String text = Files.readString(TEXT);
        Map<String, String> method = Methodology.method(REPO);
        Matcher cited = Pattern.compile("\\{(method-[a-z0-9-]+)}").matcher(text);
        List<String> names = new ArrayList<>();
        while (cited.find()) {
            names.add(cited.group(1));
        }
        assertThat(names)
                .as("the rules the methodology cites")
                .contains(
                        "method-bootstrap-rounds",
                        "method-interval",
                        "method-throttled-most",
                        "method-load-generator-saturated",
                        "method-min-paired-rounds",
                        "method-period-ms",
                        "method-steal-flagged",
                        "method-server-saturated",
                        "method-cpu-set-full");
        assertThat(method)
                .as("every cited rule is generated from the harness")
                .containsKeys(names.toArray(String[]::new));

        // And what is generated is what the harness runs with.
        assertThat(method)
                .containsEntry("method-bootstrap-rounds", String.valueOf((int) constant("Results", "BOOTSTRAP_ROUNDS")))
                .containsEntry(
                        "method-min-paired-rounds", String.valueOf((int) constant("Results", "MIN_PAIRED_ROUNDS")))
                .containsEntry("method-interval", Math.round(constant("Results", "INTERVAL") * 100) + "%")
                .containsEntry(
                        "method-load-generator-saturated",
                        Math.round(constant("Results", "LOAD_GENERATOR_SATURATED") * 100) + "%")
                .containsEntry(
                        "method-server-saturated", Math.round(constant("Results", "SERVER_SATURATED") * 100) + "%")
                .containsEntry("method-cpu-set-full", Math.round(constant("Results", "CPU_SET_FULL") * 100) + "%")
                .containsEntry("method-steal-flagged", Math.round(constant("Results", "STEAL_FLAGGED") * 100) + "%")
                .containsEntry("method-throttled-most", Math.round(constant("CpuBudget", "THROTTLED_MOST") * 100) + "%")
                .containsEntry(
                        "method-period-ms", String.valueOf(Math.round(constant("CpuBudget", "PERIOD_MICROS") / 1000)));
    }

    @Test
    void theTextShowsTheCodeThatDecides() throws Exception {
        String text = Files.readString(TEXT);
        for (String include : List.of(
                "Results.java[tags=thresholds]",
                "Results.java[tags=checks]",
                "Results.java[tags=ratio]",
                "Results.java[tags=interval]",
                "Results.java[tags=c10k]",
                "CpuBudget.java[tags=budget]",
                "Journey.java[tags=latency]",
                "paced.lua[tags=paced]",
                "Hypotheses.java[tags=verdict]")) {
            assertThat(text).as("the methodology includes " + include).contains(include);
        }
        // The statistic it names: the median of per-round ratios, never the ratio of the medians.
        assertThat(text).contains("median of the per-round ratios").contains("not the ratio of their medians");
    }

    /**
     * The text says one-core comparisons are throughput ratios over paired rounds, CPU per request
     * only a second view: no hypothesis may be judged on the old statistic, the ratio of two
     * servers' median CPU per request (cpuratio.* from a run without paired rounds).
     */
    @Test
    void noHypothesisIsJudgedOnTheRatioOfMedians() throws Exception {
        try (Stream<Path> files = Files.list(REPO.resolve("book/src/data/chapters"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".properties")).toList()) {
                RepoFiles.properties(f).forEach((k, v) -> {
                    if (k.matches("h\\d+\\.(metric|threshold)")) {
                        assertThat(v)
                                .as(f.getFileName() + " " + k)
                                .doesNotContain("cpuratio.")
                                .doesNotEndWith(".fraction");
                    }
                });
            }
        }
    }
}
