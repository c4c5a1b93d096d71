package dev.warpjourney.stage06;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The ways into the server's classes that only tests need: the server itself parses bytes in place and reads
 * fields by index, so these conveniences live here, not in its sources.
 */
final class ForTests {
    private ForTests() {}

    /** Parses a head given as a String (ISO-8859-1, one char per byte) into a new Request. */
    static Request parse(String head) throws HttpException {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        Request req = new Request();
        RequestParser.parse(bytes, 0, bytes.length, req);
        return req;
    }

    /** A field by name: one of {@link Request#FIELDS}, lower-case; any other field is not kept. */
    static String header(Request req, String lowerCaseName) {
        int field = Arrays.asList(Request.FIELDS).indexOf(lowerCaseName);
        if (field < 0) {
            throw new IllegalArgumentException(lowerCaseName + " is not a field this server reads");
        }
        return req.header(field);
    }

    /** A cache that keeps small files' bytes in memory, with the server's whole budget for them. */
    static FileCache fileCache(
            FileCache.Lookup files,
            int maxEntries,
            int maxChannels,
            Duration window,
            Duration reapPeriod,
            Guard guard) {
        return new FileCache(
                files,
                maxEntries,
                maxChannels,
                window,
                reapPeriod,
                guard,
                Config.Bodies.MEMORY,
                Limits.BODY_CACHE_BYTES);
    }
}
