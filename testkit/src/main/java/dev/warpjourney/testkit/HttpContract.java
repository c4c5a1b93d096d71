package dev.warpjourney.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/1.1 contract every stage passes (RFC 9110, RFC 9112). A stage's test class extends this
 * and says how to start its server, in process and as a process; every test then talks raw bytes
 * to it over real sockets. The tests live in one interface per section.
 *
 * <p>Only speed may differ between stages: any behaviour here is the same for all of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class HttpContract
        implements GetHeadContract,
                ConnectionContract,
                TimeoutContract,
                ConditionalContract,
                RangeContract,
                DirectoryContract,
                MalformedRequestContract,
                RequestBodyContract,
                ChunkedBodyContract,
                HeaderFieldContract,
                PathSafetyContract,
                RobustnessContract,
                SlowlorisContract,
                SoakContract,
                ProcessContract,
                FreshnessContract,
                FaultsContract {

    private Path base;
    private Path root;
    private StaticServer server;
    private int port;

    /** Starts the stage's server on 127.0.0.1, on a free port, serving {@code root}. */
    @Override
    public abstract StaticServer start(Path root, Duration headerTimeout, Duration idleTimeout) throws Exception;

    @Override
    public final Path base() {
        return base;
    }

    @Override
    public final Path root() {
        return root;
    }

    @Override
    public final int port() {
        return port;
    }

    @BeforeAll
    void startServer() throws Exception {
        base = Files.createTempDirectory("warp-journey-contract");
        root = Docroot.create(base);
        server = start(root, HEADER_TIMEOUT, IDLE_TIMEOUT);
        port = server.port();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
