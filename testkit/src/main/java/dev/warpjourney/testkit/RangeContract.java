package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Range requests (RFC 9110 §14). */
public interface RangeContract extends ContractFixture {

    private void assertRange(String range, int first, int last) {
        HttpResponse r = fetch("/data.bin", "Range: " + range);
        assertThat(r.status()).as(range).isEqualTo(206);
        assertThat(r.head()).startsWith("HTTP/1.1 206 Partial Content\r\n");
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + Docroot.DATA_SIZE);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(last - first + 1));
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(Docroot.data(), first, last + 1));
    }

    @Test
    default void rangeForms() {
        assertRange("bytes=0-0", 0, 0);
        assertRange("bytes=100-199", 100, 199);
        assertRange("bytes=9000-", 9000, 9999);
        assertRange("bytes=-10", 9990, 9999);
        assertRange("bytes=9990-20000", 9990, 9999);
        assertRange("bytes=-20000", 0, 9999);
        assertRange("BYTES=5-6", 5, 6);
    }

    @Test
    default void unsatisfiableRangeGives416WithTheLength() {
        for (String range : List.of("bytes=10000-", "bytes=20000-30000", "bytes=-0")) {
            HttpResponse r = fetch("/data.bin", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(416);
            assertThat(r.header("Content-Range")).isEqualTo("bytes */" + Docroot.DATA_SIZE);
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        }
    }

    @Test
    default void unknownUnitMalformedAndMultipleRangesServeTheWholeFile() {
        for (String range : List.of("items=0-1", "bytes=abc", "bytes=5-2", "bytes=1-2-3", "bytes=0-1,5-9", "bytes=")) {
            HttpResponse r = fetch("/data.bin", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Docroot.data());
            assertThat(r.header("Content-Range")).isNull();
        }
    }

    @Test
    default void ifRangeIsHonoured() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: " + etag).status())
                .isEqualTo(206);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: \"stale\"").status())
                .isEqualTo(200);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: W/" + etag).status())
                .isEqualTo(200);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: " + imf(Docroot.MTIME))
                        .status())
                .isEqualTo(206);
        assertThat(fetch("/data.bin", "Range: bytes=0-9", "If-Range: " + imf(Docroot.MTIME.minusSeconds(1)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    default void headWithRangeGives200() {
        HttpResponse r = exchange(request("HEAD", "/data.bin", "Range: bytes=0-9"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(Docroot.DATA_SIZE));
    }

    @Test
    @DisplayName("a range with a bound that is not all digits is ignored: the whole file")
    default void nonDigitRangeBoundsServeTheWholeFile() {
        for (String range : List.of(
                "bytes=1a-5",
                "bytes=0-x",
                "bytes=-x",
                "bytes=+1-2",
                "bytes=1-+2",
                "bytes=-+2",
                "bytes=0x1-2",
                "bytes=1.0-2",
                "bytes=1 -2",
                "bytes=--2",
                "bytes=a-",
                "bytes=1-2a",
                "bytes=\u0661-2",
                "bytes=-99999999999999999999x")) {
            HttpResponse r = fetch("/data.bin", "Range: " + range);
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.body()).as(range).isEqualTo(Docroot.data());
            assertThat(r.header("Content-Range")).as(range).isNull();
        }
    }
}
