package dev.warpjourney.stage01;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the request-head parser. Without {@code JAZZER_FUZZ} this replays the
 * committed corpus under {@code RequestParserFuzzTestInputs/parse} as a plain regression test; the
 * build's fuzz execution mutates it for a bounded time (see results/fuzzing.adoc).
 *
 * <p>Invariants: only {@link HttpException} escapes, with an error status; an accepted head obeys
 * the grammar it was checked against; and the parser depends on nothing beyond the head the
 * connection hands it. The parser takes the head as a String that the connection cuts out of its
 * read buffer at the head's end, so it cannot index past it; the test frames every input that way,
 * inside a larger buffer followed by sentinel bytes, and checks that the same head bytes at another
 * offset with other bytes after them give the same outcome.
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

        Outcome outcome = Outcome.of(head);
        if (outcome.request != null) {
            checkAccepted(outcome.request, head);
        } else {
            assertThat(ERROR_STATUSES).as("status for %s", head).contains(outcome.status);
        }
        // The outcome depends on the head's bytes alone: the same bytes at another offset of
        // another buffer, with other bytes after them, give the same answer.
        byte[] moved = new byte[length + 7 + SENTINEL.length];
        System.arraycopy(buffer, 0, moved, 7, length);
        System.arraycopy(SENTINEL, 0, moved, 7 + length, SENTINEL.length);
        assertThat(Outcome.of(new String(moved, 7, length, StandardCharsets.ISO_8859_1)))
                .isEqualTo(outcome);
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
        assertThat(req.minorVersion()).isBetween(0, 9);
        assertThat(req.contentLength()).isNotNegative();
        for (Map.Entry<String, String> field : req.headers().entrySet()) {
            assertThat(RequestParser.isToken(field.getKey())).isTrue();
            assertThat(field.getKey()).isLowerCase();
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
        if (req.minorVersion() >= 1) {
            assertThat(req.header("host")).isNotNull();
        }
        if (req.header("host") != null) {
            assertThat(RequestParser.isValidHost(req.header("host"))).isTrue();
        }
        if (req.chunked()) { // RFC 9112 §6.1 and §6.3: chunked last, never with Content-Length, never in 1.0
            assertThat(req.header("content-length")).isNull();
            assertThat(req.minorVersion()).isPositive();
            assertThat(req.header("transfer-encoding")).containsIgnoringCase("chunked");
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

    /** Either the request or the error status: what a connection does next depends on nothing else. */
    private record Outcome(Request request, int status, String why) {
        static Outcome of(String head) {
            try {
                return new Outcome(RequestParser.parse(head), 0, null);
            } catch (HttpException e) {
                return new Outcome(null, e.status, e.getMessage());
            }
        }
    }
}
