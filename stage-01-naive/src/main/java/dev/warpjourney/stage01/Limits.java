package dev.warpjourney.stage01;

import java.time.Duration;

/**
 * Every limit the server enforces, in one place, each with the reason for its value.
 * A production server makes these configurable; a teaching server names them.
 */
final class Limits {
    private Limits() {}

    /** RFC 9112 §3 asks servers to accept request lines of at least 8,000 octets. */
    static final int MAX_REQUEST_LINE = 8192;

    /** Header fields after the request line; browsers send 1-2 KiB, cookies can push it past 8 KiB. */
    static final int MAX_HEADER_SECTION = 16384;

    /**
     * Field lines in one head. Browsers send about 15; Apache's LimitRequestFields is 100. Without
     * a count, 16 KiB holds two thousand tiny lines, each one more value to join and check.
     */
    static final int MAX_FIELD_LINES = 100;

    /**
     * Empty lines a server skips before a request-line (RFC 9112 §2.2 asks it to ignore at least
     * one, which some clients send after a body). They count as the start of a request, so the
     * head's deadline runs from the first of them; more than this and the request is refused.
     */
    static final int MAX_EMPTY_LINES = 4;

    /**
     * Room for a maximal request line, its CRLF, a maximal header section and one byte to notice the overflow.
     * Also the most a connection buffers ahead: while a response waits for the socket to drain, the
     * loop stops reading from that client, so pipelined requests wait in the kernel, not in our heap.
     */
    static final int READ_BUFFER_SIZE = MAX_REQUEST_LINE + 2 + MAX_HEADER_SECTION + 1;

    /**
     * A body on GET or HEAD means nothing to a static server: we read and drop it, but only this much.
     * For a chunked body it counts every byte on the wire, framing and extensions included (a body
     * of a million empty-looking chunk lines is not free to read), and it also caps one chunk-size.
     */
    static final long MAX_DISCARDED_BODY = 64 * 1024;

    /**
     * A chunk-size line with its extensions and CRLF. Five hex digits cover any chunk we accept;
     * chunk extensions are all but unused, and RFC 9112 §7.1.1 asks servers to limit them.
     * 1 KiB leaves room for both and keeps a line that never ends from filling the read buffer.
     */
    static final int MAX_CHUNK_LINE = 1024;

    /** A client must finish sending its request head within this time (Slowloris defence). */
    static final Duration REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);

    /** An idle keep-alive connection, or one that stopped reading our response, is closed after this. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** After our last response we drain the client's leftovers this long, so a close does not turn into a reset. */
    static final Duration LINGER_TIMEOUT = Duration.ofSeconds(2);

    /**
     * After accept(2) fails (out of descriptors: EMFILE, ENFILE; out of buffers or memory), the
     * listener is left alone this long. The listener stays readable while the backlog is not
     * empty, so retrying at once spins the loop at 100% CPU; pausing costs the clients in the
     * backlog at most this much, far below a SYN retransmission (1 s), and they are not refused.
     * Ten failed accept(2) calls a second cost nothing measurable. nginx waits 500 ms
     * (accept_mutex_delay); Warp waits until one of its own connections closes, which never
     * comes when the descriptors are held elsewhere: a timer resumes in every case.
     */
    static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    /** On SIGTERM, responses in flight get this long to finish before their connections are cut. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
}
