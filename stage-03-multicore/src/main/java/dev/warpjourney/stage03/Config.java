package dev.warpjourney.stage03;

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
 */
public record Config(String host, int port, Path root, Duration requestHeaderTimeout, Duration idleTimeout) {

    /** The defaults used by the command line. */
    public static Config of(String host, int port, Path root) {
        return new Config(host, port, root, Limits.REQUEST_HEADER_TIMEOUT, Limits.IDLE_TIMEOUT);
    }
}
