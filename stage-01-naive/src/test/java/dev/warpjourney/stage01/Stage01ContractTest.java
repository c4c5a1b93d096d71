package dev.warpjourney.stage01;

import dev.warpjourney.testkit.HttpContract;
import dev.warpjourney.testkit.StaticServer;
import java.nio.file.Path;
import java.time.Duration;

/** Stage 01 passes the whole HTTP contract. */
class Stage01ContractTest extends HttpContract {
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

    @Override
    public String mainClass() {
        return Main.class.getName();
    }
}
