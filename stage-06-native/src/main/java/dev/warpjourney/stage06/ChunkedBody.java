package dev.warpjourney.stage06;

/**
 * Reads and drops a request body sent with the chunked transfer coding (RFC 9112 §7.1):
 *
 * <pre>
 * chunked-body = *chunk last-chunk trailer-section CRLF
 * chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 * last-chunk   = 1*("0") [ chunk-ext ] CRLF
 * </pre>
 *
 * <p>A static server has no use for the body, but RFC 9112 §7.1 says a recipient MUST be able to
 * parse it: that is the only way to find where the next request on the connection begins. The
 * framing is where request smuggling lives (two parsers that disagree on where a body ends), so
 * this parser is strict: CRLF and nothing else ends a line, no whitespace the grammar does not
 * allow, every chunk extension and trailer field checked against its grammar. Anything else is
 * an {@link HttpException}: 400 and close, because after a framing error nothing that follows
 * can be trusted. A body, chunk line or trailer section over our limits is framing we refuse to
 * follow to its end, so it gets the same 400 and close (413 or 431 would say it too; one status
 * for "we do not know where your next request starts" is simpler to rely on).
 *
 * <p>Incremental: {@link #feed} consumes whole lines and as much chunk data as it is given, and
 * leaves an incomplete line for the next call, so bytes may arrive in any split, one at a time
 * included. What it keeps between calls is a handful of counters; the unfinished line stays in
 * the connection's buffer, bounded by the limits below.
 */
final class ChunkedBody {
    private enum Phase {
        SIZE_LINE,
        DATA,
        DATA_CRLF,
        TRAILER,
        DONE
    }

    private Phase phase = Phase.SIZE_LINE;
    /** Bytes of the current chunk's data still to drop. */
    private long chunkLeft;
    /** Bytes of the body consumed so far, framing included: a flood of chunk extensions counts too. */
    private long total;
    /** Bytes of the trailer section so far. */
    private int trailerBytes;

    /** Whether the whole body, up to the CRLF after the trailer section, has been consumed. */
    boolean done() {
        return phase == Phase.DONE;
    }

    /**
     * Consumes what it can from {@code buf[0, length)} and says how much. Bytes it did not consume
     * are an incomplete line (or, once {@link #done()}, the next request); the caller keeps them
     * and calls again with more bytes after them.
     */
    int feed(byte[] buf, int length) throws HttpException {
        int pos = 0;
        while (pos < length && phase != Phase.DONE) {
            switch (phase) {
                case SIZE_LINE -> {
                    int lf = lineEnd(buf, pos, length, Limits.MAX_CHUNK_LINE);
                    if (lf < 0) {
                        return pos;
                    }
                    long size = sizeLine(buf, pos, lf - 1);
                    count(lf + 1 - pos);
                    if (total + size > Limits.MAX_DISCARDED_BODY) {
                        // Refused before a byte of it is read: waiting for it would only cost time.
                        throw new HttpException(400, "chunked body over the limit");
                    }
                    pos = lf + 1;
                    chunkLeft = size;
                    phase = size == 0 ? Phase.TRAILER : Phase.DATA;
                }
                case DATA -> {
                    int n = (int) Math.min(chunkLeft, length - pos);
                    count(n);
                    chunkLeft -= n;
                    pos += n;
                    if (chunkLeft == 0) {
                        phase = Phase.DATA_CRLF;
                    }
                }
                case DATA_CRLF -> {
                    // chunk-data is exactly chunk-size octets and then CRLF: anything else means the
                    // sender's idea of the chunk's length differs from ours.
                    if (buf[pos] != '\r' || (pos + 1 < length && buf[pos + 1] != '\n')) {
                        throw new HttpException(400, "chunk data not followed by CRLF");
                    }
                    if (pos + 1 == length) {
                        return pos; // the CR came alone; wait for the LF
                    }
                    count(2);
                    pos += 2;
                    phase = Phase.SIZE_LINE;
                }
                case TRAILER -> {
                    // trailer-section = *( field-line CRLF ), then the CRLF that ends the body. Bounded
                    // like the header section (the final empty line comes on top, as it does there).
                    int lf = lineEnd(buf, pos, length, Limits.MAX_HEADER_SECTION + 2 - trailerBytes);
                    if (lf < 0) {
                        return pos;
                    }
                    int lineLength = lf + 1 - pos;
                    if (lineLength == 2) {
                        phase = Phase.DONE;
                    } else {
                        trailerField(buf, pos, lf - 1); // checked, then dropped: a file does not depend on it
                        trailerBytes += lineLength;
                    }
                    count(lineLength);
                    pos = lf + 1;
                }
                default -> throw new IllegalStateException(phase.name());
            }
        }
        return pos;
    }

    private void count(int n) throws HttpException {
        total += n;
        if (total > Limits.MAX_DISCARDED_BODY) {
            throw new HttpException(400, "chunked body over the limit");
        }
    }

    /**
     * The index of the LF that ends the line starting at {@code from}, checked to follow a CR;
     * -1 when the line is incomplete but may still end within {@code max} octets (CRLF included);
     * an error when it cannot.
     */
    private static int lineEnd(byte[] buf, int from, int length, int max) throws HttpException {
        int end = Math.min(length, from + max);
        for (int i = from; i < end; i++) {
            if (buf[i] == '\n') {
                if (i == from || buf[i - 1] != '\r') {
                    // RFC 9112 §2.2 lets a recipient take a bare LF as a line end in the head only;
                    // in the body's framing, leniency is how two parsers come to disagree.
                    throw new HttpException(400, "bare LF in chunked framing");
                }
                return i;
            }
        }
        if (length - from >= max) {
            throw new HttpException(400, "chunk line or trailer section too long");
        }
        return -1;
    }

    /** chunk-size [ chunk-ext ] in {@code buf[from, to)}: returns the size. */
    private static long sizeLine(byte[] buf, int from, int to) throws HttpException {
        int i = from;
        long size = 0;
        while (i < to && hex(buf[i]) >= 0) {
            // Never overflows: we stop as soon as the size passes a limit far below Long.MAX_VALUE
            // (leading zeros are legal and cost nothing).
            size = size * 16 + hex(buf[i]);
            if (size > Limits.MAX_DISCARDED_BODY) {
                throw new HttpException(400, "chunk larger than the body limit");
            }
            i++;
        }
        if (i == from) {
            throw new HttpException(400, "chunk-size is not hexadecimal");
        }
        // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ); ignored, but checked.
        while (i < to) {
            i = skipBws(buf, i, to);
            if (i == to || buf[i] != ';') {
                throw new HttpException(400, "malformed chunk extension");
            }
            i = skipBws(buf, i + 1, to);
            int nameEnd = skipToken(buf, i, to);
            if (nameEnd == i) {
                throw new HttpException(400, "malformed chunk extension name");
            }
            i = nameEnd;
            int j = skipBws(buf, i, to);
            if (j < to && buf[j] == '=') {
                i = skipBws(buf, j + 1, to);
                if (i < to && buf[i] == '"') {
                    i = skipQuotedString(buf, i, to);
                } else {
                    int valueEnd = skipToken(buf, i, to);
                    if (valueEnd == i) {
                        throw new HttpException(400, "malformed chunk extension value");
                    }
                    i = valueEnd;
                }
            } else if (j == to && j > i) {
                throw new HttpException(400, "whitespace at the end of a chunk line");
            }
        }
        return size;
    }

    /** field-name ":" OWS field-value OWS, as in the header section (RFC 9110 §5). */
    private static void trailerField(byte[] buf, int from, int to) throws HttpException {
        int colon = skipToken(buf, from, to);
        if (colon == from || colon == to || buf[colon] != ':') {
            // also rejects obs-fold (a line starting with whitespace) and space before the colon
            throw new HttpException(400, "malformed trailer field");
        }
        for (int i = colon + 1; i < to; i++) {
            int c = buf[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpException(400, "invalid character in trailer field");
            }
        }
    }

    private static int skipBws(byte[] buf, int i, int to) {
        while (i < to && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int skipToken(byte[] buf, int i, int to) {
        while (i < to && isTchar(buf[i])) {
            i++;
        }
        return i;
    }

    /** quoted-string (RFC 9110 §5.6.4) starting at the DQUOTE at {@code i}; returns the index after the closing one. */
    private static int skipQuotedString(byte[] buf, int i, int to) throws HttpException {
        i++;
        while (i < to) {
            int c = buf[i] & 0xff;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == to) {
                    break;
                }
                c = buf[i] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new HttpException(400, "invalid quoted-pair in chunk extension");
                }
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new HttpException(400, "invalid character in chunk extension");
            }
            i++;
        }
        throw new HttpException(400, "unterminated quoted-string in chunk extension");
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** tchar from RFC 9110 §5.6.2. */
    private static boolean isTchar(byte b) {
        return (b >= '0' && b <= '9')
                || (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0);
    }
}
