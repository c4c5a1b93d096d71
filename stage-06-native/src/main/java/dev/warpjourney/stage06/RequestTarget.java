package dev.warpjourney.stage06;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The path part of a request-target, decoded once and normalized, or rejected.
 *
 * @param rawPath       the path as sent (still percent-encoded)
 * @param query         the query as sent, or null; it plays no part in the file lookup
 * @param segments      decoded path segments, with "." and ".." resolved and empty ones dropped
 * @param trailingSlash whether the path names a directory ("/docs/")
 */
record RequestTarget(String rawPath, String query, List<String> segments, boolean trailingSlash) {

    /** Returns null for a target this server refuses with 400. */
    // tag::decode[]
    static RequestTarget parse(String target) {
        String t = target;
        if (!t.startsWith("/")) {
            // absolute-form (RFC 9112 §3.2.2) must be accepted; other forms are not for GET/HEAD.
            String lower = t.toLowerCase(Locale.ROOT);
            int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
            if (schemeEnd < 0) {
                return null;
            }
            int slash = t.indexOf('/', schemeEnd);
            int question = t.indexOf('?', schemeEnd);
            if (slash < 0 || (question >= 0 && question < slash)) {
                t = "/" + (question >= 0 ? t.substring(question) : "");
            } else {
                t = t.substring(slash);
            }
        }
        int q = t.indexOf('?');
        String rawPath = q < 0 ? t : t.substring(0, q);
        String query = q < 0 ? null : t.substring(q + 1);

        byte[] bytes = new byte[rawPath.length()];
        int n = 0;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPath.length()) {
                    return null; // "%" without two hex digits
                }
                int hi = Character.digit(rawPath.charAt(i + 1), 16);
                int lo = Character.digit(rawPath.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int b = hi * 16 + lo;
                // An encoded NUL ends C strings; an encoded / or \ hides a separator from this parser.
                if (b == 0 || b == '/' || b == '\\') {
                    return null;
                }
                bytes[n++] = (byte) b;
                i += 2;
            } else if (isPathChar(c)) {
                bytes[n++] = (byte) c;
            } else {
                return null;
            }
        }
        String decoded;
        try {
            // Strict UTF-8: overlong forms such as %C0%AE (a disguised '.') are malformed and refused.
            decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        String[] parts = decoded.split("/", -1);
        for (String s : parts) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (segments.isEmpty()) {
                    return null; // would climb above the document root
                }
                segments.removeLast();
            } else {
                segments.add(s);
            }
        }
        String last = parts[parts.length - 1];
        boolean trailingSlash = last.isEmpty() || last.equals(".") || last.equals("..");
        return new RequestTarget(rawPath, query, segments, trailingSlash);
    }
    // end::decode[]

    // tag::location[]
    /**
     * Where a redirect to this path's directory form points: the normalised path, its segments
     * percent-encoded again, a slash at the end, and the query as sent. Never the raw path: a raw
     * {@code //evil.example/../docs} would make {@code //evil.example/../docs/}, which a browser
     * reads as a reference to another host (a network-path reference, RFC 3986 §4.2). The
     * normalised path has no empty segment, so it starts with exactly one slash.
     */
    String directoryLocation() {
        StringBuilder b = new StringBuilder();
        for (String segment : segments) {
            b.append('/');
            for (byte x : segment.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (x & 0xff);
                if (c < 0x80 && c != '/' && isPathChar(c)) {
                    b.append(c);
                } else {
                    b.append('%')
                            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
        }
        return b.append('/').append(query == null ? "" : "?" + query).toString();
    }
    // end::location[]

    /** pchar and "/" from RFC 3986: unreserved, sub-delims, ":" and "@". */
    private static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }
}
