package dev.warpjourney.stage04;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a complete request head (request line and header fields, RFC 9112 §3 and §5).
 *
 * <p>Deliberately naive here: the head arrives as one {@code String} (ISO-8859-1, so every
 * byte is one char), is split into lines, and every field becomes a lower-cased String pair in a map.
 * Correct, and allocation-heavy: a later stage parses bytes in place.
 */
final class RequestParser {
    private RequestParser() {}

    /** Methods this server knows but does not allow on static files: 405 with an Allow header. */
    private static final Set<String> KNOWN_METHODS =
            Set.of("POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    // tag::parse[]
    static Request parse(String head) throws HttpException {
        // In the order the bytes come, as HeadCheck checks them while they arrive: the request line
        // left to right, then each field line. The same head gets the same status either way.
        String[] lines = head.split("\n", -1);
        String[] parts = line(lines[0]).split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new HttpException(400, "malformed request line");
        }
        String method = parts[0];
        String target = parts[1];
        if (!isToken(method)) {
            throw new HttpException(400, "malformed method");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new HttpException(400, "invalid character in request-target");
            }
        }
        int minor = version(parts[2]);

        Map<String, String> headers = new LinkedHashMap<>();
        // A field sent again is joined to what came before (RFC 9110 §5.3); joining String to String
        // at every repeat would copy the whole value each time, quadratic in the repeats, so the
        // values of a repeated field gather here and are joined once, at the end.
        Map<String, StringBuilder> repeated = null;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty() || lines[i].equals("\r")) {
                break; // the blank line that ends the head
            }
            if (i > Limits.MAX_FIELD_LINES) {
                throw new HttpException(431, "more than " + Limits.MAX_FIELD_LINES + " field lines");
            }
            String line = line(lines[i]);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HttpException(400, "header line without a name");
            }
            String name = line.substring(0, colon);
            if (!isToken(name)) { // also rejects obs-fold and whitespace before the colon
                throw new HttpException(400, "invalid header name");
            }
            String value = trimOws(line.substring(colon + 1));
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new HttpException(400, "invalid character in header value");
                }
            }
            String key = name.toLowerCase(Locale.ROOT);
            String previous = headers.get(key);
            if (previous == null) {
                headers.put(key, value);
            } else if (key.equals("host") || key.equals("content-length")) {
                throw new HttpException(400, "repeated " + key);
            } else {
                if (repeated == null) {
                    repeated = new HashMap<>();
                }
                repeated.computeIfAbsent(key, k -> new StringBuilder(previous))
                        .append(", ")
                        .append(value);
            }
        }
        if (repeated != null) {
            repeated.forEach((key, joined) -> headers.put(key, joined.toString()));
        }
        // end::parse[]

        String host = headers.get("host");
        if (host == null && minor >= 1) {
            throw new HttpException(400, "HTTP/1.1 request without Host");
        }
        if (host != null && !isValidHost(host)) {
            throw new HttpException(400, "invalid Host");
        }
        String transferEncoding = headers.get("transfer-encoding");
        String lengthText = headers.get("content-length");
        if (transferEncoding != null) {
            if (lengthText != null) {
                // RFC 9112 §6.3: the two disagree on where the body ends. A proxy that believes one and
                // a server that believes the other is how a request is smuggled past the proxy.
                throw new HttpException(400, "both Transfer-Encoding and Content-Length");
            }
            if (minor == 0) {
                // RFC 9112 §6.1: HTTP/1.0 has no transfer codings, so such a message MUST be treated
                // as having faulty framing (a 1.0 proxy on the way would not have decoded it).
                throw new HttpException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            checkTransferCodings(transferEncoding);
        }
        long contentLength = 0;
        if (lengthText != null) {
            contentLength = contentLength(lengthText);
        }
        if (!method.equals("GET") && !method.equals("HEAD") && !KNOWN_METHODS.contains(method)) {
            throw new HttpException(501, "unknown method");
        }
        return new Request(method, target, minor, headers, contentLength, keepAlive(minor, headers.get("connection")));
    }

    /** HTTP/1.x only; "HTTP/2.0" and later get 505, anything that is not HTTP-version gets 400. */
    private static int version(String v) throws HttpException {
        if (v.length() != 8
                || !v.startsWith("HTTP/")
                || v.charAt(6) != '.'
                || !isDigit(v.charAt(5))
                || !isDigit(v.charAt(7))) {
            throw new HttpException(400, "malformed HTTP-version");
        }
        if (v.charAt(5) != '1') {
            throw new HttpException(505, "only HTTP/1.x is supported");
        }
        return v.charAt(7) - '0';
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

    private static boolean keepAlive(int minor, String connection) {
        boolean close = false;
        boolean keepAlive = false;
        if (connection != null) {
            for (String option : connection.split(",")) {
                String o = trimOws(option);
                close |= o.equalsIgnoreCase("close");
                keepAlive |= o.equalsIgnoreCase("keep-alive");
            }
        }
        if (close) {
            return false;
        }
        return minor >= 1 || keepAlive;
    }

    private static long contentLength(String text) throws HttpException {
        if (text.isEmpty() || text.length() > 18) {
            throw new HttpException(400, "invalid Content-Length");
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                throw new HttpException(400, "invalid Content-Length");
            }
        }
        return Long.parseLong(text);
    }

    /** uri-host [ ":" port ], where uri-host is an IP-literal or a reg-name (RFC 3986 §3.2.2). */
    static boolean isValidHost(String host) {
        int i = 0;
        int n = host.length();
        if (n > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int j = 1; j < close; j++) {
                char c = host.charAt(j);
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < n && host.charAt(i) != ':') {
                char c = host.charAt(i);
                if (!(isAlphaNum(c) || "-._~!$&'()*+,;=%".indexOf(c) >= 0)) {
                    return false;
                }
                i++;
            }
        }
        if (i == n) {
            return true;
        }
        if (host.charAt(i) != ':') {
            return false;
        }
        for (int j = i + 1; j < n; j++) {
            if (!isDigit(host.charAt(j))) {
                return false;
            }
        }
        return n - i - 1 <= 5;
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

    /** A line of the head without its line end; a CR anywhere else in it is refused (RFC 9112 §2.2). */
    private static String line(String raw) throws HttpException {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (line.indexOf('\r') >= 0) {
            throw new HttpException(400, "bare CR");
        }
        return line;
    }

    /** tchar from RFC 9110 §5.6.2. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isTokenChar(char c) {
        return isAlphaNum(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlphaNum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
