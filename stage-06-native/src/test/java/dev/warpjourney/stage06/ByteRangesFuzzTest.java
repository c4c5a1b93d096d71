package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the Range header against a file size.
 *
 * <p>An input is the file size in decimal, a newline, and the header value, so that the seed
 * corpus stays readable ("1000\nbytes=0-99"); a size that is not a number of at most 19 digits
 * stands for an empty file.
 *
 * <p>Invariants: parsing never throws; it answers null (serve the whole file), UNSATISFIABLE, or a
 * span 0 &lt;= first &lt;= last &lt; size; a span is only returned for a header that names bytes;
 * and a satisfiable span never comes back for an empty file.
 */
class ByteRangesFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int newline = text.indexOf('\n');
        long size = newline < 0 ? 0 : size(text.substring(0, newline));
        String header = text.substring(newline + 1);

        long[] span = ByteRanges.parse(header, size);
        if (span == null || span == ByteRanges.UNSATISFIABLE) {
            return;
        }
        assertThat(span).hasSize(2);
        assertThat(span[0]).as("first of %s for %d", header, size).isNotNegative();
        assertThat(span[1]).as("last of %s for %d", header, size).isBetween(span[0], size - 1);
        assertThat(header.trim().substring(0, 6)).isEqualToIgnoringCase("bytes=");
        // The Content-Range the server builds from it must fit: length = last - first + 1 > 0.
        assertThat(span[1] - span[0] + 1).isPositive();
    }

    private static long size(String digits) {
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }
}
