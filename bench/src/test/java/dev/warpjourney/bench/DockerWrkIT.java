package dev.warpjourney.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/** wrk through Testcontainers, against the floor server. Skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class DockerWrkIT {

    @Test
    void runsWrkInAContainerWithHostNetworking(@TempDir Path scripts) throws Exception {
        Files.writeString(scripts.resolve("report.lua"), new String(Journey.class.getResourceAsStream("report.lua").readAllBytes()));
        int port = Launcher.freePort();
        Thread floor = Thread.ofPlatform().daemon().start(() -> {
            try {
                FloorServer.main(new String[] {String.valueOf(port)});
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        while (!Launcher.answers(port)) {
            Thread.sleep(50);
        }
        WrkResult r = new DockerWrk("0", Wrk.THREADS).run(Scenario.of("warp"), port, Duration.ofSeconds(2), scripts);
        assertThat(r.requests()).isPositive();
        assertThat(r.nonSuccess() + r.socketErrors()).isZero();
        floor.interrupt();
    }
}
