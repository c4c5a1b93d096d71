package dev.warpjourney.stage06;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request CPU work that does not touch the network: parse a request head, compose a
 * response head, format the Date. Every stage has this benchmark with the same inputs, so stage 05's
 * composer can be compared with stage 01's. Run it with the command in this stage's README.
 *
 * <p>The "gc.alloc.rate.norm" figure (with {@code -prof gc}) is the bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HotPathBenchmark {

    /** What wrk sends: a request line, Host, and nothing else. */
    static final byte[] WRK_REQUEST =
            "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What a browser sends: a dozen fields, about 500 bytes. */
    static final byte[] BROWSER_REQUEST = ("GET /assets/app.js?v=42 HTTP/1.1\r\n"
                    + "Host: localhost:8080\r\n"
                    + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0\r\n"
                    + "Accept: */*\r\n"
                    + "Accept-Language: en-US,en;q=0.5\r\n"
                    + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                    + "Connection: keep-alive\r\n"
                    + "Referer: http://localhost:8080/\r\n"
                    + "Sec-Fetch-Dest: script\r\n"
                    + "Sec-Fetch-Mode: no-cors\r\n"
                    + "Sec-Fetch-Site: same-origin\r\n"
                    + "If-None-Match: \"2a7-18e0f4c3a10\"\r\n"
                    + "If-Modified-Since: Tue, 05 Mar 2024 07:08:09 GMT\r\n"
                    + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    /** A 200 for a real 151-byte file, as the file cache makes it: its head pre-composed. */
    private final Response ok = indexFile().ok;
    /** What the loop reuses for every request: the parsed request, the response buffer, the Date. */
    private final Request request = new Request();

    private final ByteBuffer out = ByteBuffer.allocateDirect(Limits.WRITE_BUFFER_SIZE);
    private final DateCache dates = new DateCache(Config.Dates.ONCE_A_SECOND);

    /** A cache entry for a real 151-byte file. */
    private static FileEntry indexFile() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("index", ".html");
            java.nio.file.Files.write(file, new byte[151]);
            file.toFile().deleteOnExit();
            return FileEntry.file(
                    file,
                    file,
                    java.nio.file.Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class),
                    (java.nio.file.attribute.FileTime) java.nio.file.Files.getAttribute(file, "unix:ctime"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** This stage parses the bytes where they lie, into the loop's one Request. */
    @Benchmark
    public Request parseWrkRequest() throws HttpException {
        RequestParser.parse(WRK_REQUEST, 0, WRK_REQUEST.length, request);
        return request;
    }

    @Benchmark
    public Request parseBrowserRequest() throws HttpException {
        RequestParser.parse(BROWSER_REQUEST, 0, BROWSER_REQUEST.length, request);
        return request;
    }

    /** The head of a 200 for the 151-byte index.html, as the bytes that go on the wire: into the loop's buffer. */
    @Benchmark
    public ByteBuffer composeResponseHead() {
        out.clear();
        ResponseHead.compose(ResponseHead.prefix(ok, Config.Heads.PER_FILE), true, false, dates.now(), out);
        return out;
    }

    @Benchmark
    public byte[] formatDate() {
        return dates.now();
    }
}
