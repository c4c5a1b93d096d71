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
    NETTY,
    /**
     * The native floor: the floor's bytes from a C epoll server (accept4, read, one write), with nothing between it
     * and the kernel (see {@link NativeFloor}): what a Java server is read against once the JDK itself is the cost.
     */
    NATIVE_FLOOR;

    /** Their names, as --servers and the result files give them. */
    static final List<String> NAMES = Arrays.stream(values()).map(Peer::label).toList();

    /** Its name on the command line and in result files. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** nginx and the native floor are not JVMs (no heap to read, no JVM to profile). */
    boolean java() {
        return this != NGINX && this != NATIVE_FLOOR;
    }

    /** The floors answer the same 151 bytes to every request: only where that is the file asked for. */
    boolean floor() {
        return this == FLOOR || this == NATIVE_FLOOR;
    }

    /** The peer of this name; null for none. */
    static Peer named(String label) {
        return Arrays.stream(values())
                .filter(p -> p.label().equals(label))
                .findFirst()
                .orElse(null);
    }
}
