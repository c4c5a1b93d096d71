package dev.warpjourney.stage06;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7): formats IMF-fixdate, parses all three historical formats.
 */
final class HttpDate {
    private HttpDate() {}

    // tag::formatter[]
    // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". DateTimeFormatter.RFC_1123_DATE_TIME
    // looks right but prints "Sun, 6 Nov 1994": RFC 1123 allows a one-digit day, HTTP does not.
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    /** Formats now, on every call: every response pays the formatter for every response. */
    static String now() {
        return IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
    // end::formatter[]

    static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    };

    /**
     * Parses an HTTP-date in any of its three formats. Returns epoch seconds, or {@code Long.MIN_VALUE}
     * when the text is not a valid date: RFC 9110 tells us to ignore an invalid date, not to reject the request.
     */
    static long parse(String text) {
        String s = text.trim();
        try {
            if (s.length() == 29 && s.charAt(3) == ',') {
                // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
                if (index(DAYS, s.substring(0, 3)) < 0
                        || s.charAt(4) != ' '
                        || s.charAt(7) != ' '
                        || s.charAt(11) != ' '
                        || s.charAt(16) != ' '
                        || !s.endsWith(" GMT")) {
                    return Long.MIN_VALUE;
                }
                return epoch(digits(s, 12, 4), month(s.substring(8, 11)), digits(s, 5, 2), s, 17);
            }
            int comma = s.indexOf(',');
            if (comma > 0) {
                // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
                if (index(LONG_DAYS, s.substring(0, comma)) < 0) {
                    return Long.MIN_VALUE;
                }
                String r = s.substring(comma + 1);
                if (r.length() != 23
                        || r.charAt(0) != ' '
                        || r.charAt(3) != '-'
                        || r.charAt(7) != '-'
                        || r.charAt(10) != ' '
                        || !r.endsWith(" GMT")) {
                    return Long.MIN_VALUE;
                }
                int yy = digits(r, 8, 2);
                // RFC 9110: a two-digit year more than 50 years in the future means the past century.
                int thisYear = LocalDateTime.now(ZoneOffset.UTC).getYear();
                int year = thisYear / 100 * 100 + yy;
                if (year > thisYear + 50) {
                    year -= 100;
                }
                return epoch(year, month(r.substring(4, 7)), digits(r, 1, 2), r, 11);
            }
            // asctime: Sun Nov  6 08:49:37 1994
            if (s.length() == 24
                    && index(DAYS, s.substring(0, 3)) >= 0
                    && s.charAt(3) == ' '
                    && s.charAt(7) == ' '
                    && s.charAt(10) == ' '
                    && s.charAt(19) == ' ') {
                String day = s.substring(8, 10);
                int d = day.charAt(0) == ' ' ? digits(day, 1, 1) : digits(day, 0, 2);
                return epoch(digits(s, 20, 4), month(s.substring(4, 7)), d, s, 11);
            }
        } catch (RuntimeException invalid) {
            return Long.MIN_VALUE;
        }
        return Long.MIN_VALUE;
    }

    private static long epoch(int year, int month, int day, String s, int timeAt) {
        if (month < 0 || s.charAt(timeAt + 2) != ':' || s.charAt(timeAt + 5) != ':') {
            return Long.MIN_VALUE;
        }
        LocalDateTime t = LocalDateTime.of(
                year, month + 1, day, digits(s, timeAt, 2), digits(s, timeAt + 3, 2), digits(s, timeAt + 6, 2));
        return t.toEpochSecond(ZoneOffset.UTC);
    }

    private static int month(String name) {
        return index(MONTHS, name);
    }

    private static int index(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
