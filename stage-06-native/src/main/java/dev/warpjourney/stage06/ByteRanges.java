package dev.warpjourney.stage06;

/**
 * The Range header (RFC 9110 §14.2), for one range only.
 *
 * <p>Several ranges would need a multipart/byteranges body. RFC 9110 lets a server ignore Range,
 * so a request for more than one range gets the whole file with 200: simpler, and what many
 * static servers do for the rare client that asks.
 */
final class ByteRanges {
    private ByteRanges() {}

    /** Returned when the range is well-formed but lies wholly outside the file: 416. */
    static final long[] UNSATISFIABLE = new long[0];

    /** Returns {first, last} (inclusive, clamped to the file), UNSATISFIABLE, or null to serve the whole file. */
    // tag::range[]
    static long[] parse(String header, long size) {
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null; // unknown unit: ignore the header
        }
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) {
            return null; // several ranges: answered with the whole file, see above
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash);
        String b = spec.substring(dash + 1);
        if (a.isEmpty()) { // "-n": the last n bytes
            long n = number(b);
            if (n < 0) {
                return null;
            }
            if (n == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new long[] {Math.max(0, size - n), size - 1};
        }
        long first = number(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
        if (first < 0 || last < 0 || last < first) {
            return null; // malformed: ignore
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new long[] {first, Math.min(last, size - 1)};
    }
    // end::range[]

    /** A non-negative decimal, or -1 when malformed or absurdly long. */
    private static long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return s.length() > 18 && s.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE : -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
