package dev.warpjourney.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * wrk in a container, for machines with Docker but no wrk. Host networking lets it reach
 * 127.0.0.1; the scripts directory is mounted at the same path, so the arguments are unchanged;
 * the container is pinned to the wrk CPU set as taskset would pin a local wrk.
 */
final class DockerWrk implements Wrk {
    private final String cpus;
    private final int threads;
    private final ImageFromDockerfile image = new ImageFromDockerfile("warp-journey-wrk", false)
            .withFileFromClasspath("Dockerfile", "dev/warpjourney/bench/wrk.Dockerfile");

    DockerWrk(String cpus, int threads) {
        this.cpus = cpus;
        this.threads = threads;
    }

    /** Whether a Docker engine answers; false (never an exception) when there is none. */
    static boolean available() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    @Override
    public WrkResult run(Scenario scenario, int port, Duration duration, Path scripts) {
        List<String> args = Wrk.arguments(scenario, "127.0.0.1", port, duration, scripts, threads);
        try (GenericContainer<?> wrk = new GenericContainer<>(image)) {
            wrk.withNetworkMode("host")
                    .withFileSystemBind(scripts.toString(), scripts.toString(), BindMode.READ_ONLY)
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCpusetCpus(cpus))
                    .withCommand(args.toArray(String[]::new))
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(duration.plusSeconds(120)));
            wrk.start();
            return WrkResult.parse(wrk.getLogs());
        }
    }
}
