package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Entity-tag lists: weak and strong comparison, list syntax, and lists we refuse to guess at. */
class ETagsTest {
    private static final String TAG = "\"5-b690b43563\"";

    @Test
    void star() {
        assertThat(ETags.matches("*", TAG, false)).isTrue();
        assertThat(ETags.matches(" *\t", TAG, true)).isTrue();
        assertThat(ETags.matches("**", TAG, true)).isFalse();
    }

    @Test
    void strongAndWeakComparison() {
        assertThat(ETags.matches(TAG, TAG, false)).isTrue();
        assertThat(ETags.matches(TAG, TAG, true)).isTrue();
        assertThat(ETags.matches("W/" + TAG, TAG, true)).isTrue();
        assertThat(ETags.matches("W/" + TAG, TAG, false)).isFalse();
        assertThat(ETags.matches("\"other\"", TAG, true)).isFalse();
        assertThat(ETags.matches("\"5-b690b43563", TAG, true)).isFalse();
        assertThat(ETags.matches("\"\"", TAG, true)).isFalse();
    }

    @Test
    void lists() {
        assertThat(ETags.matches("\"a\", " + TAG, TAG, false)).isTrue();
        assertThat(ETags.matches("\"a\",\t" + TAG + " ,\"b\"", TAG, false)).isTrue();
        assertThat(ETags.matches(",, " + TAG, TAG, false)).isTrue();
        assertThat(ETags.matches("\"a\",W/\"b\", W/" + TAG, TAG, true)).isTrue();
        assertThat(ETags.matches("W/\"a\", " + TAG, TAG, false)).isTrue();
        assertThat(ETags.matches("W/" + TAG + ", " + TAG, TAG, false)).isTrue();
        assertThat(ETags.matches("\"a\", \"b\"", TAG, true)).isFalse();
        assertThat(ETags.matches("", TAG, true)).isFalse();
        assertThat(ETags.matches(" , ", TAG, true)).isFalse();
    }

    @Test
    void malformedListsMatchNothing() {
        assertThat(ETags.matches("a, " + TAG, TAG, true)).isFalse();
        assertThat(ETags.matches("\"a\" junk " + TAG, TAG, true)).isFalse();
        assertThat(ETags.matches("\"a\", W/", TAG, true)).isFalse();
        assertThat(ETags.matches("\"a\", W", TAG, true)).isFalse();
        assertThat(ETags.matches("\"a\", \"unterminated", TAG, true)).isFalse();
        assertThat(ETags.matches("w/" + TAG, TAG, true)).isFalse();
        assertThat(ETags.matches("W/ " + TAG, TAG, true)).isFalse();
    }
}
