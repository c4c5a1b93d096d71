package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warpjourney.testkit.ContractFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: a bad option is one line on stderr and exit 2; the start-up line names the design. */
@Tag(ContractFixture.HEAVY)
@Timeout(60)
class MainTest {

    @TempDir
    Path root;

    private Process main(String... args) throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", // what the jar's manifest says (Enable-Native-Access)
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--root",
                root.toString(),
                "--port",
                "0"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--loops 0",
                "--loops two",
                "--model fibers",
                "--accept magic",
                "--model vthreads --accept shared",
                "--bodies none",
                "--date per_request",
                "--heads never",
                "--jdk-costs fcntl",
                "--jdk-costs accept,",
                "--model vthreads --jdk-costs close"
            })
    void aBadDesignIsOneLineOnStderrAndExitTwo(String args) throws Exception {
        Process p = main(args.split(" "));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err.lines().toList()).as(err).hasSize(1);
        assertThat(err).startsWith("stage-06-native: ");
    }

    @Test
    void theStartUpLineNamesTheDesign() throws Exception {
        Process p = main("--loops", "3", "--accept", "handoff");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line)
                    .matches("listening on http://127\\.0\\.0\\.1:\\d+/ serving .* \\(model: loops, loops: 3, "
                            + "accept: handoff, selector: native-epoll, bodies: memory, date: once-a-second, "
                            + "heads: per-file\\)");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(p.exitValue()).as("SIGTERM: a clean stop").isZero();
    }

    @Test
    void theStartUpLineNamesTheJdkCostsPutBack() throws Exception {
        Process p = main("--loops", "1", "--jdk-costs", "transfer-to,accept");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).endsWith(", heads: per-file, jdk-costs: accept,transfer-to)");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(p.exitValue()).as("SIGTERM: a clean stop").isZero();
    }

    @Test
    void theStartUpLineNamesEachSwitchedOffIdea() throws Exception {
        Process p = main("--loops", "1", "--bodies", "sendfile", "--date", "per-request", "--heads", "per-request");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).endsWith(", bodies: sendfile, date: per-request, heads: per-request)");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(p.exitValue()).as("SIGTERM: a clean stop").isZero();
    }
}
