package dev.warpjourney.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Static helpers shared by the contract sections: request text, dates, head checks, descriptor counts. */
public final class Wire {
    private Wire() {}

    static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    static final Pattern STRONG_ETAG = Pattern.compile("\"[\\x21\\x23-\\x7e]+\"");

    public static String get(String target, String... fields) {
        return request("GET", target, fields);
    }

    public static String request(String method, String target, String... fields) {
        StringBuilder sb =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String f : fields) {
            sb.append(f).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    /** An IMF-fixdate (RFC 9110 §5.6.7), the preferred HTTP-date format. */
    public static String imf(Instant t) {
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC)
                .format(t);
    }

    public static void assertWellFormedHead(HttpResponse r) {
        assertThat(r.version()).isEqualTo("HTTP/1.1");
        String head = r.head();
        assertThat(head).endsWith("\r\n\r\n");
        assertThat(head.replace("\r\n", ""))
                .as("every line ends with CRLF")
                .doesNotContain("\n")
                .doesNotContain("\r");
        assertThat(head.split("\r\n")[0]).matches("HTTP/1\\.1 \\d{3} [A-Za-z -]+");
        assertThat(r.header("Date")).matches(IMF_FIXDATE);
        assertThat(r.header("Server")).isNotBlank();
    }

    /** Descriptors this JVM holds open now (Linux). */
    public static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot count /proc/self/fd (Linux only)", e);
        }
    }

    /** Open descriptors once they are back to {@code before}, or after 15 s: a lingering close takes a moment. */
    public static long descriptorsBackTo(long before) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        long now = openDescriptors();
        while (now > before && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = openDescriptors();
        }
        return now;
    }

    /** Used heap after full collections, once it stops falling: what the server's objects still hold. */
    public static long liveHeap() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(
                    best,
                    java.lang.management.ManagementFactory.getMemoryMXBean()
                            .getHeapMemoryUsage()
                            .getUsed());
        }
        return best;
    }

    /** Waits until earlier tests' connections have finished closing (lingering closes take a moment). */
    public static long settledDescriptorCount() throws InterruptedException {
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

    /**
     * Sends {@code count} of the shortest requests (33 and 34 bytes) in one stream from another
     * thread and reads every answer, in order; then one more request. A full read buffer holds
     * hundreds of them, which is what makes a keep-alive loop written as recursion go deep. The
     * alternation of a 14-byte and an empty body proves the order.
     */
    public static void assertShortestPipeline(RawClient c, int count) throws InterruptedException {
        String pair = "GET /hello.txt HTTP/1.1\r\nHost:x\r\n\r\nGET /empty.txt HTTP/1.1\r\nHost:x\r\n\r\n";
        Thread writer = Thread.ofPlatform().name("pipeline-writer").start(() -> c.send(pair.repeat(count / 2)));
        for (int i = 0; i < count / 2 * 2; i++) {
            HttpResponse r = c.read();
            int expected = i % 2 == 0 ? Docroot.HELLO.length() : 0;
            if (r.status() != 200 || r.body().length != expected) {
                throw new AssertionError("response " + i + " of " + count + ": " + r);
            }
        }
        writer.join(10_000);
        assertThat(c.send(get("/dir/")).read().bodyText()).isEqualTo("<p>dir index\n");
    }
}
