package dev.warpjourney.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A stage is made by copying the one before it, and the copy carries that stage's words. A line that names a stage
 * is written in one stage (its origin) and means something there: "Stage 02's settings" in stage 02 describes
 * itself, "Stage 05 sends them in one write" in stage 01 looks ahead. Copied on, such a line goes stale: the first
 * in every later stage (stage 03's settings are not stage 02's), the second once the stage it looks ahead to is
 * reached. So a line of stage S that names stage K, and was first written in stage O with O <= K, must not be in S
 * when S > O and S >= K. Lines that look back (K < O) stay true for good.
 */
class StaleCopyTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern STAGE_MENTION = Pattern.compile("(?i)\\bstage (\\d\\d)\\b");

    @Test
    void noStageCarriesAnotherStagesWordsAboutItself() throws IOException {
        assertThat(staleLines(sources(REPO))).isEmpty();
    }

    @Test
    void aForwardLookThatReachedItsStageAndASelfDescriptionCopiedOnAreCaught() {
        Map<Integer, List<String>> stages = new LinkedHashMap<>();
        stages.put(4, List.of("// Two writes. Stage 05 sends them in one write.", "/** Stage 04's settings. */"));
        stages.put(
                5,
                List.of(
                        "// Two writes. Stage 05 sends them in one write.",
                        "/** Stage 04's settings. */",
                        "// stage 04 made a String of them (looks back: fine)",
                        "// Stage 06 will call writev itself (looks ahead: fine)"));
        assertThat(staleLines(stages))
                .containsExactly(
                        "stage 05: // Two writes. Stage 05 sends them in one write. (first written in stage 04)",
                        "stage 05: /** Stage 04's settings. */ (first written in stage 04)");
    }

    /** Each stage's main source lines, trimmed, by stage number. */
    private static Map<Integer, List<String>> sources(Path repo) throws IOException {
        Map<Integer, List<String>> stages = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(repo)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("stage-\\d\\d-.*"))
                    .sorted()
                    .toList()) {
                int n = Integer.parseInt(dir.getFileName().toString().substring("stage-".length(), 8));
                List<String> lines = new ArrayList<>();
                try (Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                            .sorted()
                            .toList()) {
                        Files.readAllLines(f).forEach(l -> lines.add(l.strip()));
                    }
                }
                stages.put(n, lines);
            }
        }
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        return stages;
    }

    static List<String> staleLines(Map<Integer, List<String>> stages) {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> stage : stages.entrySet()) {
            int s = stage.getKey();
            for (String line : stage.getValue()) {
                int origin = stages.entrySet().stream()
                        .filter(e -> e.getValue().contains(line))
                        .mapToInt(Map.Entry::getKey)
                        .min()
                        .orElse(s);
                Matcher m = STAGE_MENTION.matcher(line);
                while (m.find()) {
                    int k = Integer.parseInt(m.group(1));
                    if (k >= origin && s > origin && s >= k) {
                        stale.add(String.format("stage %02d: %s (first written in stage %02d)", s, line, origin));
                        break;
                    }
                }
            }
        }
        return stale;
    }
}
