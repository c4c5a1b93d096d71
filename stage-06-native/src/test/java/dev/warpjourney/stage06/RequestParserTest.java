package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request-head parser, one rule at a time, with exact outcomes: the fields it returns or the
 * status it refuses with. The contract test covers the same rules end to end over sockets; these
 * pin the edges (each boundary character, each limit) that a socket test would not single out.
 */
class RequestParserTest {
    private static Request parse(String head) throws HttpException {
        return ForTests.parse(head);
    }

    private static int status(String head) {
        try {
            ForTests.parse(head);
        } catch (HttpException e) {
            return e.status;
        }
        return 0;
    }

    /**
     * What the parser kept, as stage 04's record showed it: method, target, version, the fields the server reads, body
     * length, keep-alive.
     */
    private static String summary(Request r) {
        return r.method() + " " + r.target() + " 1." + r.minorVersion + " " + fields(r) + " " + r.contentLength + " "
                + r.keepAlive;
    }

    private static String summary(
            String method, String target, int minor, Map<String, String> fields, long length, boolean keepAlive) {
        return method + " " + target + " 1." + minor + " " + fields + " " + length + " " + keepAlive;
    }

    /** The fields the request keeps (only those the server reads), in {@link Request#FIELDS} order. */
    private static Map<String, String> fields(Request r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int f = 0; f < Request.FIELDS.length; f++) {
            if (r.header(f) != null) {
                m.put(Request.FIELDS[f], r.header(f));
            }
        }
        return m;
    }

    private static String get(String fields) {
        return "GET / HTTP/1.1\r\n" + fields + "\r\n";
    }

    @Test
    void parsesAMinimalRequestExactly() throws HttpException {
        Request r = parse("GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(summary(r)).isEqualTo(summary("GET", "/index.html?q=1", 1, Map.of("host", "example.com"), 0, true));
    }

    @Test
    void acceptsBareLfLineEndsAndStopsAtTheEmptyLine() throws HttpException {
        assertThat(summary(parse("HEAD / HTTP/1.0\n\n"))).isEqualTo(summary("HEAD", "/", 0, Map.of(), 0, false));
        // Whatever follows the empty line is not part of the head (here: a line that would be refused).
        assertThat(fields(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\nnot a header\r\n")))
                .isEqualTo(Map.of("host", "a"));
    }

    @Test
    void theEmptyLineIsOptionalAtTheEndOfTheText() throws HttpException {
        assertThat(summary(parse("GET / HTTP/1.0"))).isEqualTo(summary("GET", "/", 0, Map.of(), 0, false));
        assertThat(summary(parse("GET / HTTP/1.1\r\nHost: a")))
                .isEqualTo(summary("GET", "/", 1, Map.of("host", "a"), 0, true));
    }

    @Test
    void refusesABareCrAnywhere() {
        assertThat(status("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n")).isEqualTo(400);
        assertThat(status("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(400);
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\r\nHost: a\r\n\r\n")).hasMessage("bare CR");
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n\rHost: a\r\n\r\n")).hasMessage("bare CR");
        assertThatThrownBy(() -> parse("\rGET / HTTP/1.1\r\nHost: a\r\n\r\n")).hasMessage("bare CR");
    }

    @Test
    void requestLineHasExactlyThreeNonEmptyParts() {
        for (String line :
                List.of("GET /", "GET / HTTP/1.1 x", "GET  / HTTP/1.1", " / HTTP/1.1", "GET  HTTP/1.1", "")) {
            assertThat(status(line + "\r\nHost: a\r\n\r\n")).as(line).isEqualTo(400);
        }
    }

    @Test
    void httpVersionGrammar() throws HttpException {
        assertThat(parse("GET / HTTP/1.0\r\n\r\n").minorVersion).isEqualTo(0);
        assertThat(parse("GET / HTTP/1.9\r\nHost: a\r\n\r\n").minorVersion).isEqualTo(9);
        for (String v : List.of(
                "HTTP/1.10",
                "HTTP/1.",
                "HTTX/1.1",
                "http/1.1",
                "HTTP/1-1",
                "HTTP/a.1",
                "HTTP/1.a",
                "HTTP//.1",
                "HTTP/:.1",
                "HTTP/1./",
                "HTTP/1.:",
                "XHTTP/1.1")) {
            assertThat(status("GET / " + v + "\r\nHost: a\r\n\r\n")).as(v).isEqualTo(400);
        }
        assertThat(status("GET / HTTP/2.0\r\nHost: a\r\n\r\n")).isEqualTo(505);
        assertThat(status("GET / HTTP/0.9\r\nHost: a\r\n\r\n")).isEqualTo(505);
    }

    @Test
    void methodMustBeAToken() {
        assertThat(status("G(T / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(400);
        assertThat(status("G\"T / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(400);
    }

    @Test
    void targetRefusesControlsAndNonAscii() throws HttpException {
        for (char c : new char[] {0x01, '\t', 0x1f, 0x7f, 0x80, 0xff}) {
            assertThat(status("GET /a" + c + " HTTP/1.1\r\nHost: a\r\n\r\n"))
                    .as("0x%x", (int) c)
                    .isEqualTo(400);
        }
        assertThat(parse("GET /!~ HTTP/1.1\r\nHost: a\r\n\r\n").target()).isEqualTo("/!~");
    }

    @Test
    void headerLinesNeedANameAndAColon() {
        assertThat(status(get("Host a"))).isEqualTo(400);
        assertThatThrownBy(() -> parse(get(": a"))).hasMessage("header line without a name");
        assertThatThrownBy(() -> parse(get("Host a"))).hasMessage("header line without a name");
        assertThat(status(get("Host: a\r\nHo st: b"))).isEqualTo(400);
        assertThat(status(get("Host : a"))).isEqualTo(400);
        assertThat(status(get("Host: a\r\n folded"))).isEqualTo(400);
    }

    @Test
    void valuesAreTrimmedOfOptionalWhitespaceOnly() throws HttpException {
        // Fields the server does not read are checked and not kept: the trimming shows on those it reads.
        Request r =
                parse(get("Host: a\r\nIf-Match: \t v w \t \r\nRange:\r\nIf-Range:  \r\nConnection:v\t\r\nX-D: \t y"));
        assertThat(fields(r))
                .containsExactlyEntriesOf(
                        linked("host", "a", "connection", "v", "if-match", "v w", "range", "", "if-range", ""));
    }

    @Test
    void valuesRefuseControlsButKeepTabsAndObsText() throws HttpException {
        for (char c : new char[] {0x00, 0x01, 0x1f, 0x7f}) {
            assertThat(status(get("Host: a\r\nX: a" + c + "b")))
                    .as("0x%x", (int) c)
                    .isEqualTo(400);
        }
        assertThat(ForTests.header(parse(get("Host: a\r\nIf-Match: a\tb \u0080\u00ff")), "if-match"))
                .isEqualTo("a\tb \u0080\u00ff");
    }

    @Test
    void namesAreCaseInsensitiveAndRepeatsJoin() throws HttpException {
        Request r = parse(get("HOST: a\r\nIf-None-Match: x\r\nif-none-match: y\r\nIF-NONE-MATCH: z\r\nAccept: q"));
        assertThat(fields(r)).containsExactlyEntriesOf(linked("host", "a", "if-none-match", "x, y, z"));
    }

    @Test
    void hostAndContentLengthMayNotRepeat() {
        assertThatThrownBy(() -> parse(get("Host: a\r\nhost: a"))).hasMessage("repeated host");
        assertThatThrownBy(() -> parse(get("Host: a\r\nContent-Length: 1\r\nContent-Length: 1")))
                .hasMessage("repeated content-length");
    }

    @Test
    void hostIsRequiredFromHttp11AndMustBeValid() throws HttpException {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n\r\n")).hasMessage("HTTP/1.1 request without Host");
        assertThat(ForTests.header(parse("GET / HTTP/1.0\r\n\r\n"), "host")).isNull();
        assertThatThrownBy(() -> parse("GET / HTTP/1.0\r\nHost: a b\r\n\r\n")).hasMessage("invalid Host");
        assertThat(ForTests.header(parse(get("Host: [::1]:8080")), "host")).isEqualTo("[::1]:8080");
    }

    @Test
    void transferEncodingRules() throws HttpException {
        assertThatThrownBy(() -> parse(get("Host: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3")))
                .isInstanceOfSatisfying(
                        HttpException.class, e -> assertThat(e.status).isEqualTo(400));
        Request chunked = parse(get("Host: a\r\nTransfer-Encoding: chunked"));
        assertThat(chunked.chunked).isTrue();
        assertThat(chunked.contentLength).isZero();
        assertThat(status(get("Host: a\r\nTransfer-Encoding: gzip"))).isEqualTo(501);
    }

    @Test
    void contentLengthIsAtMostEighteenDigits() throws HttpException {
        assertThat(parse(get("Host: a\r\nContent-Length: 5")).contentLength).isEqualTo(5);
        assertThat(parse(get("Host: a\r\nContent-Length: 0")).contentLength).isZero();
        assertThat(parse(get("Host: a\r\nContent-Length: 999999999999999999")).contentLength)
                .isEqualTo(999_999_999_999_999_999L);
        for (String bad : List.of("", "1234567890123456789", "-1", "+1", "1a", "1 2", "/", ":", "0x1")) {
            assertThat(status(get("Host: a\r\nContent-Length: " + bad))).as(bad).isEqualTo(400);
        }
    }

    @Test
    void methods() throws HttpException {
        for (String m : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")) {
            assertThat(parse(m + " / HTTP/1.1\r\nHost: a\r\n\r\n").method()).isEqualTo(m);
        }
        assertThatThrownBy(() -> parse("BREW / HTTP/1.1\r\nHost: a\r\n\r\n")).hasMessage("unknown method");
        assertThat(status("get / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(501); // methods are case-sensitive
    }

    @Test
    void persistence() throws HttpException {
        assertThat(parse(get("Host: a")).keepAlive).isTrue();
        assertThat(parse(get("Host: a\r\nConnection: upgrade")).keepAlive).isTrue();
        assertThat(parse(get("Host: a\r\nConnection: close")).keepAlive).isFalse();
        assertThat(parse(get("Host: a\r\nConnection: keep-alive, Close")).keepAlive)
                .isFalse();
        assertThat(parse(get("Host: a\r\nConnection: foo\r\nConnection: \tclose ")).keepAlive)
                .isFalse();
        assertThat(parse("GET / HTTP/1.0\r\n\r\n").keepAlive).isFalse();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive)
                .isTrue();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: foo, keep-alive \r\n\r\n").keepAlive)
                .isTrue();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keepAlive)
                .isFalse();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alivex\r\n\r\n").keepAlive)
                .isFalse();
    }

    @Test
    void hostGrammar() {
        for (String ok : List.of(
                "",
                "example.com",
                "a-b.example",
                "A.B",
                "host:8080",
                "host:",
                "host:12345",
                "h:0",
                "a_b~!$&'()*+,;=%",
                "[::1]",
                "[::1]:8080",
                "[a]",
                "[FE80::a9]",
                "[1.2.3.4]",
                "[0123456789abcdefABCDEF:.]")) {
            assertThat(RequestParser.isValidHost(ok)).as(ok).isTrue();
        }
        for (String bad : List.of(
                "a b",
                "a/b",
                "a@b",
                "a[b",
                "a{b",
                "a\"b",
                "host:123456",
                "host:8a",
                "host::1",
                "host:/",
                "[]",
                "[",
                "[::1",
                "[::1]x",
                "[::1]:x",
                "[::g]",
                "[::G]",
                "[::@]",
                "[::`]",
                "[::/]",
                "[::;]",
                "[::1]]")) {
            assertThat(RequestParser.isValidHost(bad)).as(bad).isFalse();
        }
    }

    @Test
    void tokenGrammar() {
        assertThat(RequestParser.isToken("")).isFalse();
        assertThat(RequestParser.isToken("azAZ09!#$%&'*+-.^_`|~")).isTrue();
        for (String bad :
                List.of("a b", "a\"", "a:", "a/", "a@", "a[", "a{", "a(", "a,", "a;", "a=", "a?", "a\u0080", "a\t")) {
            assertThat(RequestParser.isToken(bad)).as(bad).isFalse();
        }
    }

    private static Map<String, String> linked(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
