package dev.warpjourney.stage06;

/**
 * Where a request head ends in the bytes received so far, or why it never will: the framing rules of HTTP/1.1
 * (RFC 9112 §2.2 and §3) with this server's limits. Whatever drives a connection follows them (the event loop's
 * Connection, and a virtual thread's BlockingConnection where the stage has one): the drivers only move bytes and keep
 * time, so a rule changes here, once.
 *
 * <p>One per connection, for its life: it remembers the empty lines before the request now expected, and how far
 * {@link HeadCheck} has checked the head's syntax. {@link #next} forgets both once a head has been taken whole.
 */
final class HeadFraming {
    /** What {@link #headEnd} says while the head is not all there yet. */
    static final int INCOMPLETE = -1;

    /** The syntax of the head now being received, checked as its bytes come. */
    private final HeadCheck headCheck = new HeadCheck();
    /** Empty lines received before the request now expected (at most Limits.MAX_EMPTY_LINES). */
    private int emptyLines;

    // tag::empty-lines[]
    /**
     * The length of the empty lines that begin {@code a[0, length)}, for the caller to drop: RFC 9112 §2.2 asks a
     * server to ignore empty lines before a request-line, but each one counts against the request that follows, and
     * past {@link Limits#MAX_EMPTY_LINES} it is refused with 400 (a client sending one now and then would otherwise
     * hold the connection for ever).
     */
    int emptyLines(byte[] a, int length) throws HttpException {
        int skip = 0;
        while (skip < length && (a[skip] == '\n' || (a[skip] == '\r' && skip + 1 < length && a[skip + 1] == '\n'))) {
            skip += a[skip] == '\r' ? 2 : 1;
            emptyLines++;
        }
        if (emptyLines > Limits.MAX_EMPTY_LINES) {
            throw new HttpException(400, "more than " + Limits.MAX_EMPTY_LINES + " empty lines before a request");
        }
        return skip;
    }
    // end::empty-lines[]

    /** Whether the request now expected began with empty lines: its head's deadline runs from the first. */
    boolean begun() {
        return emptyLines > 0;
    }

    /**
     * Where the head that begins {@code a[0, length)} ends (the index just past its empty line), or
     * {@link #INCOMPLETE}. Throws the status of a head refused now rather than when the header timeout ends: one that
     * can never become valid (HeadCheck's status), a request line too long (414), a header section too large (431).
     */
    int headEnd(byte[] a, int length) throws HttpException {
        // tag::head-check[]
        // A head that can never become valid is answered now, not when the header timeout ends.
        int refused = headCheck.check(a, length);
        if (refused != 0) {
            throw new HttpException(refused, "a head that cannot become valid");
        }
        // end::head-check[]
        // The bytes are searched where they lie: stage 04 made a String of them at every wake-up.
        int end = headEnd(a, 0, length);
        int lineEnd = indexOf(a, length, (byte) '\n');
        int lineLength = lineEnd < 0 ? length : lineEnd;
        if (lineLength > Limits.MAX_REQUEST_LINE + 1) {
            throw new HttpException(414, "request line too long");
        }
        int fieldsLength = (end < 0 ? length : end) - lineLength;
        if (lineEnd >= 0 && fieldsLength > Limits.MAX_HEADER_SECTION + 2) {
            throw new HttpException(431, "header section too large");
        }
        return end < 0 ? INCOMPLETE : end;
    }

    /** The head has been taken whole: the bytes after it are the next request's. */
    void next() {
        emptyLines = 0;
        headCheck.reset();
    }

    /**
     * The end of a head that starts at {@code from}: the index just past the empty line, or -1. A lone LF is accepted
     * as a line end.
     */
    static int headEnd(byte[] a, int from, int length) {
        for (int i = from; i + 1 < length; i++) {
            if (a[i] == '\n') {
                if (a[i + 1] == '\n') {
                    return i + 2;
                }
                if (a[i + 1] == '\r' && i + 2 < length && a[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private static int indexOf(byte[] a, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
