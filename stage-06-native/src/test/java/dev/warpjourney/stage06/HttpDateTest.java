package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Unit checks for the parts the contract cannot reach directly. */
class HttpDateTest {
    @Test
    void formatsImfFixdateWithTwoDigitDay() {
        assertThat(HttpDate.format(Instant.parse("1994-11-06T08:49:37Z"))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.now()).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    }

    @Test
    void theDateCacheGivesTheSameBytesWithinASecondAndTheFormattersText() {
        DateCache dates = new DateCache(Config.Dates.ONCE_A_SECOND);
        byte[] first = dates.now();
        byte[] again = dates.now();
        // Within one second the same array comes back (a test that straddles a second sees two, both valid).
        assertThat(again == first || !java.util.Arrays.equals(again, first)).isTrue();
        assertThat(new String(again, java.nio.charset.StandardCharsets.US_ASCII))
                .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        String text = new String(dates.now(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(HttpDate.parse(text)).isBetween(second, second + 1);
    }

    @Test
    void switchedOffTheDateCacheFormatsForEachResponse() {
        DateCache dates = new DateCache(Config.Dates.PER_REQUEST);
        byte[] first = dates.now();
        byte[] again = dates.now();
        assertThat(again).as("a new array for each response").isNotSameAs(first);
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        assertThat(HttpDate.parse(new String(again, java.nio.charset.StandardCharsets.US_ASCII)))
                .isBetween(second - 1, second);
    }

    @Test
    void parsesTheThreeFormats() {
        long expected = Instant.parse("1994-11-06T08:49:37Z").getEpochSecond();
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(expected);
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(expected);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(expected);
    }

    @Test
    void rejectsInvalidDates() {
        for (String bad : new String[] {
            "",
            "yesterday",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Foo, 06 Nov 1994 08:49:37 GMT"
        }) {
            assertThat(HttpDate.parse(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void benchmarkInputsParse() throws HttpException {
        // The JMH inputs must stay valid requests, or the benchmark would measure the error path.
        assertThat(new HotPathBenchmark().parseWrkRequest().target()).isEqualTo("/index.html");
        Request browser = new HotPathBenchmark().parseBrowserRequest();
        assertThat(browser.target()).isEqualTo("/assets/app.js?v=42");
        assertThat(browser.header(Request.IF_NONE_MATCH)).isEqualTo("\"2a7-18e0f4c3a10\"");
        assertThat(browser.keepAlive).isTrue();
        java.nio.ByteBuffer head = new HotPathBenchmark().composeResponseHead().flip();
        byte[] bytes = new byte[head.remaining()];
        head.get(bytes);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Length: 151\r\n")
                .endsWith("\r\n\r\n");
    }
}
