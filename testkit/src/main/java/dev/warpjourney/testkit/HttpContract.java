package dev.warpjourney.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 contract every stage passes (RFC 9110, RFC 9112). A stage's test class extends this
 * and says how to start its server; every test then talks raw bytes to it over real sockets.
 *
 * <p>Only speed may differ between stages: any behaviour here is the same for all of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class HttpContract {

    /** Short, so the timeout tests run quickly; long enough for a slow CI machine to send a request. */
    protected static final Duration HEADER_TIMEOUT = Duration.ofMillis(1500);
    protected static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);

    private static final Pattern IMF_FIXDATE =
            Pattern.compile("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    private static final Pattern STRONG_ETAG = Pattern.compile("\"[\\x21\\x23-\\x7e]+\"");

    protected Path base;
    protected Path root;
    private StaticServer server;
    protected int port;

    /** Starts the stage's server on 127.0.0.1, on a free port, serving {@code root}. */
    protected abstract StaticServer start(Path root, Duration headerTimeout, Duration idleTimeout) throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        base = Files.createTempDirectory("warp-journey-contract");
        root = Docroot.create(base);
        server = start(root, HEADER_TIMEOUT, IDLE_TIMEOUT);
        port = server.port();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    protected RawClient client() {
        return new RawClient(port);
    }

    protected static String get(String target, String... fields) {
        return request("GET", target, fields);
    }

    protected static String request(String method, String target, String... fields) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String f : fields) {
            sb.append(f).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** One request on a fresh connection. */
    protected HttpResponse exchange(String request) {
        try (RawClient c = client()) {
            return c.send(request).read(request.startsWith("HEAD "));
        }
    }

    private HttpResponse fetch(String target, String... fields) {
        return exchange(get(target, fields));
    }

    private String etagOf(String target) {
        return fetch(target).header("ETag");
    }

    private static String imf(Instant t) {
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC).format(t);
    }

    /** Asserts an error response that closes the connection, and that the server really closes it. */
    private void assertErrorAndClose(RawClient c, int... statuses) {
        HttpResponse r = c.read();
        assertThat(r.status()).as(r.toString()).isIn(Arrays.stream(statuses).boxed().toArray());
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(r.body()).as("an error carries a small body that says what went wrong").isNotEmpty();
        assertThat(r.closes()).as("Connection: close on " + r).isTrue();
        assertThat(c.readUntilClosed()).as("nothing after the error response").isEmpty();
    }

    private static void assertWellFormedHead(HttpResponse r) {
        assertThat(r.version()).isEqualTo("HTTP/1.1");
        String head = r.head();
        assertThat(head).endsWith("\r\n\r\n");
        assertThat(head.replace("\r\n", "")).as("every line ends with CRLF").doesNotContain("\n").doesNotContain("\r");
        assertThat(head.split("\r\n")[0]).matches("HTTP/1\\.1 \\d{3} [A-Za-z -]+");
        assertThat(r.header("Date")).matches(IMF_FIXDATE);
        assertThat(r.header("Server")).isNotBlank();
    }

    protected static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot count /proc/self/fd (Linux only)", e);
        }
    }

    // ---------------------------------------------------------------- GET and HEAD of files

    @Test
    @DisplayName("GET serves the exact bytes with every required header")
    void getServesExactBytesAndHeaders() {
        HttpResponse r = fetch("/hello.txt");
        assertWellFormedHead(r);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.head()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(r.body()).isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
        assertThat(r.header("Content-Length")).isEqualTo("14");
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.header("Last-Modified")).isEqualTo(imf(Docroot.MTIME));
        assertThat(r.header("ETag")).matches(STRONG_ETAG);
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("Connection")).as("HTTP/1.1 keeps the connection without saying so").isNull();
    }

    @Test
    @DisplayName("HEAD sends the same fields as GET and no body")
    void headSameFieldsNoBody() {
        try (RawClient c = client()) {
            HttpResponse head = c.send(request("HEAD", "/data.bin")).readHead();
            // If HEAD had sent a body, its bytes would now be read as the next status line.
            HttpResponse get = c.send(get("/data.bin")).read();
            assertThat(head.status()).isEqualTo(200);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(Docroot.data());
            for (String name : List.of("Content-Length", "Content-Type", "Last-Modified", "ETag", "Accept-Ranges", "Server")) {
                assertThat(head.header(name)).as(name).isEqualTo(get.header(name));
            }
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(Docroot.DATA_SIZE));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "a.html, text/html", "a.HTML, text/html", "a.css, text/css", "a.js, text/javascript", "a.mjs, text/javascript",
        "a.json, application/json", "a.txt, text/plain", "a.xml, application/xml", "a.svg, image/svg+xml",
        "a.png, image/png", "a.jpg, image/jpeg", "a.jpeg, image/jpeg", "a.gif, image/gif", "a.webp, image/webp",
        "a.ico, image/vnd.microsoft.icon", "a.woff, font/woff", "a.woff2, font/woff2", "a.pdf, application/pdf",
        "a.wasm, application/wasm", "a.mp4, video/mp4", "a.unknownext, application/octet-stream",
        "noextension, application/octet-stream"})
    void contentTypeFromExtension(String file, String type) {
        HttpResponse r = fetch("/types/" + file);
        assertThat(r.status()).isEqualTo(200);
        String actual = r.header("Content-Type");
        assertThat(actual.split(";")[0].trim()).isEqualTo(type);
        if (type.startsWith("text/")) {
            assertThat(actual.replace(" ", "").toLowerCase(Locale.ROOT)).endsWith(";charset=utf-8");
        }
    }

    @Test
    void rootServesIndexHtml() throws IOException {
        HttpResponse r = fetch("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Files.readAllBytes(root.resolve("index.html")));
        assertThat(r.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void emptyFileHasZeroLength() {
        HttpResponse r = fetch("/empty.txt");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo("0");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void percentEncodedNamesAreDecoded() {
        assertThat(fetch("/space%20name.txt").bodyText()).isEqualTo("space");
        assertThat(fetch("/caf%C3%A9.txt").bodyText()).isEqualTo("utf-8 name");
        assertThat(fetch("/%68ello.txt").bodyText()).isEqualTo(Docroot.HELLO);
    }

    @Test
    @DisplayName("percent-decoding happens exactly once")
    void decodedExactlyOnce() {
        assertThat(fetch("/100%2525.txt").bodyText()).isEqualTo("decoded once");
        assertThat(fetch("/100%25.txt").status()).isEqualTo(404);
    }

    @Test
    void queryStringIsIgnoredForTheLookup() {
        HttpResponse r = fetch("/hello.txt?v=1&path=../../secret.txt");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(Docroot.HELLO);
    }

    @Test
    void etagAndLastModifiedFollowTheFile() throws IOException {
        Path f = root.resolve("changing.txt");
        Files.writeString(f, "one");
        Files.setLastModifiedTime(f, FileTime.from(Docroot.MTIME));
        HttpResponse first = fetch("/changing.txt");
        Files.writeString(f, "three");
        Files.setLastModifiedTime(f, FileTime.from(Docroot.MTIME.plusSeconds(60)));
        HttpResponse second = fetch("/changing.txt");
        assertThat(second.bodyText()).isEqualTo("three");
        assertThat(second.header("ETag")).isNotEqualTo(first.header("ETag"));
        assertThat(second.header("Last-Modified")).isEqualTo(imf(Docroot.MTIME.plusSeconds(60)));
    }

    // ---------------------------------------------------------------- connections

    @Test
    void http11KeepsTheConnectionOpen() {
        try (RawClient c = client()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse r = c.send(get("/hello.txt")).read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.closes()).isFalse();
            }
        }
    }

    @Test
    @DisplayName("Connection: close is honoured and nothing after it is processed")
    void connectionCloseHonoured() {
        try (RawClient c = client()) {
            c.send(get("/hello.txt", "Connection: close") + get("/data.bin"));
            HttpResponse r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(Docroot.HELLO);
            assertThat(r.closes()).isTrue();
            assertThat(c.readUntilClosed()).as("the pipelined request after close is not answered").isEmpty();
        }
    }

    @Test
    void http10ClosesByDefault() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("GET /hello.txt HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.version()).isEqualTo("HTTP/1.1");
            assertThat(r.closes()).isTrue();
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    @Test
    void http10KeepAliveWhenAsked() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
            HttpResponse again = c.send("GET /hello.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").read();
            assertThat(again.bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    @DisplayName("many pipelined requests in one packet are answered in order")
    void pipelinedInOnePacket() {
        StringBuilder all = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            switch (i % 4) {
                case 0 -> { all.append(get("/hello.txt")); expected.add("200:" + Docroot.HELLO.length()); }
                case 1 -> { all.append(get("/missing-" + i)); expected.add("404"); }
                case 2 -> { all.append(request("HEAD", "/data.bin")); expected.add("200:0"); }
                default -> { all.append(get("/data.bin", "Range: bytes=" + i + "-" + (i + 9))); expected.add("206:10"); }
            }
        }
        try (RawClient c = client()) {
            c.send(all.toString());
            for (int i = 0; i < 50; i++) {
                HttpResponse r = c.read(i % 4 == 2);
                String got = r.status() == 404 ? "404" : r.status() + ":" + r.body().length;
                assertThat(got).as("response " + i).isEqualTo(expected.get(i));
                if (i % 4 == 3) {
                    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(Docroot.data(), i, i + 10));
                }
            }
        }
    }

    @Test
    @DisplayName("two pipelined requests split at every possible byte boundary")
    void pipelinedSplitAtEveryBoundary() throws InterruptedException {
        byte[] both = (get("/hello.txt", "X-A: 1") + get("/dir/", "X-B: 2")).getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < both.length; split++) {
            try (RawClient c = client()) {
                c.send(Arrays.copyOfRange(both, 0, split));
                Thread.sleep(2); // let the first part arrive on its own
                c.send(Arrays.copyOfRange(both, split, both.length));
                HttpResponse a = c.read();
                HttpResponse b = c.read();
                assertThat(a.bodyText()).as("split at " + split).isEqualTo(Docroot.HELLO);
                assertThat(b.bodyText()).as("split at " + split).isEqualTo("<p>dir index\n");
            }
        }
    }

    @Test
    void requestSentOneByteAtATime() throws InterruptedException {
        try (RawClient c = client()) {
            for (byte b : get("/hello.txt").getBytes(StandardCharsets.US_ASCII)) {
                c.send(new byte[] {b});
                Thread.sleep(1);
            }
            assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreIgnored() {
        try (RawClient c = client()) {
            c.send(get("/hello.txt") + "\r\n" + get("/hello.txt"));
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(200);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosed() {
        try (RawClient c = client()) {
            assertThat(c.send(get("/hello.txt")).read().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.closedByServer((int) IDLE_TIMEOUT.toMillis() * 3)).as("closed after the idle timeout").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(IDLE_TIMEOUT.minusMillis(500));
        }
    }

    @Test
    @DisplayName("a request head that does not arrive in time gets 408 or a close")
    void slowRequestHeadTimesOut() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
            byte[] rest = c.readUntilClosed(); // within the client's 10 s read timeout
            String text = new String(rest, StandardCharsets.ISO_8859_1);
            if (!text.isEmpty()) {
                assertThat(text).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
            }
        }
    }

    @Test
    @DisplayName("a client trickling a header line every second cannot keep its request open")
    void slowlorisCannotExtendTheHeaderTimeout() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
            long t0 = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 10 && !closed; i++) {
                closed = c.drainUntilClosed(500); // a 408 and a close (or just a close) end the wait
                if (!closed) {
                    try {
                        c.send("X-Slow-" + i + ": 1\r\n");
                    } catch (UncheckedIOException e) {
                        closed = true; // the server has already closed: exactly what we want
                    }
                }
            }
            if (!closed) {
                closed = c.drainUntilClosed((int) HEADER_TIMEOUT.toMillis() * 3);
            }
            assertThat(closed).as("the server closed the trickling connection").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(HEADER_TIMEOUT.multipliedBy(4));
        }
    }

    // ---------------------------------------------------------------- conditional requests

    @Test
    void ifNoneMatchWithTheCurrentEtagGives304WithoutBody() {
        String etag = etagOf("/data.bin");
        try (RawClient c = client()) {
            HttpResponse r = c.send(get("/data.bin", "If-None-Match: " + etag)).read();
            assertWellFormedHead(r);
            assertThat(r.status()).isEqualTo(304);
            assertThat(r.header("ETag")).isEqualTo(etag);
            assertThat(r.header("Date")).isNotNull();
            // A body after the 304 would be parsed as the next response here.
            assertThat(c.send(get("/hello.txt")).read().bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    void ifNoneMatchUsesWeakComparisonListsAndStar() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "If-None-Match: W/" + etag).status()).isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: \"other\", " + etag).status()).isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: *").status()).isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: \"other\"").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Tue, 05 Mar 2024 07:08:09 GMT", "Tuesday, 05-Mar-24 07:08:09 GMT", "Tue Mar  5 07:08:09 2024"})
    @DisplayName("If-Modified-Since in all three HTTP-date formats")
    void ifModifiedSinceAllFormats(String date) {
        assertThat(fetch("/data.bin", "If-Modified-Since: " + date).status()).isEqualTo(304);
    }

    @Test
    void ifModifiedSinceBeforeTheFileOrInvalidServesTheFile() {
        assertThat(fetch("/data.bin", "If-Modified-Since: Tue, 05 Mar 2024 07:08:08 GMT").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Modified-Since: yesterday").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Modified-Since: Tue, 32 Mar 2024 07:08:09 GMT").status()).isEqualTo(200);
    }

    @Test
    void ifModifiedSinceIsIgnoredWhenIfNoneMatchIsPresent() {
        HttpResponse r = fetch("/data.bin", "If-None-Match: \"other\"", "If-Modified-Since: " + imf(Instant.now()));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "If-Match: " + etag).status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Match: \"a\", " + etag).status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Match: *").status()).isEqualTo(200);
        HttpResponse weak = fetch("/data.bin", "If-Match: W/" + etag);
        assertThat(weak.status()).isEqualTo(412);
        assertThat(weak.header("Content-Length")).isEqualTo(String.valueOf(weak.body().length));
        assertThat(fetch("/data.bin", "If-Match: \"other\"").status()).isEqualTo(412);
    }

    @Test
    void ifUnmodifiedSince() {
        assertThat(fetch("/data.bin", "If-Unmodified-Since: Tue, 05 Mar 2024 07:08:08 GMT").status()).isEqualTo(412);
        assertThat(fetch("/data.bin", "If-Unmodified-Since: Tue, 05 Mar 2024 07:08:09 GMT").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Unmodified-Since: not a date").status()).isEqualTo(200);
        // If-Match present: If-Unmodified-Since is not evaluated (RFC 9110 §13.2.2 step 2).
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "If-Match: " + etag, "If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT").status())
                .isEqualTo(200);
    }

    @Test
    void preconditionFailureComesBeforeNotModified() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "If-Match: \"other\"", "If-None-Match: " + etag).status()).isEqualTo(412);
    }

    // ---------------------------------------------------------------- ranges

    private void assertRange(String range, int first, int last) {
        HttpResponse r = fetch("/data.bin", "Range: " + range);
        assertThat(r.status()).as(range).isEqualTo(206);
        assertThat(r.head()).startsWith("HTTP/1.1 206 Partial Content\r\n");
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + Docroot.DATA_SIZE);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(last - first + 1));
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(Docroot.data(), first, last + 1));
    }

    @Test
    void rangeForms() {
        assertRange("bytes=0-0", 0, 0);
        assertRange("bytes=100-199", 100, 199);
        assertRange("bytes=9000-", 9000, 9999);
        assertRange("bytes=-10", 9990, 9999);
        assertRange("bytes=9990-20000", 9990, 9999);
        assertRange("bytes=-20000", 0, 9999);
        assertRange("BYTES=5-6", 5, 6);
    }

    @Test
    void unsatisfiableRangeGives416WithTheLength() {
        for (String range : List.of("bytes=10000-", "bytes=20000-30000", "bytes=-0")) {
            HttpResponse r = fetch("/data.bin", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(416);
            assertThat(r.header("Content-Range")).isEqualTo("bytes */" + Docroot.DATA_SIZE);
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        }
    }

    @Test
    void unknownUnitMalformedAndMultipleRangesServeTheWholeFile() {
        for (String range : List.of("items=0-1", "bytes=abc", "bytes=5-2", "bytes=1-2-3", "bytes=0-1,5-9", "bytes=")) {
            HttpResponse r = fetch("/data.bin", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Docroot.data());
            assertThat(r.header("Content-Range")).isNull();
        }
    }

    @Test
    void ifRangeIsHonoured() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: " + etag).status()).isEqualTo(206);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: \"stale\"").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: W/" + etag).status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: " + imf(Docroot.MTIME)).status()).isEqualTo(206);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: " + imf(Docroot.MTIME.minusSeconds(1))).status())
                .isEqualTo(200);
    }

    @Test
    void headWithRangeGives200() {
        HttpResponse r = exchange(request("HEAD", "/data.bin", "Range: bytes=0-9"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(Docroot.DATA_SIZE));
    }

    // ---------------------------------------------------------------- directories

    @Test
    void directoryWithSlashServesItsIndex() {
        HttpResponse r = fetch("/dir/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("<p>dir index\n");
        assertThat(r.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void directoryWithoutSlashRedirects() {
        HttpResponse r = fetch("/dir");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/dir/");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(fetch("/dir?x=1").header("Location")).isEqualTo("/dir/?x=1");
    }

    @Test
    void directoryWithoutIndexIs404NotAListing() {
        HttpResponse r = fetch("/dir/sub/");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).doesNotContain("file.txt");
    }

    @Test
    void fileWithTrailingSlashIs404() {
        assertThat(fetch("/hello.txt/").status()).isEqualTo(404);
    }

    @Test
    void missingFileIs404AndTheConnectionStays() {
        try (RawClient c = client()) {
            HttpResponse r = c.send(get("/no/such/file.txt")).read();
            assertWellFormedHead(r);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
            assertThat(r.body()).isNotEmpty();
            assertThat(c.send(get("/hello.txt")).read().status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- malformed requests

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "GET /hello.txt\r\n\r\n",
        "GET  /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /hello.txt  HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: exa mple\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a/b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a:port\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Bad\t: y\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX(Bad): y\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\n: empty-name\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
        "GET /hello.txt HTTP/1.1\rHost: x\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n",
        "GET /hello.txt HTTP/1.10\r\nHost: x\r\n\r\n",
        "GET /hello.txt HTTP/1\r\nHost: x\r\n\r\n",
        "GET /hello.txt http/1.1\r\nHost: x\r\n\r\n",
        "GET /hello.txt HTTP/1.1 \r\nHost: x\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "G\u0000T /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /hel\u0000lo.txt HTTP/1.1\r\nHost: x\r\n\r\n"})
    @DisplayName("malformed request line or fields: 400 and close")
    void malformedRequestsGet400AndClose(String raw) {
        try (RawClient c = client()) {
            c.send(raw);
            assertErrorAndClose(c, 400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "localhost:80", "hello.txt", "ftp://localhost/hello.txt"})
    @DisplayName("a request-target that is not origin-form or absolute-form: 400")
    void nonOriginFormTargets(String target) {
        HttpResponse r = exchange(get(target));
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void absoluteFormIsAccepted() {
        HttpResponse r = exchange("GET http://localhost/hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(exchange("GET http://localhost HTTP/1.1\r\nHost: localhost\r\n\r\n").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"})
    void knownMethodsGet405WithAllow(String method) {
        try (RawClient c = client()) {
            HttpResponse r = c.send(method + " /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
            if (!r.closes()) { // the body was skipped exactly: the next request parses
                assertThat(c.send(get("/hello.txt")).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void unknownMethodGets501() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/9.9"})
    void newerHttpVersionsGet505(String version) {
        try (RawClient c = client()) {
            c.send("GET /hello.txt " + version + "\r\nHost: x\r\n\r\n");
            assertErrorAndClose(c, 505);
        }
    }

    @Test
    void http2PrefaceGets505() {
        try (RawClient c = client()) {
            c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            assertErrorAndClose(c, 505);
        }
    }

    @Test
    @DisplayName("a request line of 8,000 octets is accepted; one over the limit gets 414")
    void requestLineLimit() {
        String longPath = "/" + "a".repeat(7_980);
        assertThat(exchange(get(longPath)).status()).isEqualTo(404);
        try (RawClient c = client()) {
            c.send(get("/" + "a".repeat(70_000)));
            assertErrorAndClose(c, 414);
        }
    }

    @Test
    void headerSectionOverTheLimitGets431() {
        String[] fields = new String[100];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = "X-Filler-" + i + ": " + "v".repeat(1000);
        }
        try (RawClient c = client()) {
            c.send(get("/hello.txt", fields));
            assertErrorAndClose(c, 431);
        }
        // A header section of a few KiB is fine.
        assertThat(fetch("/hello.txt", Arrays.copyOf(fields, 5)).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- request bodies

    @Test
    @DisplayName("a Content-Length body on GET is skipped exactly")
    void contentLengthBodyIsSkipped() throws InterruptedException {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET /x HTTP" + get("/dir/"));
            assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
            assertThat(c.read().bodyText()).isEqualTo("<p>dir index\n");
            // and a body that arrives in pieces, after the response was sent
            c.send("HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab");
            assertThat(c.readHead().status()).isEqualTo(200);
            Thread.sleep(20);
            c.send("cd");
            Thread.sleep(20);
            c.send("ef" + get("/hello.txt"));
            assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    void transferEncodingIsRefusedAndCloses() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            assertErrorAndClose(c, 400, 501);
        }
    }

    @Test
    void transferEncodingWithContentLengthIs400() {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            assertErrorAndClose(c, 400);
        }
    }

    // ---------------------------------------------------------------- paths

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "/../secret.txt", "/../../secret.txt", "/dir/../../secret.txt", "/./../secret.txt",
        "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt", "/..%5csecret.txt", "/..%5Csecret.txt", "/%c0%ae%c0%ae/secret.txt",
        "/%c0%2e%c0%2e/secret.txt", "/%e0%80%ae%e0%80%ae/secret.txt", "/%c0%af..%c0%afsecret.txt",
        "/%252e%252e/secret.txt", "/..\\secret.txt", "/link-outside.txt", "/dirlink-outside/secret.txt",
        "/hello.txt%00.html", "/%00", "/%", "/%2", "/%zz", "/a%2fb", "//../secret.txt",
        "/..;/secret.txt", "/%u002e%u002e/secret.txt"})
    @DisplayName("no path leaves the root, and a bad path never yields a 500")
    void traversalIsImpossible(String target) {
        HttpResponse r = fetch(target);
        assertThat(r.status()).as(target).isIn(400, 404);
        assertThat(r.bodyText()).doesNotContain("TOP SECRET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hello.txt%00", "/%", "/abc%4", "/%g0", "/a%2Fb", "/a%5cb"})
    void badPercentEncodingIs400(String target) {
        assertThat(fetch(target).status()).isEqualTo(400);
    }

    @Test
    void symlinksAreFollowedOnlyInsideTheRoot() {
        assertThat(fetch("/link-inside.txt").bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(fetch("/dir/link-up.txt").bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(fetch("/link-outside.txt").status()).isEqualTo(404);
        assertThat(fetch("/dirlink-outside/secret.txt").status()).isEqualTo(404);
    }

    @Test
    void dotSegmentsThatStayInsideTheRootAreResolved() {
        assertThat(fetch("/dir/../hello.txt").bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(fetch("/./hello.txt").bodyText()).isEqualTo(Docroot.HELLO);
    }

    // ---------------------------------------------------------------- robustness

    @Test
    @DisplayName("a client vanishing mid-request or mid-response disturbs no one else")
    void vanishingClientsDisturbNoOne() throws Exception {
        Path big = root.resolve("vanish.bin");
        Files.write(big, new byte[8 << 20]);
        try (RawClient steady = client()) {
            assertThat(steady.send(get("/hello.txt")).read().status()).isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                RawClient midRequest = client();
                midRequest.send("GET /hello.txt HTTP/1.1\r\nHo");
                midRequest.close();
                RawClient midResponse = client();
                midResponse.send(get("/vanish.bin"));
                midResponse.input().readNBytes(1000);
                midResponse.socket().setSoLinger(true, 0); // close with RST, like a crashed client
                midResponse.close();
                assertThat(steady.send(get("/hello.txt")).read().bodyText()).isEqualTo(Docroot.HELLO);
            }
        } finally {
            Files.delete(big);
        }
    }

    @Test
    @DisplayName("a client that stops reading does not stall the others")
    void stalledReaderDoesNotBlockOthers() throws IOException {
        Path big = root.resolve("stall.bin");
        Files.write(big, new byte[32 << 20]);
        try (RawClient stalled = client()) {
            stalled.send(get("/stall.bin"));
            stalled.input().readNBytes(100); // then never read again
            for (int i = 0; i < 10; i++) {
                assertThat(fetch("/hello.txt").bodyText()).isEqualTo(Docroot.HELLO);
            }
        } finally {
            Files.delete(big);
        }
    }

    @Test
    @DisplayName("a 1 GiB file streams with a small heap")
    void hugeFileStreams() throws IOException {
        assertThat(Runtime.getRuntime().maxMemory()).as("the contract runs with a heap smaller than the file")
                .isLessThan(Docroot.HUGE_SIZE);
        Path huge = Docroot.createHuge(root);
        try (RawClient c = client()) {
            c.send(get("/huge.bin"));
            HttpResponse head = readHeadOnly(c);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(Docroot.HUGE_SIZE));
            InputStream in = c.input();
            byte[] chunk = new byte[1 << 16];
            long offset = 0;
            while (offset < Docroot.HUGE_SIZE) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, Docroot.HUGE_SIZE - offset));
                assertThat(n).as("stream ended at " + offset).isPositive();
                for (int i = 0; i < n; i++) {
                    long at = offset + i;
                    long inStride = at % Docroot.HUGE_MARK_STRIDE;
                    int expected = inStride < 8 ? (int) ((at - inStride) >>> (8 * (7 - inStride))) & 0xff : 0;
                    if ((chunk[i] & 0xff) != expected) {
                        fail("byte " + at + " is " + (chunk[i] & 0xff) + ", expected " + expected);
                    }
                }
                offset += n;
            }
            // The connection is still usable, and a range near the end of the file works.
            HttpResponse tail = c.send(get("/huge.bin", "Range: bytes=" + (Docroot.HUGE_SIZE - Docroot.HUGE_MARK_STRIDE) + "-"
                    + (Docroot.HUGE_SIZE - Docroot.HUGE_MARK_STRIDE + 7))).read();
            assertThat(tail.status()).isEqualTo(206);
            assertThat(tail.body()).isEqualTo(java.nio.ByteBuffer.allocate(8)
                    .putLong(Docroot.HUGE_SIZE - Docroot.HUGE_MARK_STRIDE).array());
        } finally {
            Files.delete(huge);
        }
    }

    /** Reads a response head and leaves the body on the stream. */
    private static HttpResponse readHeadOnly(RawClient c) {
        return c.readHead();
    }

    @Test
    @DisplayName("1,000 concurrent connections are served")
    void thousandConcurrentConnections() {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                // Send at once: opening 1,000 connections can outlast the idle timeout, and an idle
                // connection is rightly closed. All 1,000 stay open until every response is read.
                clients.add(client().send(get("/hello.txt")));
            }
            for (RawClient c : clients) {
                assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
            }
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    @DisplayName("the descriptor count returns to its start after a mixed run")
    void noDescriptorLeaks() throws Exception {
        Files.write(root.resolve("leak.bin"), new byte[4 << 20]);
        long before = settledDescriptorCount();
        for (int round = 0; round < 20; round++) {
            fetch("/hello.txt");
            fetch("/data.bin", "Range: bytes=1-2");
            fetch("/missing");
            fetch("/../secret.txt");
            exchange(request("HEAD", "/data.bin"));
            exchange("GET / HTTP/1.1\r\n\r\n");
            exchange("GET /hello.txt HTTP/1.0\r\n\r\n");
            try (RawClient c = client()) { // aborted mid-response with a file open
                c.send(get("/leak.bin"));
                c.input().readNBytes(100);
                c.socket().setSoLinger(true, 0);
            }
            try (RawClient c = client()) { // aborted mid-request
                c.send("GET /hello");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long after = openDescriptors();
        while (after > before && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = openDescriptors();
        }
        assertThat(after).as("descriptors after the run (before: " + before + ")").isLessThanOrEqualTo(before);
        Files.delete(root.resolve("leak.bin"));
    }

    /** Waits until earlier tests' connections have finished closing (lingering closes take a moment). */
    private static long settledDescriptorCount() throws InterruptedException {
        long previous = openDescriptors();
        for (int i = 0; i < 60; i++) {
            Thread.sleep(250);
            long now = openDescriptors();
            if (now == previous) {
                return now;
            }
            previous = now;
        }
        return previous;
    }
}
