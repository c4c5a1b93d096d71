package dev.warpjourney.stage06;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One parsed request head, as positions in the bytes it was read into: nothing is copied out of
 * them on the common path. One object is reused for every request of a loop (or of a virtual
 * thread's connection), so a request costs no allocation at all; {@link RequestParser#parse}
 * fills it in place. Its positions are valid only while those bytes are: until the connection
 * consumes the head. A request that must outlive its bytes (one with a chunked body, answered
 * after the body has been read) is {@link #detach}ed first.
 *
 * <p>The server acts on ten header fields ({@link #FIELDS}); the parser checks every other field's
 * syntax and keeps nothing of it. Stage 04 kept every field in a map of Strings, which is what a
 * framework with handlers it does not know must do; a static file server knows all its readers.
 */
final class Request {
    // tag::composer-fields[]
    /** The fields the server reads, by index; each is found by name once, as the head is parsed. */
    static final String[] FIELDS = {
        "host",
        "connection",
        "content-length",
        "transfer-encoding",
        "if-match",
        "if-none-match",
        "if-modified-since",
        "if-unmodified-since",
        "range",
        "if-range"
    };

    static final int HOST = 0;
    static final int CONNECTION = 1;
    static final int CONTENT_LENGTH = 2;
    static final int TRANSFER_ENCODING = 3;
    static final int IF_MATCH = 4;
    static final int IF_NONE_MATCH = 5;
    static final int IF_MODIFIED_SINCE = 6;
    static final int IF_UNMODIFIED_SINCE = 7;
    static final int RANGE = 8;
    static final int IF_RANGE = 9;

    /** The bytes the head lies in (the loop's read buffer, or a connection's): borrowed, not owned. */
    byte[] buf;

    int methodFrom;
    int methodTo;
    int targetFrom;
    int targetTo;
    /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
    int minorVersion;
    /** The body length to skip, 0 when absent (or when the body is chunked). */
    long contentLength;
    /** Whether the connection may stay open after the response. */
    boolean keepAlive;
    /**
     * Whether a chunked body follows the head: the parser lets a Transfer-Encoding through only when it ends in
     * chunked.
     */
    boolean chunked;
    /** Each field's value (OWS trimmed) as a span of {@link #buf}; from = -1 when the field is absent. */
    final int[] valueFrom = new int[FIELDS.length];

    final int[] valueTo = new int[FIELDS.length];
    /** A field sent more than once: its values joined with ", " (RFC 9110 §5.3). Rare, so a String. */
    final String[] joined = new String[FIELDS.length];
    // end::composer-fields[]
    /**
     * A repeated field's values while the head is parsed, joined into {@link #joined} at its end; null for the others.
     */
    private final StringBuilder[] repeats = new StringBuilder[FIELDS.length];

    /** Forgets the previous request: every field absent. */
    void reset(byte[] bytes) {
        buf = bytes;
        Arrays.fill(valueFrom, -1);
        Arrays.fill(joined, null);
        Arrays.fill(repeats, null);
        contentLength = 0;
        chunked = false;
        keepAlive = false;
    }

    boolean isGet() {
        return methodTo - methodFrom == 3
                && buf[methodFrom] == 'G'
                && buf[methodFrom + 1] == 'E'
                && buf[methodFrom + 2] == 'T';
    }

    boolean isHead() {
        return methodTo - methodFrom == 4
                && buf[methodFrom] == 'H'
                && buf[methodFrom + 1] == 'E'
                && buf[methodFrom + 2] == 'A'
                && buf[methodFrom + 3] == 'D';
    }

    /** The method as a String: for error paths and tests, never on the way to a 200. */
    String method() {
        return text(methodFrom, methodTo);
    }

    /** The request-target exactly as sent, as a String: for a lookup the cache has not seen, redirects and tests. */
    String target() {
        return text(targetFrom, targetTo);
    }

    /** Whether the field was sent. */
    boolean has(int field) {
        return valueFrom[field] >= 0;
    }

    /** The field's value, or null when absent; a String is made only for a field that is there. */
    String header(int field) {
        if (joined[field] != null) {
            return joined[field];
        }
        return valueFrom[field] < 0 ? null : text(valueFrom[field], valueTo[field]);
    }

    /** One more value of a field already seen: appended to its values so far (made a builder at the first repeat). */
    void repeat(int field, int from, int to) {
        if (repeats[field] == null) {
            repeats[field] = new StringBuilder(text(valueFrom[field], valueTo[field]));
        }
        repeats[field].append(", ").append(text(from, to));
    }

    /** The head is parsed: each repeated field's values, joined once. */
    void joinRepeats() {
        for (int f = 0; f < FIELDS.length; f++) {
            if (repeats[f] != null) {
                joined[f] = repeats[f].toString();
                repeats[f] = null;
            }
        }
    }

    /**
     * A copy that owns its bytes (the head's, {@code buf[0, end)}): for a request answered after its head has left the
     * read buffer.
     */
    Request detach(int end) {
        Request copy = new Request();
        copy.buf = Arrays.copyOf(buf, end);
        copy.methodFrom = methodFrom;
        copy.methodTo = methodTo;
        copy.targetFrom = targetFrom;
        copy.targetTo = targetTo;
        copy.minorVersion = minorVersion;
        copy.contentLength = contentLength;
        copy.keepAlive = keepAlive;
        copy.chunked = chunked;
        System.arraycopy(valueFrom, 0, copy.valueFrom, 0, FIELDS.length);
        System.arraycopy(valueTo, 0, copy.valueTo, 0, FIELDS.length);
        System.arraycopy(joined, 0, copy.joined, 0, FIELDS.length);
        return copy;
    }

    private String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return method() + " " + target() + " HTTP/1." + minorVersion;
    }
}
