package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTTP-date parsing, field by field: every day and month name, every separator position, and
 * the RFC 850 two-digit year rule around its 50-year pivot.
 */
class HttpDateParseTest {
    private static long epoch(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }

    private static final String IMF = "Mon, 03 Jan 2000 01:02:03 GMT";
    private static final String RFC850 = "Monday, 03-Jan-00 01:02:03 GMT";
    private static final String ASCTIME = "Mon Jan  3 01:02:03 2000";

    @Test
    void everyFormatOnAMondayInJanuary() {
        long expected = epoch("2000-01-03T01:02:03Z");
        assertThat(HttpDate.parse(IMF)).isEqualTo(expected);
        assertThat(HttpDate.parse(RFC850)).isEqualTo(expected);
        assertThat(HttpDate.parse(ASCTIME)).isEqualTo(expected);
        assertThat(HttpDate.parse(" \t" + IMF + " ")).isEqualTo(expected);
        assertThat(HttpDate.parse("Mon Jan 03 01:02:03 2000")).isEqualTo(expected);
        assertThat(HttpDate.parse("Sun Dec 31 23:59:59 1999")).isEqualTo(epoch("1999-12-31T23:59:59Z"));
    }

    @Test
    void everyDayAndMonthName() {
        String[] days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        String[] longDays = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        for (int m = 0; m < 12; m++) {
            String iso = "2001-%02d-09T10:11:12Z".formatted(m + 1);
            String d = days[m % 7]; // the day name is not checked against the date
            assertThat(HttpDate.parse(d + ", 09 " + months[m] + " 2001 10:11:12 GMT"))
                    .as(iso)
                    .isEqualTo(epoch(iso));
            assertThat(HttpDate.parse(longDays[m % 7] + ", 09-" + months[m] + "-01 10:11:12 GMT"))
                    .as(iso)
                    .isEqualTo(epoch(iso));
            assertThat(HttpDate.parse(d + " " + months[m] + "  9 10:11:12 2001"))
                    .as(iso)
                    .isEqualTo(epoch(iso));
        }
    }

    @Test
    void twoDigitYearsPivotFiftyYearsAhead() {
        int thisYear = LocalDateTime.now(ZoneOffset.UTC).getYear();
        int pivot = thisYear + 50; // still this century's reading
        String yy = "%02d".formatted(pivot % 100);
        String yyNext = "%02d".formatted((pivot + 1) % 100);
        assertThat(HttpDate.parse("Sunday, 06-Nov-" + yy + " 08:49:37 GMT"))
                .isEqualTo(epoch(pivot + "-11-06T08:49:37Z"));
        assertThat(HttpDate.parse("Sunday, 06-Nov-" + yyNext + " 08:49:37 GMT"))
                .isEqualTo(epoch((pivot + 1 - 100) + "-11-06T08:49:37Z"));
        String now = "%02d".formatted(thisYear % 100);
        assertThat(HttpDate.parse("Sunday, 06-Nov-" + now + " 08:49:37 GMT"))
                .isEqualTo(epoch(thisYear + "-11-06T08:49:37Z"));
    }

    @Test
    void imfFixdateRefusesEveryMisplacedSeparator() {
        assertThat(HttpDate.parse(IMF)).isNotEqualTo(Long.MIN_VALUE);
        for (String bad : List.of(
                "Mon,_03 Jan 2000 01:02:03 GMT",
                "Mon, 03_Jan 2000 01:02:03 GMT",
                "Mon, 03 Jan_2000 01:02:03 GMT",
                "Mon, 03 Jan 2000_01:02:03 GMT",
                "Mon, 03 Jan 2000 01_02:03 GMT",
                "Mon, 03 Jan 2000 01:02_03 GMT",
                "Mon, 03 Jan 2000 01:02:03_GMT",
                "Mon, 03 Jan 2000 01:02:03 UTC",
                "Xyz, 03 Jan 2000 01:02:03 GMT",
                "Mon, 03 Jax 2000 01:02:03 GMT",
                "mon, 03 Jan 2000 01:02:03 GMT",
                "Mon, 03 jan 2000 01:02:03 GMT",
                "Mon, 0/ Jan 2000 01:02:03 GMT",
                "Mon, 0: Jan 2000 01:02:03 GMT",
                "Mon, 03 Jan 200/ 01:02:03 GMT",
                "Mon, 03 Jan 2000 0:02:03 GMTx",
                "Mon, 00 Jan 2000 01:02:03 GMT",
                "Mon, 03 Jan 2000 24:00:00 GMT",
                "Mon, 03 Jan 2000 01:60:03 GMT",
                "Mon, 03 Jan 2000 01:02:60 GMT",
                "Mon, 03 Jan 2000 01:02:03 GMT ,")) {
            assertThat(HttpDate.parse(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void rfc850RefusesEveryMisplacedSeparator() {
        for (String bad : List.of(
                "Mon, 03-Jan-00 01:02:03 GMT",
                "Monday,_03-Jan-00 01:02:03 GMT",
                "Monday, 03_Jan-00 01:02:03 GMT",
                "Monday, 03-Jan_00 01:02:03 GMT",
                "Monday, 03-Jan-00_01:02:03 GMT",
                "Monday, 03-Jan-00 01_02:03 GMT",
                "Monday, 03-Jan-00 01:02_03 GMT",
                "Monday, 03-Jan-00 01:02:03_GMT",
                "Monday, 03-Jan-00 01:02:03 GMX",
                "Monday, 03-Jan-00 01:02:03 GMT x",
                "Monday, 03-Jan-2000 01:02:03 GMT",
                "Monday, 3-Jan-00 01:02:03 GMT",
                "Monday, 03-Jab-00 01:02:03 GMT",
                "Monday, 03-Jan-0x 01:02:03 GMT",
                "Funday, 03-Jan-00 01:02:03 GMT",
                ", 03-Jan-00 01:02:03 GMT",
                "Monday, 32-Jan-00 01:02:03 GMT")) {
            assertThat(HttpDate.parse(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void asctimeRefusesEveryMisplacedSeparator() {
        for (String bad : List.of(
                "Mon_Jan  3 01:02:03 2000",
                "Mon Jan_ 3 01:02:03 2000",
                "Mon Jan  3_01:02:03 2000",
                "Mon Jan  3 01:02:03_2000",
                "Mon Jan  3 01_02:03 2000",
                "Mon Jan  3 01:02_03 2000",
                "Xyz Jan  3 01:02:03 2000",
                "Mon Jax  3 01:02:03 2000",
                "Mon Jan  x 01:02:03 2000",
                "Mon Jan x3 01:02:03 2000",
                "Mon Jan  3 01:02:03 20000",
                "Mon Jan  3 01:02:03 200",
                "Mon Jan  3 01:02:03 2/00",
                "Mon Jan  0 01:02:03 2000")) {
            assertThat(HttpDate.parse(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void formatsExactly() {
        assertThat(HttpDate.format(Instant.parse("2000-01-03T01:02:03Z"))).isEqualTo("Mon, 03 Jan 2000 01:02:03 GMT");
        assertThat(HttpDate.format(Instant.parse("1970-01-01T00:00:00Z"))).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
