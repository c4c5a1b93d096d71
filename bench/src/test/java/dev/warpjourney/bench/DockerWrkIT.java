package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journey's wrk through Testcontainers, against a real stage server: the path a reader with
 * Docker and no wrk takes. It needs a Docker-compatible engine; where none answers it is skipped
 * and says why (on Debian as root, {@code eval "$(tools/container-engine.sh)"} makes one with
 * Podman). It prints what it ran, so that a log shows whether it ran or was skipped.
 */
class DockerWrkIT {

    @Test
    @Timeout(900) // the first image build downloads wrk from the Debian mirror
    void theJourneysWrkRunsInAContainerAgainstStage05() throws Exception {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "Docker's default socket");
        boolean engine = DockerWrk.available();
        System.out.println("DockerWrkIT: "
                + (engine
                        ? "a Docker-compatible engine answers at " + host + ": running wrk in a container"
                        : "no Docker-compatible engine at " + host + ": skipped"));
        assumeTrue(
                engine,
                "no Docker-compatible engine answers (DOCKER_HOST: " + host + "); on Debian as root,"
                        + " eval \"$(tools/container-engine.sh)\" makes one with Podman");

        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path work = repo.resolve("bench/target/docker-wrk-it");
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        try (InputStream in = Journey.class.getResourceAsStream("report.lua")) {
            Files.write(scripts.resolve("report.lua"), in.readAllBytes());
        }
        Options options = Options.parse(
                new String[] {
                    "--servers",
                    "stage-05-composer",
                    "--server-quota",
                    "none",
                    "--out",
                    work.resolve("out").toString()
                },
                repo,
                Launcher.stagesFound(repo));
        Launcher launcher = new Launcher(options, Corpus.ensure(repo.resolve("target/journey-corpus")), work);
        Launcher.RunningServer server = launcher.start("stage-05-composer", false);
        try {
            long started = System.nanoTime();
            WrkResult r = new DockerWrk(options.wrkCpus(), Wrk.THREADS)
                    .run(Scenario.of("warp").withConnections(50), server.port(), Duration.ofSeconds(3), scripts);
            System.out.printf(
                    "DockerWrkIT: wrk in a container, 50 connections, 3 s against stage-05-composer: %d requests"
                            + " (%.0f req/s), p50 %d us, p99 %d us, %d errors; %.1f s in all with the container's start%n",
                    r.requests(),
                    r.requestsPerSecond(),
                    r.p50(),
                    r.p99(),
                    r.errors(),
                    (System.nanoTime() - started) / 1e9);
            assertThat(r.requests()).as("requests answered").isGreaterThan(1_000);
            assertThat(r.nonSuccess()).as("responses of 400 or more").isZero();
            assertThat(r.socketErrors()).as("socket errors").isZero();
            assertThat(r.bytes())
                    .as("every response carries the 151-byte file")
                    .isGreaterThanOrEqualTo(r.requests() * 151);
            assertThat(r.p50()).as("median latency, us").isPositive();
            assertThat(r.p99()).as("p99 latency, us").isGreaterThanOrEqualTo(r.p50());
        } finally {
            server.stop();
        }
    }
}
