package dev.warpjourney.stage06;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * What one server instance needs to start.
 *
 * @param host                 address to bind
 * @param port                 port to bind, 0 for any free port
 * @param root                 document root; only files below it are ever served
 * @param requestHeaderTimeout time a client has to send a whole request head
 * @param idleTimeout          time a keep-alive connection may sit idle, or a client may stop reading
 * @param model                how the cores are put to work: event loops, or a virtual thread per connection
 * @param loops                event loops (model LOOPS); the vthreads model sizes nothing with it
 * @param accept               who accepts new connections (model LOOPS only)
 * @param bodies               how the file cache keeps small files' bytes, or none ({@link Bodies#SENDFILE})
 * @param dates                how the Date header is made: once a second, or for each response
 * @param heads                how a cached file's 200 head is made: once per file, or for each response
 * @param jdkCosts             the JDK's system calls put back, each in place of this stage's own (empty: none)
 */
public record Config(
        String host,
        int port,
        Path root,
        Duration requestHeaderTimeout,
        Duration idleTimeout,
        Model model,
        int loops,
        Accept accept,
        Bodies bodies,
        Dates dates,
        Heads heads,
        Set<JdkCost> jdkCosts) {

    // tag::native-jdk-cost[]
    /**
     * One of the JDK's costs put back, in place of the native move that removed it: the same system calls, in number
     * and kind, as JDK 25's NIO makes there. Switched on one at a time, each measures what its move saved, as stage
     * 02's poll measures epoll. Not a way to run the server: nothing here is for production.
     */
    public enum JdkCost {
        /** accept, then three fcntl and two getsockname, as ServerSocketChannel.accept and configureBlocking make them. */
        ACCEPT,
        /** TCP_NODELAY set on each connection (setsockopt), as stage 05 sets it, not inherited from the listener. */
        NODELAY,
        /** The channel's close: the socket out of the epoll set, getsockopt(SO_LINGER) and a shutdown, then close. */
        CLOSE,
        /** FileChannel.transferTo's fstat and the copy_file_range a socket refuses, before each sendfile. */
        TRANSFER_TO,
        /** A head before a sendfile written plainly, without MSG_MORE: the JDK has no way to ask for it. */
        NO_MSG_MORE
    }
    // end::native-jdk-cost[]

    /** Where a small file's bytes come from when they go out in one write with the head (the chapter measures both). */
    public enum Bodies {
        /** Read once into memory of the cache's own (direct, outside the heap). */
        MEMORY,
        /** Mapped from the file (mmap): the page cache's own pages, no copy, nothing read up front. */
        MAPPED,
        /**
         * None kept: every file goes by sendfile after its head, as in stage 04. The single write switched off, so
         * that the chapter can measure what it bought (as stage 02 measures epoll by switching it off).
         */
        SENDFILE
    }

    /** How the Date header's bytes are made (the second switch the chapter measures). */
    public enum Dates {
        /** Formatted when the second changes, and copied by every response in that second (the default). */
        ONCE_A_SECOND,
        /** Formatted for each response, as stage 04 did: the Date cache switched off. */
        PER_REQUEST
    }

    /** How a cached file's 200 gets its head (the third switch the chapter measures). */
    public enum Heads {
        /** Composed once, when the file cache looks the file up, and copied by each response (the default). */
        PER_FILE,
        /** Composed for each response, with a StringBuilder, as stage 04 did: the pre-composed head switched off. */
        PER_REQUEST
    }

    /** How the server uses more than one core. */
    public enum Model {
        /** N event loops, each a thread with its own epoll set and connections: stage 02's loop, N times. */
        LOOPS,
        /** Plain blocking code, a virtual thread per connection, parked on the JDK's own pollers. */
        VTHREADS
    }

    /** Who accepts the connections that N loops serve. */
    public enum Accept {
        /** Each loop its own listener, all on one port (SO_REUSEPORT): the kernel picks the loop. */
        REUSEPORT,
        /** One listener in every loop's epoll set: each loop accepts what it can (and all wake for each). */
        SHARED,
        /** One acceptor thread hands each connection to the next loop, round-robin. */
        HANDOFF
    }

    public Config {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1: " + loops);
        }
        jdkCosts = Set.copyOf(jdkCosts);
    }

    /** The default model and accept mode: a loop per available processor, each with its own listener. */
    public Config(String host, int port, Path root, Duration requestHeaderTimeout, Duration idleTimeout) {
        this(
                host,
                port,
                root,
                requestHeaderTimeout,
                idleTimeout,
                Model.LOOPS,
                Runtime.getRuntime().availableProcessors(),
                Accept.REUSEPORT,
                Bodies.MEMORY,
                Dates.ONCE_A_SECOND,
                Heads.PER_FILE,
                Set.of());
    }

    /** The defaults used by the command line. */
    public static Config of(String host, int port, Path root) {
        return new Config(host, port, root, Limits.REQUEST_HEADER_TIMEOUT, Limits.IDLE_TIMEOUT);
    }

    /** The same server on another model, loop count and accept mode. */
    public Config with(Model model, int loops, Accept accept) {
        return new Config(
                host,
                port,
                root,
                requestHeaderTimeout,
                idleTimeout,
                model,
                loops,
                accept,
                bodies,
                dates,
                heads,
                jdkCosts);
    }

    /** The same server, keeping small files' bytes another way (or none). */
    public Config with(Bodies how) {
        return new Config(
                host, port, root, requestHeaderTimeout, idleTimeout, model, loops, accept, how, dates, heads, jdkCosts);
    }

    /** The same server, making its Date another way. */
    public Config with(Dates how) {
        return new Config(
                host,
                port,
                root,
                requestHeaderTimeout,
                idleTimeout,
                model,
                loops,
                accept,
                bodies,
                how,
                heads,
                jdkCosts);
    }

    /** The same server, with some of the JDK's costs put back (see {@link JdkCost}). */
    public Config with(Set<JdkCost> costs) {
        return new Config(
                host, port, root, requestHeaderTimeout, idleTimeout, model, loops, accept, bodies, dates, heads, costs);
    }

    /** The same server, making its files' heads another way. */
    public Config with(Heads how) {
        return new Config(
                host,
                port,
                root,
                requestHeaderTimeout,
                idleTimeout,
                model,
                loops,
                accept,
                bodies,
                dates,
                how,
                jdkCosts);
    }
}
