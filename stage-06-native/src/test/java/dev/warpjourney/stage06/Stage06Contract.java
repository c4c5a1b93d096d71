package dev.warpjourney.stage06;

import dev.warpjourney.testkit.HttpContract;
import dev.warpjourney.testkit.StaticServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The whole HTTP contract against one of stage 06's designs (stage 05's, each with its loops on Linux's own calls;
 * and small files mapped, and the JDK's costs put back): each concrete class names one, in
 * process ({@link #design}) and as a process of its own (its {@code Child}, a main that adds the
 * design's options to the command line).
 */
abstract class Stage06Contract extends HttpContract {

    /** The file cache trusts what it found for this long: the freshness section waits it out. */
    @Override
    public Duration freshnessWindow() {
        return Limits.FILE_CACHE_WINDOW;
    }

    /** What this stage's arenas hold (the loops', and any call's still open): the soak checks it. */
    @Override
    public long nativeBytes() {
        return NativeMemory.live();
    }

    /** The design under test, applied to the contract's settings. */
    abstract Config design(Config contract);

    @Override
    public StaticServer start(Path root, Duration headerTimeout, Duration idleTimeout) throws Exception {
        Server server = Server.start(design(new Config("127.0.0.1", 0, root, headerTimeout, idleTimeout)));
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

    /** Runs {@link Main} with the contract's arguments and then the design's. */
    static void main(String[] args, String... design) throws InterruptedException {
        String[] all = Arrays.copyOf(args, args.length + design.length);
        System.arraycopy(design, 0, all, args.length, design.length);
        Main.main(all);
    }
}
