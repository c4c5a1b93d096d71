package dev.warpjourney.stage06;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Test support: a parsed request made directly, for tests of what comes after the parser (its own checks are
 * RequestParserTest's).
 */
final class Requests {
    private Requests() {}

    /** An HTTP/1.1 keep-alive request with these fields (names lower-case, each one of {@link Request#FIELDS}). */
    static Request of(String method, String target, Map<String, String> fields) {
        StringBuilder text =
                new StringBuilder(method).append(' ').append(target).append(' ');
        int[] from = new int[Request.FIELDS.length];
        int[] to = new int[Request.FIELDS.length];
        Arrays.fill(from, -1);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            int field = Arrays.asList(Request.FIELDS).indexOf(f.getKey());
            if (field < 0) {
                throw new IllegalArgumentException(f.getKey() + " is not a field the server reads");
            }
            from[field] = text.length();
            text.append(f.getValue());
            to[field] = text.length();
            text.append(' ');
        }
        Request req = new Request();
        req.reset(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        req.methodFrom = 0;
        req.methodTo = method.length();
        req.targetFrom = method.length() + 1;
        req.targetTo = method.length() + 1 + target.length();
        req.minorVersion = 1;
        req.keepAlive = true;
        System.arraycopy(from, 0, req.valueFrom, 0, from.length);
        System.arraycopy(to, 0, req.valueTo, 0, to.length);
        return req;
    }
}
