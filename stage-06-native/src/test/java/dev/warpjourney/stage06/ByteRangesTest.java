package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Range header against a file size: the exact span, 416, or null (serve the whole file). */
class ByteRangesTest {
    private static long[] r(String header, long size) {
        return ByteRanges.parse(header, size);
    }

    @Test
    void firstLast() {
        assertThat(r("bytes=0-99", 1000)).containsExactly(0, 99);
        assertThat(r("bytes=5-5", 1000)).containsExactly(5, 5);
        assertThat(r("bytes=0-5000", 1000)).containsExactly(0, 999);
        assertThat(r("bytes=0-999", 1000)).containsExactly(0, 999);
        assertThat(r("bytes=998-999", 1000)).containsExactly(998, 999);
        assertThat(r(" BYTES= 2-3 ", 10)).containsExactly(2, 3);
        assertThat(r("Bytes=0-0", 1)).containsExactly(0, 0);
    }

    @Test
    void openEnded() {
        assertThat(r("bytes=900-", 1000)).containsExactly(900, 999);
        assertThat(r("bytes=999-", 1000)).containsExactly(999, 999);
        assertThat(r("bytes=0-", 1)).containsExactly(0, 0);
        assertThat(r("bytes=1000-", 1000)).isSameAs(ByteRanges.UNSATISFIABLE);
        assertThat(r("bytes=1001-2000", 1000)).isSameAs(ByteRanges.UNSATISFIABLE);
        assertThat(r("bytes=0-", 0)).isSameAs(ByteRanges.UNSATISFIABLE);
    }

    @Test
    void suffix() {
        assertThat(r("bytes=-100", 1000)).containsExactly(900, 999);
        assertThat(r("bytes=-1", 1000)).containsExactly(999, 999);
        assertThat(r("bytes=-1000", 1000)).containsExactly(0, 999);
        assertThat(r("bytes=-999", 1000)).containsExactly(1, 999);
        assertThat(r("bytes=-2000", 1000)).containsExactly(0, 999);
        assertThat(r("bytes=-0", 1000)).isSameAs(ByteRanges.UNSATISFIABLE);
        assertThat(r("bytes=-5", 0)).isSameAs(ByteRanges.UNSATISFIABLE);
        assertThat(r("bytes=-99999999999999999999", 1000)).containsExactly(0, 999);
    }

    @Test
    void hugeNumbersSaturate() {
        assertThat(r("bytes=0-99999999999999999999", 1000)).containsExactly(0, 999);
        assertThat(r("bytes=0-999999999999999999", 1000)).containsExactly(0, 999);
        assertThat(r("bytes=99999999999999999999-", 1000)).isSameAs(ByteRanges.UNSATISFIABLE);
        assertThat(r("bytes=0-9999999999999999999x", 1000)).isNull();
        assertThat(r("bytes=999999999999999998-", Long.MAX_VALUE))
                .containsExactly(999_999_999_999_999_998L, Long.MAX_VALUE - 1);
    }

    @Test
    void ignoredAsMalformedOrUnsupported() {
        for (String h : List.of(
                "",
                "bytes",
                "bytes=",
                "byte=0-1",
                "items=0-1",
                "bytes 0-1",
                "bytes=5",
                "bytes=5-2",
                "bytes=0-1,2-3",
                "bytes=0-1,",
                "bytes=x-5",
                "bytes=5-x",
                "bytes=-x",
                "bytes=--1",
                "bytes=1--2",
                "bytes=/-1",
                "bytes=:-1",
                "bytes=0-/",
                "bytes=0-:",
                "bytes=-/",
                "bytes=-:",
                "bytes=+1-2",
                "bytes=1 -2")) {
            assertThat(r(h, 1000)).as(h).isNull();
        }
    }
}
