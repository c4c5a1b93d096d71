package dev.warpjourney.stage06;

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
     * Model VTHREADS: a connection's first buffer. Each connection there needs one of its own, idle
     * ones too (a parked read needs somewhere to put what comes), so it starts at what nearly every
     * request head fits in (Warp reads 4,096 bytes at a time) and grows to READ_BUFFER_SIZE only for
     * a longer head: 10,000 idle connections then hold 40 MB, not 240, as long as none of them ever
     * needed more (a grown buffer is kept for the connection's life).
     */
    static final int BLOCKING_READ_SIZE = 4096;

    /**
     * Connections the kernel may queue before we accept them. A c10k client opens thousands at
     * once; the JDK's default of 50 would drop SYNs and cost each dropped client a 1 s retransmit.
     * Linux caps it at net.core.somaxconn (4096 on current kernels).
     */
    static final int LISTEN_BACKLOG = 4096;

    /**
     * The bytes a loop's connections may keep between reads, all of them together: unfinished heads
     * (a client may take the header timeout to finish one) and requests pipelined behind a response
     * that waits for the socket. A connection holds at most READ_BUFFER_SIZE, so without a total a
     * flood of half-sent heads holds about 24 KiB each for 10 s; past it, a new one gets 503 and is
     * closed. 16 MiB: some 680 maximal heads at once, and any number of ordinary ones.
     */
    static final long KEPT_BYTES_BUDGET = 16L * 1024 * 1024;

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

    /**
     * How long the file cache trusts what it found: a changed, deleted, created or replaced file
     * is seen by the first request after this much time has passed since the change. Past it, a
     * cached file costs one stat (is it still the same file?) before it is trusted for another
     * window: at 10,000 requests a second for one file, 0.0001 calls per request; a path that is
     * not a file (a 404, a directory) costs its whole lookup again. nginx trusts its open_file_cache
     * for 60 s by default, Mighttpd its caches for 10 s; one second keeps a reader's edit visible at once.
     */
    static final Duration FILE_CACHE_WINDOW = Duration.ofSeconds(1);

    /**
     * The file cache's reaper runs this often: a path nobody asked for during a whole period is
     * dropped and its descriptor closed, one to two periods after its last request. Longer than the
     * window, since a check costs one stat and a drop costs a whole lookup and an open the next
     * time: of 10,000 files asked for at random 5,000 times a second, each comes back every two
     * seconds on average, and almost none waits five. Short enough that a deleted file's space and
     * descriptor come back within seconds (and that the contract's descriptor-leak test sees them back).
     */
    static final Duration FILE_CACHE_REAP_PERIOD = Duration.ofSeconds(5);

    /**
     * Paths a loop's file cache remembers (a miss beyond it evicts the least recently used).
     * An entry is about half a KiB (the path, the real path, the header values): 8 MiB per loop at
     * most. Above the 10,000 files of the journey's manyfiles scenario, so the lookups of that
     * scenario are all hits once it is warm.
     */
    static final int FILE_CACHE_ENTRIES = 16_384;

    /**
     * The longest path (decoded, in chars) the file cache keeps an entry for. Without it the
     * entries' count bounds nothing: 16,384 missing paths of 8 KB each are 134 MB per loop. Real
     * paths are far shorter; a longer one is looked up at every request instead.
     */
    static final int MAX_CACHED_PATH = 512;

    /**
     * The share of the descriptor limit that the file caches may keep open, all loops together:
     * one quarter. The rest is for connections (10,000 idle ones in the c10k scenario) and the JVM.
     */
    static final int FD_CACHE_SHARE = 4;

    /**
     * At most this many open files per cache, whatever the limit: past a few thousand, a miss costs little more than
     * the eviction it causes.
     */
    static final int FD_CACHE_MAX = 8192;

    /** On SIGTERM, responses in flight get this long to finish before their connections are cut. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /**
     * Files up to this size have their bytes kept in the file cache and go out in the same write as
     * their head: one system call for the whole response. 16 KiB covers the journey's index.html,
     * its 4 KiB file and every file of its manyfiles scenario (1-8 KiB), and a write of that much
     * rarely fills a socket buffer. A larger file goes by sendfile, where the kernel's copy wins.
     */
    static final int SMALL_FILE = 16 * 1024;

    /**
     * The bytes of small files the file caches may hold, all loops together (each loop's cache
     * gets its share): 64 MiB, for one loop all of the manyfiles scenario's 10,000 files (about 45
     * MiB) with room to spare. Direct memory, outside the heap: the JVM allows as much of it as the
     * heap's maximum by default, so this stays well below a small heap. Past it, files go by
     * sendfile as in stage 04.
     */
    static final long BODY_CACHE_BYTES = 64L * 1024 * 1024;

    /**
     * Request-targets longer than this are decoded at every request rather than remembered as
     * spelt: real paths are far shorter, and a bound keeps the memo's memory (at most
     * {@link #FILE_CACHE_ENTRIES} of them) near 4 MiB.
     */
    static final int MEMO_TARGET = 256;

    /**
     * The loop's response buffer: a head (a redirect's Location echoes at most a request line), and
     * an error page's few bytes. Heads are a few hundred bytes; a larger one gets a buffer of its own.
     */
    static final int WRITE_BUFFER_SIZE = MAX_REQUEST_LINE + 1024;
}
