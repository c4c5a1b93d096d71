package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * A fork's GitHub workflows cannot run here, so they are read: each parses as YAML, and says what
 * README and ADAPTING promise (CI runs README's test command on a JDK 25 with wrk and strace; the
 * book workflow renders HTML and PDF and publishes them to Pages).
 */
class WorkflowsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> workflow(String name) throws Exception {
        Map<String, Object> w = new Yaml()
                .load(Files.readString(REPO.resolve(".github/workflows").resolve(name)));
        assertThat(w).as(name).containsKeys("name", "jobs");
        // YAML 1.1 reads an unquoted `on` key as the boolean true; GitHub reads it as "on".
        assertThat(w.containsKey("on") || w.containsKey(Boolean.TRUE))
                .as(name + " has triggers")
                .isTrue();
        return w;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> w, String job) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) w.get("jobs")).get(job)).get("steps");
    }

    /** The test command, as README.md gives it in its "Build and test" block. */
    private static String readmeTestCommand() throws Exception {
        Matcher m = Pattern.compile("## Build and test\\s+```sh\\n(?:.*\\n)*?(\\./mvnw [^\\n]*)\\n```")
                .matcher(Files.readString(REPO.resolve("README.md")));
        assertThat(m.find()).as("README's Build and test block").isTrue();
        return m.group(1).trim();
    }

    @Test
    @SuppressWarnings("unchecked")
    void ciRunsReadmesTestCommandOnJdk25WithTheToolsTheTestsDrive() throws Exception {
        List<Map<String, Object>> steps = steps(workflow("ci.yml"), "verify");
        assertThat(steps).anyMatch(s -> String.valueOf(s.get("uses")).startsWith("actions/checkout@"));
        Map<String, Object> java = steps.stream()
                .filter(s -> String.valueOf(s.get("uses")).startsWith("actions/setup-java@"))
                .findFirst()
                .orElseThrow();
        assertThat((Map<String, Object>) java.get("with"))
                .containsEntry("java-version", "25")
                .containsEntry("distribution", "temurin");
        List<String> runs =
                steps.stream().map(s -> String.valueOf(s.get("run"))).toList();
        assertThat(runs).anyMatch(r -> r.contains("apt-get install") && r.contains("wrk") && r.contains("strace"));
        // README's command, with Maven's batch mode for plain logs and nothing else.
        String command = readmeTestCommand();
        assertThat(runs).anyMatch(r -> r.trim().replace(" -B", "").equals(command));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBookWorkflowRendersHtmlAndPdfAndPublishesThemToPages() throws Exception {
        Map<String, Object> w = workflow("book.yml");
        assertThat((Map<String, Object>) w.get("permissions"))
                .containsEntry("pages", "write")
                .containsEntry("id-token", "write");
        List<Map<String, Object>> build = steps(w, "build");
        assertThat(build)
                .anyMatch(s -> String.valueOf(s.get("run")).contains("-pl book")
                        && String.valueOf(s.get("run")).contains("-Ppdf"));
        Map<String, Object> upload = build.stream()
                .filter(s -> String.valueOf(s.get("uses")).startsWith("actions/upload-pages-artifact@"))
                .findFirst()
                .orElseThrow();
        assertThat((Map<String, Object>) upload.get("with")).containsEntry("path", "book/target/generated-docs");
        assertThat(steps(w, "deploy"))
                .anyMatch(s -> String.valueOf(s.get("uses")).startsWith("actions/deploy-pages@"));
        assertThat(Files.readString(REPO.resolve("ADAPTING.adoc")))
                .contains(".github/workflows/book.yml")
                .contains("GitHub Actions");
    }
}
