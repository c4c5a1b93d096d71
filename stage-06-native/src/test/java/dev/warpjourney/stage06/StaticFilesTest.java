package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file lookup and the conditional and Range rules, asserted on the exact response the
 * connection would send: status, every header field in order, and the file region.
 */
class StaticFilesTest {
    /** 1994-11-06T08:49:37.123Z: the file's mtime; HTTP dates drop the milliseconds. */
    private static final long MTIME_MILLIS = 784_111_777_123L;

    private static final String LAST_MODIFIED = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String BEFORE = "Sun, 06 Nov 1994 08:49:36 GMT";
    private static final String AFTER = "Sun, 06 Nov 1994 08:49:38 GMT";
    /** size 5 and the mtime in milliseconds, both in hex. */
    private static final String ETAG = "\"5-b690b43563\"";

    @TempDir
    static Path base;

    private static Path root;
    private static StaticFiles files;

    @BeforeAll
    static void documentRoot() throws IOException, InterruptedException {
        root = Files.createDirectories(base.resolve("www"));
        Path outside = Files.writeString(base.resolve("secret.html"), "secret");
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.fromMillis(MTIME_MILLIS));
        Files.writeString(Files.createDirectories(root.resolve("docs")).resolve("index.html"), "<p>docs</p>");
        Files.createDirectories(root.resolve("noindex"));
        // A directory whose index.html is a symlink out of the root: its target must never be served.
        Files.createSymbolicLink(Files.createDirectories(root.resolve("linked")).resolve("index.html"), outside);
        Files.createSymbolicLink(root.resolve("escape.html"), outside);
        // A directory whose index.html is itself a directory.
        Files.createDirectories(root.resolve("nested/index.html"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe.txt").toString())
                .inheritIO()
                .start();
        assertThat(mkfifo.waitFor()).isZero();
        Files.createDirectories(root.resolve("fifodir"));
        assertThat(new ProcessBuilder(
                                "mkfifo", root.resolve("fifodir/index.html").toString())
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
        files = new StaticFiles(base.resolve("www/../www"));
    }

    private static Response get(String target, String... fields) {
        return handle("GET", target, fields);
    }

    private static Response handle(String method, String target, String... fields) {
        Map<String, String> headers = new HashMap<>();
        headers.put("host", "test");
        for (int i = 0; i < fields.length; i += 2) {
            headers.put(fields[i], fields[i + 1]);
        }
        // A window of zero: every request looks the file up, as stage 03 did (FileCacheTest tests the cache).
        FileCache cache = ForTests.fileCache(files, 16, 16, Duration.ZERO, Duration.ZERO, Guard.NONE);
        return files.handle(Requests.of(method, target, headers), cache);
    }

    private static List<String> fields(Response r) {
        List<String> l = new ArrayList<>();
        for (String[] h : r.headers) {
            l.add(h[0] + ": " + h[1]);
        }
        return l;
    }

    private static void assertError(Response r, int status, String body) {
        assertThat(r.status).isEqualTo(status);
        assertThat(r.file).isNull();
        assertThat(new String(r.body, StandardCharsets.US_ASCII)).isEqualTo(body);
    }

    private static void assertWholeFile(Response r) {
        assertThat(r.status).isEqualTo(200);
        assertThat(r.file.file).isEqualTo(files.root().resolve("hello.txt"));
        assertThat(r.fileOffset).isZero();
        assertThat(r.fileLength).isEqualTo(5);
        assertThat(fields(r))
                .containsExactly(
                        "Content-Type: text/plain; charset=utf-8",
                        "Last-Modified: " + LAST_MODIFIED,
                        "ETag: " + ETAG,
                        "Accept-Ranges: bytes");
    }

    @Test
    void servesAFileWithItsValidators() throws IOException {
        assertThat(files.root()).isEqualTo(root.toRealPath());
        Response r = get("/hello.txt");
        assertWholeFile(r);
        assertThat(r.file.file).isEqualTo(root.toRealPath().resolve("hello.txt"));
        assertThat(r.omitBody).isFalse();
        assertThat(r.contentLength()).isEqualTo(5);
    }

    @Test
    void headOmitsTheBodyOnly() throws IOException {
        Response r = handle("HEAD", "/hello.txt");
        assertThat(r.file.file).isEqualTo(root.toRealPath().resolve("hello.txt"));
        assertThat(r.omitBody).isTrue();
        assertThat(handle("HEAD", "/missing").omitBody).isTrue();
        assertThat(get("/missing").omitBody).isFalse();
    }

    @Test
    void otherMethodsAre405WithAllow() {
        for (String m : List.of("POST", "PUT", "DELETE", "OPTIONS", "head", "get")) {
            Response r = handle(m, "/hello.txt");
            assertError(r, 405, "405 Method Not Allowed\n");
            assertThat(fields(r)).containsExactly("Content-Type: text/plain; charset=utf-8", "Allow: GET, HEAD");
        }
    }

    @Test
    void lookupOutcomes() {
        assertError(get("/../secret.html"), 400, "400 Bad Request\n");
        assertError(get("/missing"), 404, "404 Not Found\n");
        assertError(get("/escape.html"), 404, "404 Not Found\n");
        assertError(get("/hello.txt/"), 404, "404 Not Found\n");
        assertError(get("/noindex/"), 404, "404 Not Found\n");
        Response dir = get("/docs");
        assertError(dir, 301, "301 Moved Permanently\n");
        assertThat(fields(dir)).containsExactly("Content-Type: text/plain; charset=utf-8", "Location: /docs/");
        assertThat(fields(get("/docs?a=1&b"))).contains("Location: /docs/?a=1&b");
        assertThat(fields(get("/do%63s?"))).contains("Location: /docs/?"); // from the decoded path, encoded again
        assertThat(fields(get("//evil.example/../docs"))).contains("Location: /docs/"); // never another host
        Response index = get("/docs/");
        assertThat(index.status).isEqualTo(200);
        assertThat(index.file.file.getFileName().toString()).isEqualTo("index.html");
        assertThat(fields(index)).first().isEqualTo("Content-Type: text/html; charset=utf-8");
    }

    @Test
    void aDirectoryIndexThatLeavesTheRootIsNotServed() {
        assertError(get("/linked/"), 404, "404 Not Found\n");
        assertError(get("/linked/index.html"), 404, "404 Not Found\n");
    }

    @Test
    void onlyRegularFilesAreServed() {
        assertError(get("/pipe.txt"), 404, "404 Not Found\n"); // opening a FIFO would block the loop
        assertError(get("/fifodir/"), 404, "404 Not Found\n");
        assertError(get("/nested/"), 404, "404 Not Found\n");
    }

    @Test
    void unreadableFilesAre403() throws IOException {
        // root reads everything: this only runs as an ordinary user.
        assumeThat(System.getProperty("user.name")).isNotEqualTo("root");
        Path locked = Files.writeString(root.resolve("locked.txt"), "x");
        Path closedDir = Files.createDirectories(root.resolve("closed"));
        Files.writeString(closedDir.resolve("inner.txt"), "x");
        try {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
            Files.setPosixFilePermissions(closedDir, PosixFilePermissions.fromString("---------"));
            assertError(get("/locked.txt"), 403, "403 Forbidden\n");
            assertError(get("/closed/inner.txt"), 403, "403 Forbidden\n");
        } finally {
            Files.setPosixFilePermissions(closedDir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void ifMatch() {
        assertWholeFile(get("/hello.txt", "if-match", ETAG));
        assertWholeFile(get("/hello.txt", "if-match", "*"));
        assertError(get("/hello.txt", "if-match", "\"nope\""), 412, "412 Precondition Failed\n");
        assertError(get("/hello.txt", "if-match", "W/" + ETAG), 412, "412 Precondition Failed\n");
        // If-Match present: If-Unmodified-Since is not evaluated.
        assertWholeFile(get("/hello.txt", "if-match", ETAG, "if-unmodified-since", BEFORE));
    }

    @Test
    void ifUnmodifiedSince() {
        assertWholeFile(get("/hello.txt", "if-unmodified-since", LAST_MODIFIED));
        assertWholeFile(get("/hello.txt", "if-unmodified-since", AFTER));
        assertWholeFile(get("/hello.txt", "if-unmodified-since", "not a date"));
        assertError(get("/hello.txt", "if-unmodified-since", BEFORE), 412, "412 Precondition Failed\n");
    }

    @Test
    void ifNoneMatch() {
        Response r = get("/hello.txt", "if-none-match", "\"a\", W/" + ETAG);
        assertThat(r.status).isEqualTo(304);
        assertThat(r.file).isNull();
        assertThat(r.body).isEmpty();
        assertThat(fields(r)).containsExactly("ETag: " + ETAG);
        assertThat(get("/hello.txt", "if-none-match", "*").status).isEqualTo(304);
        // If-None-Match present and not matching: If-Modified-Since is not evaluated.
        assertWholeFile(get("/hello.txt", "if-none-match", "\"a\"", "if-modified-since", AFTER));
    }

    @Test
    void ifModifiedSince() {
        assertThat(fields(get("/hello.txt", "if-modified-since", LAST_MODIFIED)))
                .containsExactly("ETag: " + ETAG);
        assertThat(get("/hello.txt", "if-modified-since", LAST_MODIFIED).status).isEqualTo(304);
        assertThat(get("/hello.txt", "if-modified-since", AFTER).status).isEqualTo(304);
        assertWholeFile(get("/hello.txt", "if-modified-since", BEFORE));
        assertWholeFile(get("/hello.txt", "if-modified-since", "yesterday"));
    }

    @Test
    void range() {
        Response r = get("/hello.txt", "range", "bytes=1-2");
        assertThat(r.status).isEqualTo(206);
        assertThat(r.file.file.getFileName().toString()).isEqualTo("hello.txt");
        assertThat(r.fileOffset).isEqualTo(1);
        assertThat(r.fileLength).isEqualTo(2);
        assertThat(fields(r))
                .containsExactly(
                        "Content-Range: bytes 1-2/5",
                        "Content-Type: text/plain; charset=utf-8",
                        "Last-Modified: " + LAST_MODIFIED,
                        "ETag: " + ETAG,
                        "Accept-Ranges: bytes");
        Response last = get("/hello.txt", "range", "bytes=-1");
        assertThat(last.fileOffset).isEqualTo(4);
        assertThat(last.fileLength).isEqualTo(1);
        assertThat(fields(last)).first().isEqualTo("Content-Range: bytes 4-4/5");

        Response unsatisfiable = get("/hello.txt", "range", "bytes=5-");
        assertError(unsatisfiable, 416, "416 Range Not Satisfiable\n");
        assertThat(fields(unsatisfiable))
                .containsExactly("Content-Type: text/plain; charset=utf-8", "Content-Range: bytes */5");

        assertWholeFile(get("/hello.txt", "range", "bytes=x-1"));
        assertWholeFile(get("/hello.txt", "range", "bytes=0-1,3-4"));
        assertThat(handle("HEAD", "/hello.txt", "range", "bytes=1-2").status).isEqualTo(200);
    }

    @Test
    void ifRange() {
        assertThat(get("/hello.txt", "range", "bytes=1-2", "if-range", ETAG).status)
                .isEqualTo(206);
        assertThat(get("/hello.txt", "range", "bytes=1-2", "if-range", " " + ETAG + " ").status)
                .isEqualTo(206);
        assertThat(get("/hello.txt", "range", "bytes=1-2", "if-range", LAST_MODIFIED).status)
                .isEqualTo(206);
        assertWholeFile(get("/hello.txt", "range", "bytes=1-2", "if-range", "\"other\""));
        assertWholeFile(get("/hello.txt", "range", "bytes=1-2", "if-range", "W/" + ETAG));
        assertWholeFile(get("/hello.txt", "range", "bytes=1-2", "if-range", BEFORE));
        assertWholeFile(get("/hello.txt", "range", "bytes=1-2", "if-range", AFTER));
        assertWholeFile(get("/hello.txt", "range", "bytes=1-2", "if-range", "garbage"));
        assertThat(get("/hello.txt", "range", "bytes=5-", "if-range", "\"other\"").status)
                .isEqualTo(200);
    }
}
