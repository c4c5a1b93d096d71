package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conditional requests (RFC 9110 §13): entity tags and dates. */
public interface ConditionalContract extends ContractFixture {

    @Test
    default void ifNoneMatchWithTheCurrentEtagGives304WithoutBody() {
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
    default void ifNoneMatchUsesWeakComparisonListsAndStar() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "If-None-Match: W/" + etag).status()).isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: \"other\", " + etag).status())
                .isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: *").status()).isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: \"other\"").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Tue, 05 Mar 2024 07:08:09 GMT", "Tuesday, 05-Mar-24 07:08:09 GMT", "Tue Mar  5 07:08:09 2024"})
    @DisplayName("If-Modified-Since in all three HTTP-date formats")
    default void ifModifiedSinceAllFormats(String date) {
        assertThat(fetch("/data.bin", "If-Modified-Since: " + date).status()).isEqualTo(304);
    }

    @Test
    default void ifModifiedSinceBeforeTheFileOrInvalidServesTheFile() {
        assertThat(fetch("/data.bin", "If-Modified-Since: Tue, 05 Mar 2024 07:08:08 GMT")
                        .status())
                .isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Modified-Since: yesterday").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Modified-Since: Tue, 32 Mar 2024 07:08:09 GMT")
                        .status())
                .isEqualTo(200);
    }

    @Test
    default void ifModifiedSinceIsIgnoredWhenIfNoneMatchIsPresent() {
        HttpResponse r = fetch("/data.bin", "If-None-Match: \"other\"", "If-Modified-Since: " + imf(Instant.now()));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    default void ifMatchUsesStrongComparison() {
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
    default void ifUnmodifiedSince() {
        assertThat(fetch("/data.bin", "If-Unmodified-Since: Tue, 05 Mar 2024 07:08:08 GMT")
                        .status())
                .isEqualTo(412);
        assertThat(fetch("/data.bin", "If-Unmodified-Since: Tue, 05 Mar 2024 07:08:09 GMT")
                        .status())
                .isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Unmodified-Since: not a date").status())
                .isEqualTo(200);
        // If-Match present: If-Unmodified-Since is not evaluated (RFC 9110 §13.2.2 step 2).
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "If-Match: " + etag, "If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT")
                        .status())
                .isEqualTo(200);
    }

    @Test
    default void preconditionFailureComesBeforeNotModified() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "If-Match: \"other\"", "If-None-Match: " + etag)
                        .status())
                .isEqualTo(412);
    }

    /**
     * The first of every month of 2024, at a time whose fields all differ: every month name and
     * every weekday (Monday: 1 January, 1 April, 1 July) appears in all three HTTP-date formats.
     */
    @ParameterizedTest(name = "2024-{0}-01")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    @DisplayName("Last-Modified and If-Modified-Since on every month and weekday, in all three date formats")
    default void datesOnEveryMonthAndWeekday(int month) throws IOException {
        Instant mtime =
                Instant.parse(String.format("2024-%02d-01T%02d:%02d:%02dZ", month, month + 3, month * 4, month + 40));
        Path file = root().resolve("dates/" + month + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "dated " + month);
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        String target = "/dates/" + month + ".txt";
        assertThat(fetch(target).header("Last-Modified")).isEqualTo(imf(mtime));
        for (Instant t : List.of(mtime, mtime.plusSeconds(1), mtime.plusSeconds(86_400 * 40))) {
            for (String date : List.of(imf(t), rfc850(t), asctime(t))) {
                assertThat(fetch(target, "If-Modified-Since: " + date).status())
                        .as(date)
                        .isEqualTo(304);
            }
        }
        for (Instant t : List.of(mtime.minusSeconds(1), mtime.minusSeconds(86_400 * 40))) {
            for (String date : List.of(imf(t), rfc850(t), asctime(t))) {
                HttpResponse r = fetch(target, "If-Modified-Since: " + date);
                assertThat(r.status()).as(date).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("dated " + month);
            }
        }
        assertThat(fetch(target, "If-Unmodified-Since: " + rfc850(mtime)).status())
                .isEqualTo(200);
        assertThat(fetch(target, "If-Unmodified-Since: " + asctime(mtime.minusSeconds(1)))
                        .status())
                .isEqualTo(412);
    }

    /** The obsolete RFC 850 form: {@code Monday, 01-Jan-24 13:14:15 GMT}. */
    private static String rfc850(Instant t) {
        return DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC)
                .format(t);
    }

    /** C's asctime() form: {@code Mon Jan  1 13:14:15 2024} (the day padded with a space). */
    private static String asctime(Instant t) {
        return DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
                .withZone(ZoneOffset.UTC)
                .format(t);
    }

    @Test
    @DisplayName("a date in a known format but with a wrong month name, field value or zone is no date")
    default void invalidDatesAreIgnored() {
        // (A day name that does not fit the date is left alone: RFC 9110 does not ask recipients to check it.)
        for (String date : List.of(
                "Tue, 05 Mzr 2024 07:08:09 GMT",
                "Tue, 05 Mar 2024 24:08:09 GMT",
                "Tue, 05 Mar 2024 07:60:09 GMT",
                "Tue, 05 Mar 2024 07:08:09 UTC",
                "Tue, 5 Mar 2024 07:08:09 GMT",
                "Tuesday, 05-Mar-2024 07:08:09 GMT",
                "Tue Mar 05 07:08:09 2024 GMT")) {
            assertThat(fetch("/data.bin", "If-Modified-Since: " + date).status())
                    .as(date)
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("an entity-tag list we cannot parse matches nothing")
    default void malformedEntityTagListsMatchNothing() {
        String etag = etagOf("/data.bin");
        String bare = etag.substring(1, etag.length() - 1);
        for (String list : List.of(
                bare,
                "W/" + bare,
                "\"other\", junk, " + etag,
                "W/junk, " + etag,
                "\"" + bare,
                "\"unterminated, " + etag,
                "W/ " + etag + "x")) {
            assertThat(fetch("/data.bin", "If-None-Match: " + list).status())
                    .as("If-None-Match: " + list)
                    .isEqualTo(200);
            assertThat(fetch("/data.bin", "If-Match: " + list).status())
                    .as("If-Match: " + list)
                    .isEqualTo(412);
        }
        // and the well-formed neighbours of those lists do match
        assertThat(fetch("/data.bin", "If-None-Match: \"other\",, " + etag).status())
                .isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: ," + etag + ",").status()).isEqualTo(304);
        assertThat(fetch("/data.bin", "If-Match: \"other\" ,\t" + etag).status())
                .isEqualTo(200);
    }
}
