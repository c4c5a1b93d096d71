package dev.warpjourney.stage06;

/**
 * The request head's syntax, checked byte by byte as the bytes arrive, so that a head that can
 * never become valid (a TLS handshake, an SSH banner, binary noise, a method with a "(" in it) is
 * refused at once, not kept until the header timeout. It is the same syntax {@link RequestParser}
 * applies to a whole head, in the same order (request line left to right, then each field line),
 * and no stricter: a prefix of a head the parser accepts is never refused here (a fuzz test holds
 * the two to that). What needs the whole head (Host present, the body's framing, an unknown
 * method's 501) is left to the parser.
 *
 * <p>It resumes where it stopped: each check looks only at the bytes that came since the last
 * one, so a head trickled a byte at a time costs its length, not its length squared. One per
 * connection, reset for each request.
 */
final class HeadCheck {
    // The position in the head's grammar (RFC 9112 §3 and §5).
    private static final int METHOD = 0;
    private static final int TARGET_START = 1;
    private static final int TARGET = 2;
    /** After the second space: the n-th byte of "HTTP/d.d" is VERSION + n. */
    private static final int VERSION = 3;

    private static final int LINE_END = VERSION + 8;
    private static final int FIELD_START = LINE_END + 1;
    private static final int FIELD_NAME = FIELD_START + 1;
    private static final int FIELD_VALUE = FIELD_NAME + 1;
    private static final int DONE = FIELD_VALUE + 1;
    private static final byte[] HTTP = {'H', 'T', 'T', 'P', '/'};

    private int state;
    /** Bytes of the head checked so far. */
    private int checked;
    /** The state to go on with once the LF after a CR comes; -1 when no CR is pending. */
    private int afterCr = -1;

    private boolean empty;
    private int fieldLines;
    private byte major;
    /** The status a check refused the head with; 0 while it may still become valid. Asked again, it says the same. */
    private int refused;

    /** Forgets the head checked so far: the next check starts a new request at byte 0. */
    void reset() {
        state = METHOD;
        checked = 0;
        afterCr = -1;
        empty = true;
        fieldLines = 0;
        major = 0;
        refused = 0;
    }

    HeadCheck() {
        reset();
    }

    /**
     * Checks the head's bytes {@code a[0, length)} that it has not checked yet; returns 0 when
     * they can still begin a valid head (or end one), else the status that refuses it: 400, 505
     * for a well-formed version other than 1.x, 431 past {@link Limits#MAX_FIELD_LINES}.
     */
    int check(byte[] a, int length) {
        for (; refused == 0 && checked < length && state != DONE; checked++) {
            refused = step(a[checked]);
        }
        return refused;
    }

    private int step(byte b) {
        if (afterCr >= 0) { // a CR ends a line only with the LF right after it (no bare CR)
            if (b != '\n') {
                // A line that begins with a bare CR is a field line all the same: counted first, as the parser counts
                // it.
                return afterCr == FIELD_START && fieldLines + 1 > Limits.MAX_FIELD_LINES ? 431 : 400;
            }
            int next = afterCr;
            afterCr = -1;
            return lineEnd(next);
        }
        if (b == '\r' && (state == LINE_END || state == FIELD_START || state == FIELD_NAME || state == FIELD_VALUE)) {
            afterCr = state;
            return 0;
        }
        if (b == '\n' && (state == LINE_END || state == FIELD_START || state == FIELD_NAME || state == FIELD_VALUE)) {
            return lineEnd(state);
        }
        switch (state) {
            case METHOD -> {
                if (b == ' ' && !empty) {
                    state = TARGET_START;
                    return 0;
                }
                empty = false;
                return RequestParser.isTokenByte(b) ? 0 : 400;
            }
            case TARGET_START, TARGET -> {
                if (b == ' ' && state == TARGET) {
                    state = VERSION;
                    return 0;
                }
                state = TARGET;
                return (b & 0xff) <= ' ' || (b & 0xff) >= 0x7f ? 400 : 0;
            }
            case FIELD_START, FIELD_NAME -> {
                if (b == ':' && state == FIELD_NAME) {
                    state = FIELD_VALUE;
                    return 0;
                }
                if (state == FIELD_START && ++fieldLines > Limits.MAX_FIELD_LINES) {
                    return 431; // counted as the line begins, as the parser counts it, whatever it holds
                }
                state = FIELD_NAME;
                return RequestParser.isTokenByte(b) ? 0 : 400; // also obs-fold: a line that starts with a space
            }
            case FIELD_VALUE -> {
                return (b >= 0 && b < 0x20 && b != '\t') || b == 0x7f ? 400 : 0;
            }
            default -> { // the version, byte by byte
                int i = state - VERSION;
                boolean ok = switch (i) {
                    case 0, 1, 2, 3, 4 -> b == HTTP[i];
                    case 5, 7 -> b >= '0' && b <= '9';
                    case 6 -> b == '.';
                    default -> false; // a ninth byte, a third space: not HTTP-version
                };
                if (i == 5) {
                    major = b;
                }
                state++;
                return ok ? 0 : 400;
            }
        }
    }

    /** A line has ended in state {@code s}. */
    private int lineEnd(int s) {
        switch (s) {
            case LINE_END -> {
                if (major != '1') {
                    return 505; // a well-formed HTTP-version, not 1.x
                }
                state = FIELD_START;
                return 0;
            }
            case FIELD_START -> {
                state = DONE; // the empty line: the head is complete, and the parser takes it from here
                return 0;
            }
            case FIELD_NAME -> {
                return 400; // a field line without a colon
            }
            default -> { // FIELD_VALUE
                state = FIELD_START;
                return 0;
            }
        }
    }
}
