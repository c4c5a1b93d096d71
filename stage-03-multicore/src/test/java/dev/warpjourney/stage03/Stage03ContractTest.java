package dev.warpjourney.stage03;

import dev.warpjourney.testkit.HttpContract;
import dev.warpjourney.testkit.StaticServer;
import java.nio.file.Path;
import java.time.Duration;

/** Stage 02 passes the whole HTTP contract. */
class Stage03ContractTest extends HttpContract {
    @Override
    public StaticServer start(Path root, Duration headerTimeout, Duration idleTimeout) throws Exception {
        Server server = Server.start(new Config("127.0.0.1", 0, root, headerTimeout, idleTimeout));
        return new StaticServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** The stage as a process of its own, for the descriptor-limit and SIGTERM sections. */
    @Override
    public String mainClass() {
        return Main.class.getName();
    }
}
