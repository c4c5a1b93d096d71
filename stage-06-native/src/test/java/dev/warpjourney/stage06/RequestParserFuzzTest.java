package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Coverage-guided fuzzing of the request-head parser. Without {@code JAZZER_FUZZ} this replays the
 * committed corpus under {@code RequestParserFuzzTestInputs/parse} as a plain regression test; the
 * build's fuzz execution mutates it for a bounded time (see results/fuzzing.adoc).
 *
 * <p>Invariants: only {@link HttpException} escapes, with an error status; an accepted head obeys
 * the grammar it was checked against; and the parser depends on nothing beyond the head the
 * connection hands it. The parser reads the head where it lies, in the connection's read buffer,
 * between two indices; the test frames every input that way, inside a larger buffer followed by
 * sentinel bytes, and checks that the same head bytes at another offset with other bytes after them
 * give the same outcome: a parser that read past its end index would see the sentinel.
 */
class RequestParserFuzzTest {
    /** Bytes that would change the outcome if the parser ever looked at them. */
    private static final byte[] SENTINEL =
            "\r\nHost: sentinel\r\nContent-Length: 9\r\n\r\n\r\u0000".getBytes(StandardCharsets.ISO_8859_1);

    private static final Set<Integer> ERROR_STATUSES = Set.of(400, 431, 501, 505);

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] input) {
        // Frame the input as the connection does: the head ends just past its first empty line
        // (or, with none, the whole input stands for a head), and it sits in a larger read
        // buffer whose remaining bytes are sentinel. Only the head's bytes are decoded and parsed.
        byte[] buffer = Arrays.copyOf(input, input.length + SENTINEL.length);
        System.arraycopy(SENTINEL, 0, buffer, input.length, SENTINEL.length);
        String all = new String(buffer, 0, input.length, StandardCharsets.ISO_8859_1);
        int end = headEnd(all);
        int length = end < 0 ? input.length : end;
        String head = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);

        Request req = new Request();
        Outcome outcome = Outcome.of(buffer, 0, length, req);
        if (outcome.status == 0) {
            checkAccepted(req, head);
        } else {
            assertThat(ERROR_STATUSES).as("status for %s", head).contains(outcome.status);
        }
        // The outcome depends on the head's bytes alone: the same bytes at another offset of
        // another buffer, with other bytes after them, give the same answer.
        byte[] moved = new byte[length + 7 + SENTINEL.length];
        System.arraycopy(buffer, 0, moved, 7, length);
        System.arraycopy(SENTINEL, 0, moved, 7 + length, SENTINEL.length);
        assertThat(Outcome.of(moved, 7, 7 + length, new Request())).isEqualTo(outcome);
        checkAgreesWithTheParser(buffer, length, end >= 0, outcome.status, outcome.why);
    }

    /** The parser's refusals that are about the bytes, in the order they come: HeadCheck must make each of them too. */
    private static final Set<String> SYNTAX = Set.of(
            "malformed request line",
            "malformed method",
            "invalid character in request-target",
            "malformed HTTP-version",
            "only HTTP/1.x is supported",
            "bare CR",
            "header line without a name",
            "invalid header name",
            "invalid character in header value",
            "more than " + Limits.MAX_FIELD_LINES + " field lines");

    /**
     * The early check agrees with the parser, fed the head a byte at a time as a slow client sends
     * it: no prefix of a head the parser accepts is refused, and a head the parser refuses for its
     * bytes is refused by the time it is whole, with the same status.
     */
    private static void checkAgreesWithTheParser(byte[] head, int length, boolean whole, int status, String why) {
        HeadCheck check = new HeadCheck();
        int refused = 0;
        for (int i = 1; i <= length && refused == 0; i++) {
            refused = check.check(head, i);
        }
        if (status == 0) {
            assertThat(refused).as("a prefix of an accepted head refused").isZero();
        } else if (refused != 0) {
            assertThat(refused).as("the status the parser gives (%s)", why).isEqualTo(status);
        } else if (whole) {
            assertThat(SYNTAX).as("a refusal the early check missed").doesNotContain(why);
        }
    }

    private static void checkAccepted(Request req, String head) {
        assertThat(RequestParser.isToken(req.method())).isTrue();
        assertThat(req.target()).isNotEmpty().doesNotContain(" ").matches("[\\x21-\\x7e]+");
        assertThat(head).startsWith(req.method() + " " + req.target() + " HTTP/1.");
        assertThat(req.minorVersion).isBetween(0, 9);
        assertThat(req.contentLength).isNotNegative();
        for (Map.Entry<String, String> field : fields(req).entrySet()) {
            String value = field.getValue();
            assertThat(value)
                    .doesNotContain("\r", "\n", "\u0000")
                    .doesNotStartWith(" ")
                    .doesNotStartWith("\t");
            // Values lose their surrounding whitespace; only a repeated field whose last value was
            // empty ends in the ", " that joined it (the corpus input crash-f2807987... found this).
            if (!value.endsWith(", ")) {
                assertThat(value).doesNotEndWith(" ").doesNotEndWith("\t");
            }
        }
        if (req.minorVersion >= 1) {
            assertThat(ForTests.header(req, "host")).isNotNull();
        }
        if (ForTests.header(req, "host") != null) {
            assertThat(RequestParser.isValidHost(ForTests.header(req, "host"))).isTrue();
        }
        if (req.chunked) { // RFC 9112 §6.1 and §6.3: chunked last, never with Content-Length, never in 1.0
            assertThat(ForTests.header(req, "content-length")).isNull();
            assertThat(req.minorVersion).isPositive();
            assertThat(ForTests.header(req, "transfer-encoding")).containsIgnoringCase("chunked");
        }
    }

    /** The index just past the first empty line (CRLF or bare LF), as the connection frames a head. */
    static int headEnd(String text) {
        int crlf = text.indexOf("\n\r\n");
        int lf = text.indexOf("\n\n");
        if (crlf < 0) {
            return lf < 0 ? -1 : lf + 2;
        }
        return lf < 0 || crlf < lf ? crlf + 3 : lf + 2;
    }

    /** The fields the server reads that the request kept, by name. */
    static Map<String, String> fields(Request req) {
        Map<String, String> m = new TreeMap<>();
        for (int f = 0; f < Request.FIELDS.length; f++) {
            if (req.header(f) != null) {
                m.put(Request.FIELDS[f], req.header(f));
            }
        }
        return m;
    }

    /** Either what the request says or the error status: what a connection does next depends on nothing else. */
    private record Outcome(String request, int status, String why) {
        static Outcome of(byte[] buf, int from, int to, Request req) {
            try {
                RequestParser.parse(buf, from, to, req);
                return new Outcome(
                        req.method() + " " + req.target() + " 1." + req.minorVersion + " " + fields(req) + " "
                                + req.contentLength + " " + req.keepAlive + " " + req.chunked,
                        0,
                        null);
            } catch (HttpException e) {
                return new Outcome(null, e.status, e.getMessage());
            }
        }
    }
}
