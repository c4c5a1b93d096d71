package dev.warpjourney.stage02;

import java.time.Duration;

/**
 * Every limit the server enforces, in one place, each with the reason for its value.
 * A production server makes these configurable; a teaching server names them.
 */
final class Limits {
    private Limits() {
    }

    /** RFC 9112 §3 asks servers to accept request lines of at least 8,000 octets. */
    static final int MAX_REQUEST_LINE = 8192;

    /** Header fields after the request line; browsers send 1-2 KiB, cookies can push it past 8 KiB. */
    static final int MAX_HEADER_SECTION = 16384;

    /** Room for a maximal request line, its CRLF, a maximal header section and one byte to notice the overflow. */
    static final int READ_BUFFER_SIZE = MAX_REQUEST_LINE + 2 + MAX_HEADER_SECTION + 1;

    /**
     * Connections the kernel may queue before we accept them. A c10k client opens thousands at
     * once; the JDK's default of 50 would drop SYNs and cost each dropped client a 1 s retransmit.
     * Linux caps it at net.core.somaxconn (4096 on current kernels).
     */
    static final int LISTEN_BACKLOG = 4096;

    /** A body on GET or HEAD means nothing to a static server: we read and drop it, but only this much. */
    static final long MAX_DISCARDED_BODY = 64 * 1024;

    /** A client must finish sending its request head within this time (Slowloris defence). */
    static final Duration REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);

    /** An idle keep-alive connection, or one that stopped reading our response, is closed after this. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** After our last response we drain the client's leftovers this long, so a close does not turn into a reset. */
    static final Duration LINGER_TIMEOUT = Duration.ofSeconds(2);

    /** On SIGTERM, responses in flight get this long to finish before their connections are cut. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
}
