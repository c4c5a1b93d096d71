package dev.warpjourney.stage06;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Parses a complete request head (request line and header fields, RFC 9112 §3 and §5) where it
 * lies: in the bytes it was read into.
 *
 * <p>Stage 04 made a String of the head, split it into lines, and every field into a lower-cased
 * String pair in a map: about a dozen objects per request before a byte was sent. Here one pass
 * over the bytes finds the request line's three parts and each field's name and value, checks their
 * syntax as strictly as before, and records where the ten fields the server reads are
 * ({@link Request#FIELDS}); the rest are checked and forgotten. Strings are made only for what is
 * rare: an error, a field sent twice, a Transfer-Encoding.
 */
final class RequestParser {
    private RequestParser() {}

    /** Methods this server knows but does not allow on static files: 405 with an Allow header. */
    private static final Set<String> KNOWN_METHODS =
            Set.of("POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    /**
     * The names of the fields this server reads, as bytes, in {@link Request#FIELDS}' order: a field line's name is
     * compared with each in turn (its length first, so most comparisons end at once), never made into a String.
     */
    private static final byte[][] FIELD_NAMES = new byte[Request.FIELDS.length][];

    static {
        for (int i = 0; i < Request.FIELDS.length; i++) {
            FIELD_NAMES[i] = Request.FIELDS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    // tag::composer-parse[]
    /** Parses the head in {@code buf[from, to)} into {@code req}, which is reset first. */
    static void parse(byte[] buf, int from, int to, Request req) throws HttpException {
        // In the order the bytes come, as HeadCheck checks them while they arrive: the request line
        // left to right, then each field line. The same head gets the same status either way.
        req.reset(buf);
        int lineEnd = lineEnd(buf, from, to);
        refuseBareCr(buf, from, next(buf, lineEnd, to));
        int sp1 = indexOf(buf, from, lineEnd, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(buf, sp1 + 1, lineEnd, (byte) ' ');
        if (sp2 < 0 || indexOf(buf, sp2 + 1, lineEnd, (byte) ' ') >= 0 || sp1 == from || sp2 == sp1 + 1) {
            throw new HttpException(400, "malformed request line");
        }
        if (!isToken(buf, from, sp1)) {
            throw new HttpException(400, "malformed method");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (buf[i] <= ' ' || buf[i] == 0x7f) { // bytes are signed: 0x80-0xff are below ' ' too
                throw new HttpException(400, "invalid character in request-target");
            }
        }
        req.minorVersion = version(buf, sp2 + 1, lineEnd);
        req.methodFrom = from;
        req.methodTo = sp1;
        req.targetFrom = sp1 + 1;
        req.targetTo = sp2;

        int line = next(buf, lineEnd, to);
        int lines = 0;
        while (line < to) {
            lineEnd = lineEnd(buf, line, to);
            if (lineEnd == line) {
                break; // the blank line that ends the head
            }
            if (++lines > Limits.MAX_FIELD_LINES) {
                throw new HttpException(431, "more than " + Limits.MAX_FIELD_LINES + " field lines");
            }
            refuseBareCr(buf, line, next(buf, lineEnd, to));
            int colon = indexOf(buf, line, lineEnd, (byte) ':');
            if (colon <= line) {
                throw new HttpException(400, "header line without a name");
            }
            if (!isToken(buf, line, colon)) { // also rejects obs-fold and whitespace before the colon
                throw new HttpException(400, "invalid header name");
            }
            int valueFrom = colon + 1;
            int valueTo = lineEnd;
            while (valueFrom < valueTo && (buf[valueFrom] == ' ' || buf[valueFrom] == '\t')) {
                valueFrom++;
            }
            while (valueTo > valueFrom && (buf[valueTo - 1] == ' ' || buf[valueTo - 1] == '\t')) {
                valueTo--;
            }
            for (int j = valueFrom; j < valueTo; j++) {
                byte c = buf[j];
                if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) { // obs-text (0x80-0xff) is allowed
                    throw new HttpException(400, "invalid character in header value");
                }
            }
            int field = field(buf, line, colon);
            if (field >= 0) {
                keep(req, field, valueFrom, valueTo);
            }
            line = next(buf, lineEnd, to);
        }
        req.joinRepeats();
        check(req);
    }
    // end::composer-parse[]

    /** Records a field the server reads; a repeat is joined to what came before, except where a repeat is an attack. */
    private static void keep(Request req, int field, int valueFrom, int valueTo) throws HttpException {
        if (!req.has(field)) {
            req.valueFrom[field] = valueFrom;
            req.valueTo[field] = valueTo;
            return;
        }
        if (field == Request.HOST || field == Request.CONTENT_LENGTH) {
            throw new HttpException(400, "repeated " + Request.FIELDS[field]);
        }
        // Gathered, and joined once at the end of the head (Request.joinRepeats): a String made at
        // every repeat would copy all the values before it each time, quadratic in the repeats.
        req.repeat(field, valueFrom, valueTo);
    }

    /** What the fields mean together: Host, the body's framing, the method, keep-alive. */
    private static void check(Request req) throws HttpException {
        byte[] buf = req.buf;
        int minor = req.minorVersion;
        if (!req.has(Request.HOST) && minor >= 1) {
            throw new HttpException(400, "HTTP/1.1 request without Host");
        }
        if (req.has(Request.HOST) && !isValidHost(buf, req.valueFrom[Request.HOST], req.valueTo[Request.HOST])) {
            throw new HttpException(400, "invalid Host");
        }
        if (req.has(Request.TRANSFER_ENCODING)) {
            if (req.has(Request.CONTENT_LENGTH)) {
                // RFC 9112 §6.3: the two disagree on where the body ends. A proxy that believes one and
                // a server that believes the other is how a request is smuggled past the proxy.
                throw new HttpException(400, "both Transfer-Encoding and Content-Length");
            }
            if (minor == 0) {
                // RFC 9112 §6.1: HTTP/1.0 has no transfer codings, so such a message MUST be treated
                // as having faulty framing (a 1.0 proxy on the way would not have decoded it).
                throw new HttpException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            checkTransferCodings(req.header(Request.TRANSFER_ENCODING));
            req.chunked = true;
        }
        if (req.has(Request.CONTENT_LENGTH)) {
            req.contentLength =
                    contentLength(buf, req.valueFrom[Request.CONTENT_LENGTH], req.valueTo[Request.CONTENT_LENGTH]);
        }
        if (!req.isGet() && !req.isHead() && !KNOWN_METHODS.contains(req.method())) {
            throw new HttpException(501, "unknown method");
        }
        req.keepAlive = keepAlive(req);
    }

    /** The end of the line that starts at {@code from}: its LF, less a CR just before it; {@code to} if none. */
    private static int lineEnd(byte[] buf, int from, int to) {
        int lf = indexOf(buf, from, to, (byte) '\n');
        int end = lf < 0 ? to : lf;
        return end > from && buf[end - 1] == '\r' ? end - 1 : end;
    }

    /**
     * A CR that does not end a line is refused (RFC 9112 §2.2): a recipient may not take it for a line end, some do.
     */
    private static void refuseBareCr(byte[] buf, int from, int to) throws HttpException {
        for (int i = from; i < to - 1; i++) {
            if (buf[i] == '\r' && buf[i + 1] != '\n') {
                throw new HttpException(400, "bare CR");
            }
        }
    }

    /** The start of the line after the one that ends at {@code lineEnd} (its CR or LF). */
    private static int next(byte[] buf, int lineEnd, int to) {
        int i = lineEnd;
        if (i < to && buf[i] == '\r') {
            i++;
        }
        return i < to ? i + 1 : to;
    }

    /** The index of a field the server reads, compared case-insensitively; -1 for any other. */
    private static int field(byte[] buf, int from, int to) {
        int length = to - from;
        for (int f = 0; f < FIELD_NAMES.length; f++) {
            byte[] name = FIELD_NAMES[f];
            if (name.length == length && equalsLowerCase(buf, from, name)) {
                return f;
            }
        }
        return -1;
    }

    /**
     * Whether {@code buf[from..]} is {@code lower} in any case (tokens are ASCII: setting bit 0x20 lower-cases a
     * letter).
     */
    private static boolean equalsLowerCase(byte[] buf, int from, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            byte b = buf[from + i];
            if (b >= 'A' && b <= 'Z') {
                b |= 0x20;
            }
            if (b != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** HTTP/1.x only; "HTTP/2.0" and later get 505, anything that is not HTTP-version gets 400. */
    private static int version(byte[] buf, int from, int to) throws HttpException {
        if (to - from != 8
                || buf[from] != 'H'
                || buf[from + 1] != 'T'
                || buf[from + 2] != 'T'
                || buf[from + 3] != 'P'
                || buf[from + 4] != '/'
                || buf[from + 6] != '.'
                || !isDigit(buf[from + 5])
                || !isDigit(buf[from + 7])) {
            throw new HttpException(400, "malformed HTTP-version");
        }
        if (buf[from + 5] != '1') {
            throw new HttpException(505, "only HTTP/1.x is supported");
        }
        return buf[from + 7] - '0';
    }

    /**
     * Lets a request through only if its body is chunked: the one coding we can take apart, and
     * so the one that tells where the body ends (RFC 9112 §6.3). Names are case-insensitive,
     * empty list elements are ignored (RFC 9110 §5.6.1).
     */
    private static void checkTransferCodings(String value) throws HttpException {
        boolean chunked = false;
        boolean chunkedLast = false;
        boolean other = false;
        for (String element : value.split(",", -1)) {
            String coding = trimOws(element);
            if (coding.isEmpty()) {
                continue;
            }
            int semicolon = coding.indexOf(';');
            String name = trimOws(semicolon < 0 ? coding : coding.substring(0, semicolon));
            if (!isToken(name)) {
                throw new HttpException(400, "malformed Transfer-Encoding");
            }
            chunkedLast = name.equalsIgnoreCase("chunked");
            if (chunkedLast) {
                if (chunked || semicolon >= 0) {
                    // applied twice (RFC 9112 §7.1 forbids it), or with parameters it does not have:
                    // a sender that means this does not exist, a smuggler might
                    throw new HttpException(400, "malformed chunked coding");
                }
                chunked = true;
            } else {
                other = true;
            }
        }
        if (chunked && !chunkedLast) {
            // RFC 9112 §6.3: chunked is not the final coding, so the body's length cannot be
            // determined; the server MUST answer 400 and close.
            throw new HttpException(400, "chunked is not the final transfer coding");
        }
        if (other) {
            // RFC 9112 §6.1: a coding we do not know (gzip, compress, ...) gets 501. Where the body
            // ends is then unknown too, and the close that follows every HttpException covers that.
            throw new HttpException(501, "transfer coding not implemented");
        }
        if (!chunked) {
            throw new HttpException(400, "empty Transfer-Encoding");
        }
    }

    /**
     * RFC 9112 §9.3: "close" in Connection ends it; HTTP/1.0 keeps it only when asked with
     * "keep-alive". The options are compared where they lie, with no String per option.
     */
    private static boolean keepAlive(Request req) {
        boolean close = false;
        boolean keepAlive = false;
        if (req.has(Request.CONNECTION)) {
            byte[] buf = req.buf;
            int from = req.valueFrom[Request.CONNECTION];
            int to = req.valueTo[Request.CONNECTION];
            if (req.joined[Request.CONNECTION] != null) { // sent more than once: the rare joined String
                buf = req.joined[Request.CONNECTION].getBytes(StandardCharsets.ISO_8859_1);
                from = 0;
                to = buf.length;
            }
            while (from <= to) {
                int comma = indexOf(buf, from, to, (byte) ',');
                int end = comma < 0 ? to : comma;
                int a = from;
                int b = end;
                while (a < b && (buf[a] == ' ' || buf[a] == '\t')) {
                    a++;
                }
                while (b > a && (buf[b - 1] == ' ' || buf[b - 1] == '\t')) {
                    b--;
                }
                close |= b - a == CLOSE.length && equalsLowerCase(buf, a, CLOSE);
                keepAlive |= b - a == KEEP_ALIVE.length && equalsLowerCase(buf, a, KEEP_ALIVE);
                from = end + 1;
            }
        }
        if (close) {
            return false;
        }
        return req.minorVersion >= 1 || keepAlive;
    }

    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "keep-alive".getBytes(StandardCharsets.US_ASCII);

    private static long contentLength(byte[] buf, int from, int to) throws HttpException {
        if (to == from || to - from > 18) {
            throw new HttpException(400, "invalid Content-Length");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(buf[i])) {
                throw new HttpException(400, "invalid Content-Length");
            }
            n = n * 10 + (buf[i] - '0');
        }
        return n;
    }

    /** uri-host [ ":" port ], where uri-host is an IP-literal or a reg-name (RFC 3986 §3.2.2). */
    static boolean isValidHost(String host) {
        byte[] b = host.getBytes(StandardCharsets.ISO_8859_1);
        return isValidHost(b, 0, b.length);
    }

    private static boolean isValidHost(byte[] buf, int from, int to) {
        int i = from;
        if (to > from && buf[from] == '[') {
            int close = indexOf(buf, from, to, (byte) ']');
            if (close < from + 2) {
                return false;
            }
            for (int j = from + 1; j < close; j++) {
                byte c = buf[j];
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < to && buf[i] != ':') {
                byte c = buf[i];
                if (!(isAlphaNum(c) || in(c, "-._~!$&'()*+,;=%"))) {
                    return false;
                }
                i++;
            }
        }
        if (i == to) {
            return true;
        }
        if (buf[i] != ':') {
            return false;
        }
        for (int j = i + 1; j < to; j++) {
            if (!isDigit(buf[j])) {
                return false;
            }
        }
        return to - i - 1 <= 5;
    }

    private static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** tchar from RFC 9110 §5.6.2. */
    static boolean isToken(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return isToken(b, 0, b.length);
    }

    private static boolean isToken(byte[] buf, int from, int to) {
        if (to == from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isTokenByte(buf[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean isTokenByte(byte c) {
        return isAlphaNum(c) || in(c, "!#$%&'*+-.^_`|~");
    }

    /** Whether an ASCII byte is one of {@code chars} (a String constant: indexOf allocates nothing). */
    private static boolean in(byte c, String chars) {
        return c > 0 && chars.indexOf(c) >= 0;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlphaNum(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
