package dev.warpjourney.stage06;

import static dev.warpjourney.testkit.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warpjourney.testkit.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where connections go: over every loop with SO_REUSEPORT (the kernel's hash) and with a hand-off
 * (round-robin), to whichever loop wins with a shared listener; and every design serves with more
 * loops than CPUs.
 */
@Timeout(60)
class MulticoreTest {

    private static final int CONNECTIONS = 64;

    @TempDir
    Path root;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello\n");
    }

    private Server start(Config.Model model, int loops, Config.Accept accept) throws Exception {
        return Server.start(new Config("127.0.0.1", 0, root, Duration.ofSeconds(10), Duration.ofSeconds(60))
                .with(model, loops, accept));
    }

    /** Opens {@code n} connections with one GET each, all open together until every answer is in. */
    private static void getOnConnections(int port, int n) {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                clients.add(new RawClient(port).send(get("/hello.txt")));
            }
            for (RawClient c : clients) {
                assertThat(c.read().bodyText()).isEqualTo("hello\n");
            }
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    /** Connections each loop served, read once the loops have stopped. */
    private static List<Long> served(Server server) {
        return server.loops().stream().map(Loop::connectionsOpened).toList();
    }

    @Test
    void reuseportSpreadsConnectionsOverTheLoops() throws Exception {
        Server server = start(Config.Model.LOOPS, 2, Config.Accept.REUSEPORT);
        try {
            getOnConnections(server.port(), CONNECTIONS);
        } finally {
            server.close();
        }
        List<Long> served = served(server);
        System.out.printf("reuseport: %d connections over 2 loops: %s%n", CONNECTIONS, served);
        // The kernel hashes each connection's addresses and ports to a listener: all 64 on one of
        // two loops would take odds of 2 in 2^64.
        assertThat(served).allMatch(n -> n > 0);
        assertThat(served.stream().mapToLong(Long::longValue).sum()).isEqualTo(CONNECTIONS);
    }

    @Test
    void handoffDealsConnectionsRoundRobin() throws Exception {
        Server server = start(Config.Model.LOOPS, 2, Config.Accept.HANDOFF);
        try {
            getOnConnections(server.port(), CONNECTIONS);
        } finally {
            server.close();
        }
        assertThat(served(server)).containsExactly((long) CONNECTIONS / 2, (long) CONNECTIONS / 2);
    }

    @Test
    void sharedListenerServesFromWhicheverLoopWins() throws Exception {
        Server server = start(Config.Model.LOOPS, 2, Config.Accept.SHARED);
        try {
            getOnConnections(server.port(), CONNECTIONS);
        } finally {
            server.close();
        }
        List<Long> served = served(server);
        System.out.printf("shared: %d connections over 2 loops: %s%n", CONNECTIONS, served);
        assertThat(served.stream().mapToLong(Long::longValue).sum()).isEqualTo(CONNECTIONS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reuseport", "shared", "handoff", "vthreads"})
    void moreLoopsThanCpusServe(String design) throws Exception {
        int loops = 2 * Runtime.getRuntime().availableProcessors() + 1;
        boolean vthreads = design.equals("vthreads");
        Server server = start(
                vthreads ? Config.Model.VTHREADS : Config.Model.LOOPS,
                loops,
                vthreads ? Config.Accept.REUSEPORT : Config.Accept.valueOf(design.toUpperCase(Locale.ROOT)));
        try {
            getOnConnections(server.port(), 3 * loops);
            assertThat(server.describe()).contains("loops: " + loops);
        } finally {
            server.close();
        }
    }
}
