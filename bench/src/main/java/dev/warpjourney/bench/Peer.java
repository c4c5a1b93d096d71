package dev.warpjourney.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The servers a journey measures beside the stages, in the order a journey runs them by default. How each is started
 * is {@link Launcher}'s business; what sets them apart from a stage is said here once.
 */
enum Peer {
    /** nginx, the reference: a C server, not a JVM; nginx@N runs N workers. */
    NGINX,
    /** The JDK's jwebserver (jdk.httpserver). */
    JWEBSERVER,
    /** The floor: the same 151 bytes for every request, parsing nothing (see {@link FloorServer}). */
    FLOOR,
    /** A Netty file server (see {@link NettyFileServer}). */
    NETTY;

    /** Their names, as --servers and the result files give them. */
    static final List<String> NAMES = Arrays.stream(values()).map(Peer::label).toList();

    /** Its name on the command line and in result files. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** nginx is the only peer that is not a JVM. */
    boolean java() {
        return this != NGINX;
    }

    /** The peer of this name; null for none. */
    static Peer named(String label) {
        return Arrays.stream(values())
                .filter(p -> p.label().equals(label))
                .findFirst()
                .orElse(null);
    }
}
