package dev.warpjourney.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * How a server runs, as its name says after the {@code @} (see {@link ServerName}): a stage as built, one of the
 * variants the chapters compare, or nginx with N workers. Each design carries what it adds to a stage's command line,
 * so that the launcher asks the design instead of switching on its name.
 */
enum Design {
    /** The stage, or the peer, as it is: no {@code @}. */
    AS_BUILT("", 0, null),
    /** Stage 02 on the JDK's poll(2) selector: the same server with epoll alone taken away. */
    POLL("poll", 0, Launcher.EPOLL_STAGE) {
        @Override
        List<String> jvmFlags(int n) {
            return List.of("-Djava.nio.channels.spi.SelectorProvider=" + Launcher.POLL_SELECTOR);
        }
    },
    /** Stage 05 with its small files' bytes mapped from the file (mmap) instead of read into memory. */
    MAPPED("mapped", ServerName.FIRST_COMPOSER_STAGE, Launcher.COMPOSER_STAGE, "--bodies", "mapped"),
    // Stage 05's ideas, each switched off in turn (as @poll switches epoll off in stage 02): what the
    // server loses without it is what the idea bought. Run in warp only, the scenario the ideas are for.
    /** Stage 05 without the single write: every file by sendfile after its head, as in stage 04. */
    SENDFILE("sendfile", ServerName.FIRST_COMPOSER_STAGE, Launcher.COMPOSER_STAGE, "--bodies", "sendfile"),
    /** Stage 05 without the Date cache: the Date formatted for each response, as in stage 04. */
    DATE_PER_REQUEST(
            "date-per-request", ServerName.FIRST_COMPOSER_STAGE, Launcher.COMPOSER_STAGE, "--date", "per-request"),
    /** Stage 05 without pre-composed heads: a cached file's head composed for each response, as in stage 04. */
    HEADS_PER_REQUEST(
            "heads-per-request", ServerName.FIRST_COMPOSER_STAGE, Launcher.COMPOSER_STAGE, "--heads", "per-request"),
    // Stage 06's native moves, each undone in turn: the JDK's own system calls put back in its place
    // (--jdk-costs), so that what the server loses is what the move saved. The connection's moves run in
    // close, the scenario that pays them per request; the file's in large.
    /** Stage 06 with accept, three fcntl and two getsockname per connection, as the JDK accepts, for one accept4. */
    JDK_ACCEPT("jdk-accept", ServerName.FIRST_NATIVE_STAGE, Launcher.NATIVE_STAGE, "--jdk-costs", "accept"),
    /** Stage 06 with TCP_NODELAY set on each connection, as stage 05 sets it, not inherited from the listener. */
    JDK_NODELAY("jdk-nodelay", ServerName.FIRST_NATIVE_STAGE, Launcher.NATIVE_STAGE, "--jdk-costs", "nodelay"),
    /** Stage 06 closing as a JDK channel closes: out of the epoll set, SO_LINGER read, a second shutdown. */
    JDK_CLOSE("jdk-close", ServerName.FIRST_NATIVE_STAGE, Launcher.NATIVE_STAGE, "--jdk-costs", "close"),
    /** Stage 06 with transferTo's fstat and refused copy_file_range before each sendfile. */
    JDK_TRANSFER_TO(
            "jdk-transfer-to", ServerName.FIRST_NATIVE_STAGE, Launcher.NATIVE_STAGE, "--jdk-costs", "transfer-to"),
    /** Stage 06 writing a head before its sendfile without MSG_MORE, as the JDK must. */
    NO_MSG_MORE("no-msg-more", ServerName.FIRST_NATIVE_STAGE, Launcher.NATIVE_STAGE, "--jdk-costs", "no-msg-more"),
    // One JVM, N loops; the three differ only in who accepts: each loop on its own SO_REUSEPORT
    // listener (the kernel spreads connections over N accept queues), all N on one listener
    // (each new connection wakes them all: the thundering herd), or one acceptor handing sockets over.
    LOOPS("loops", ServerName.FIRST_MULTICORE_STAGE, null) {
        @Override
        List<String> stageArgs(int n) {
            return List.of("--model", "loops", "--loops", String.valueOf(n), "--accept", "reuseport");
        }
    },
    HANDOFF("handoff", ServerName.FIRST_MULTICORE_STAGE, null) {
        @Override
        List<String> stageArgs(int n) {
            return List.of("--model", "loops", "--loops", String.valueOf(n), "--accept", label());
        }
    },
    SHARED("shared", ServerName.FIRST_MULTICORE_STAGE, null) {
        @Override
        List<String> stageArgs(int n) {
            return List.of("--model", "loops", "--loops", String.valueOf(n), "--accept", label());
        }
    },
    VTHREADS("vthreads", ServerName.FIRST_MULTICORE_STAGE, null) {
        // The JDK's own IO manager, sized to N: N carrier threads, and N read pollers rounded down to
        // a power of two (JDK 25's sun.nio.ch.Poller refuses any other count; by default it takes one
        // per CPU the JVM may run on, whatever N is). jdk.pollerMode keeps its Linux default, which
        // runs the read pollers as virtual threads on those same N carriers.
        @Override
        List<String> jvmFlags(int n) {
            return List.of(
                    "-Djdk.virtualThreadScheduler.parallelism=" + n, "-Djdk.readPollers=" + Integer.highestOneBit(n));
        }

        @Override
        List<String> stageArgs(int n) {
            return List.of("--model", "vthreads", "--loops", String.valueOf(n));
        }
    },
    /** N processes of one loop each, on one port: each binds its own SO_REUSEPORT listener. */
    PREFORK("prefork", ServerName.FIRST_MULTICORE_STAGE, null) {
        @Override
        List<String> stageArgs(int n) {
            return List.of("--model", "loops", "--loops", "1", "--accept", "reuseport");
        }

        @Override
        int processes(int n) {
            return n;
        }
    },
    /** nginx@N: nginx with N workers (its command is the peer's, see {@link Peer#NGINX}). */
    NGINX("nginx", 0, null);

    /** Stage 05's ideas switched off, one each, in the order chapter 05's table shows them. */
    static final List<Design> SWITCHED_OFF = List.of(SENDFILE, HEADS_PER_REQUEST, DATE_PER_REQUEST);

    /** Stage 06's native moves undone, one each, for a new connection's calls: run in close only. */
    static final List<Design> JDK_CONNECTION_COSTS = List.of(JDK_ACCEPT, JDK_NODELAY, JDK_CLOSE);

    /** Stage 06's native moves undone, one each, for a file's calls: run in large only. */
    static final List<Design> JDK_FILE_COSTS = List.of(JDK_TRANSFER_TO, NO_MSG_MORE);

    /** The multicore designs of stage 03, in the order the multicore preset runs them (and the charts draw them). */
    static final List<Design> MULTICORE = List.of(LOOPS, HANDOFF, SHARED, VTHREADS, PREFORK);

    private final String label;
    /** The first stage that has this variant; 0: any stage. */
    private final int firstStage;
    /**
     * The stage whose chapter this variant belongs to, which a journey runs with it by default (stage-02-epoll@poll);
     * null for a variant run only when asked for.
     */
    private final String chapter;
    /** The arguments a variant gives the stage's main whatever N (--bodies mapped, --jdk-costs accept); none by default. */
    private final List<String> args;

    Design(String label, int firstStage, String chapter, String... args) {
        this.label = label;
        this.firstStage = firstStage;
        this.chapter = chapter;
        this.args = List.of(args);
    }

    /** Its name after the {@code @} (without the {@code -N}), and in scaling.csv's design column. */
    String label() {
        return label;
    }

    int firstStage() {
        return firstStage;
    }

    /** One of stage 03's designs, which run N loops ({@code @loops-N}) and are compared in scaling.csv. */
    boolean multicore() {
        return MULTICORE.contains(this);
    }

    /** The JVM flags this design adds before {@code -jar}, for N loops. */
    List<String> jvmFlags(int n) {
        return List.of();
    }

    /** The arguments this design gives the stage's main, for N loops. */
    List<String> stageArgs(int n) {
        return args;
    }

    /**
     * Whether a journey runs this design in a scenario of this kind: every kind, but a switched-off idea only in warp,
     * a JDK cost only where it is paid per request (close for a connection's, large for a file's).
     */
    boolean runsIn(Scenario.Kind kind) {
        if (SWITCHED_OFF.contains(this)) {
            return kind == Scenario.Kind.WARP;
        }
        if (JDK_CONNECTION_COSTS.contains(this)) {
            return kind == Scenario.Kind.CLOSE;
        }
        if (JDK_FILE_COSTS.contains(this)) {
            return kind == Scenario.Kind.LARGE;
        }
        return true;
    }

    /** JVM processes it runs as: prefork's N, one for every other design. */
    int processes(int n) {
        return 1;
    }

    /** The variants a journey runs beside this stage module by default: its chapter's (stage-02-epoll@poll). */
    static Stream<String> chapterVariants(String module) {
        return Arrays.stream(values()).filter(d -> module.equals(d.chapter)).map(d -> module + "@" + d.label);
    }

    /** The stage design of this label; null for none. */
    static Design named(String label) {
        return Arrays.stream(values())
                .filter(d -> d != AS_BUILT && d != NGINX && d.label.equals(label))
                .findFirst()
                .orElse(null);
    }
}
