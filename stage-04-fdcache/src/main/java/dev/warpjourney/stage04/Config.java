package dev.warpjourney.stage04;

import java.nio.file.Path;
import java.time.Duration;

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
 */
public record Config(
        String host,
        int port,
        Path root,
        Duration requestHeaderTimeout,
        Duration idleTimeout,
        Model model,
        int loops,
        Accept accept) {

    /** How the server uses more than one core. */
    public enum Model {
        /** N event loops, each a thread with its own selector and connections: stage 02's loop, N times. */
        LOOPS,
        /** Plain blocking code, a virtual thread per connection, parked on the JDK's own pollers. */
        VTHREADS
    }

    /** Who accepts the connections that N loops serve. */
    public enum Accept {
        /** Each loop its own listener, all on one port (SO_REUSEPORT): the kernel picks the loop. */
        REUSEPORT,
        /** One listener in every loop's selector: each loop accepts what it can (and all wake for each). */
        SHARED,
        /** One acceptor thread hands each connection to the next loop, round-robin. */
        HANDOFF
    }

    public Config {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1: " + loops);
        }
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
                Accept.REUSEPORT);
    }

    /** The defaults used by the command line. */
    public static Config of(String host, int port, Path root) {
        return new Config(host, port, root, Limits.REQUEST_HEADER_TIMEOUT, Limits.IDLE_TIMEOUT);
    }

    /** The same server on another model, loop count and accept mode. */
    public Config with(Model model, int loops, Accept accept) {
        return new Config(host, port, root, requestHeaderTimeout, idleTimeout, model, loops, accept);
    }
}
