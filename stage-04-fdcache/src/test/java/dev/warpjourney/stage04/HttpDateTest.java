package dev.warpjourney.stage04;

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
        assertThat(new HotPathBenchmark().parseBrowserRequest().headers()).hasSize(12);
        assertThat(new String(
                        new HotPathBenchmark().composeResponseHead(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Length: 151\r\n")
                .endsWith("\r\n\r\n");
    }
}
