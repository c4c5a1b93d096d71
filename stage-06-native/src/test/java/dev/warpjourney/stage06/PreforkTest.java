package dev.warpjourney.stage06;

import static dev.warpjourney.testkit.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warpjourney.testkit.ContractFixture;
import dev.warpjourney.testkit.RawClient;
import dev.warpjourney.testkit.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prefork: two processes of the stage, each {@code --loops 1 --accept reuseport} on one port, both
 * take connections, and both stop cleanly on SIGTERM.
 */
@Tag(ContractFixture.HEAVY)
@Timeout(120)
class PreforkTest {

    private static final int CONNECTIONS = 32;
    private static final List<String> CHILD_JVM = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path root;

    /** One prefork process; the port is the first one's, given as -Dstage06.port (0: any free port). */
    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Stage06Contract.main(
                    args, "--loops", "1", "--accept", "reuseport", "--port", System.getProperty("stage06.port", "0"));
        }
    }

    /** Sockets the process holds: its listener and the connections it accepted (/proc/PID/fd). */
    private static long sockets(ServerProcess p) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + p.process().pid() + "/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                        } catch (IOException e) {
                            return false; // closed meanwhile
                        }
                    })
                    .count();
        }
    }

    @Test
    void twoProcessesShareThePortBothServeAndBothStopCleanly() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        List<RawClient> clients = new ArrayList<>();
        try (ServerProcess first = ServerProcess.start(Child.class.getName(), root, List.of(), CHILD_JVM)) {
            List<String> jvm = new ArrayList<>(CHILD_JVM);
            jvm.add("-Dstage06.port=" + first.port());
            try (ServerProcess second = ServerProcess.start(Child.class.getName(), root, List.of(), jvm)) {
                assertThat(second.port()).as("both on one port").isEqualTo(first.port());
                long firstBefore = sockets(first);
                long secondBefore = sockets(second);
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(new RawClient(first.port()).send(get("/hello.txt")));
                }
                for (RawClient c : clients) {
                    assertThat(c.read().bodyText()).isEqualTo("hello\n");
                }
                long firstGot = sockets(first) - firstBefore;
                long secondGot = sockets(second) - secondBefore;
                System.out.printf(
                        "prefork: %d connections, %d to the first process, %d to the second%n",
                        CONNECTIONS, firstGot, secondGot);
                // Each process has its own accept queue, and the kernel hashes each connection to one.
                assertThat(firstGot)
                        .as("connections the first process accepted")
                        .isPositive();
                assertThat(secondGot)
                        .as("connections the second process accepted")
                        .isPositive();
                assertThat(firstGot + secondGot).isEqualTo(CONNECTIONS);
                clients.forEach(RawClient::close);
                clients.clear();

                first.process().destroy(); // SIGTERM
                second.process().destroy();
                assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(second.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(first.process().exitValue())
                        .as("first exit status; stderr " + first.stderr())
                        .isZero();
                assertThat(second.process().exitValue())
                        .as("second exit status; stderr " + second.stderr())
                        .isZero();
            }
        } finally {
            clients.forEach(RawClient::close);
        }
    }
}
