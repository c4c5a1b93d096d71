package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Request-target decoding with exact results: every segment, the trailing slash, the raw path and the query. */
class RequestTargetTest {
    private static RequestTarget t(String target) {
        return RequestTarget.parse(target);
    }

    @Test
    void originForm() {
        assertThat(t("/")).isEqualTo(new RequestTarget("/", null, List.of(), true));
        assertThat(t("/a/b?x=1&y")).isEqualTo(new RequestTarget("/a/b", "x=1&y", List.of("a", "b"), false));
        assertThat(t("/a?")).isEqualTo(new RequestTarget("/a", "", List.of("a"), false));
        assertThat(t("/docs/?q=/../x")).isEqualTo(new RequestTarget("/docs/", "q=/../x", List.of("docs"), true));
        assertThat(t("//a//b/")).isEqualTo(new RequestTarget("//a//b/", null, List.of("a", "b"), true));
    }

    @Test
    void dotSegmentsResolveWithinTheRoot() {
        assertThat(t("/a/./b/../c/")).isEqualTo(new RequestTarget("/a/./b/../c/", null, List.of("a", "c"), true));
        assertThat(t("/a/..")).isEqualTo(new RequestTarget("/a/..", null, List.of(), true));
        assertThat(t("/a/.")).isEqualTo(new RequestTarget("/a/.", null, List.of("a"), true));
        assertThat(t("/a/..b").segments()).containsExactly("a", "..b");
        assertThat(t("/a/..b").trailingSlash()).isFalse();
        assertThat(t("/a/.b").segments()).containsExactly("a", ".b");
        assertThat(t("/..")).isNull();
        assertThat(t("/../a")).isNull();
        assertThat(t("/a/../../b")).isNull();
        assertThat(t("/%2e%2e/a")).isNull();
        assertThat(t("/a/%2E%2E")).isEqualTo(new RequestTarget("/a/%2E%2E", null, List.of(), true));
    }

    @Test
    void absoluteForm() {
        assertThat(t("http://example.com/a/b?q")).isEqualTo(new RequestTarget("/a/b", "q", List.of("a", "b"), false));
        assertThat(t("HTTPS://example.com/p")).isEqualTo(new RequestTarget("/p", null, List.of("p"), false));
        assertThat(t("https://h")).isEqualTo(new RequestTarget("/", null, List.of(), true));
        assertThat(t("http://h?x")).isEqualTo(new RequestTarget("/", "x", List.of(), true));
        assertThat(t("http://h?x/y")).isEqualTo(new RequestTarget("/", "x/y", List.of(), true));
        assertThat(t("http://h/a?x/y")).isEqualTo(new RequestTarget("/a", "x/y", List.of("a"), false));
        assertThat(t("ftp://h/a")).isNull();
        assertThat(t("*")).isNull();
        assertThat(t("example.com:80")).isNull();
        assertThat(t("a/b")).isNull();
    }

    @Test
    void aDirectorysLocationIsItsNormalisedPathReEncoded() {
        // Never "//": that would name another host (the open redirect a review found).
        assertThat(t("//evil.example/../docs").directoryLocation()).isEqualTo("/docs/");
        assertThat(t("/a/./b/../c?x=1").directoryLocation()).isEqualTo("/a/c/?x=1");
        // What is not a path character goes back percent-encoded, in upper-case hex, byte by byte.
        assertThat(t("/a%20b").directoryLocation()).isEqualTo("/a%20b/");
        assertThat(t("/caf%C3%A9").directoryLocation()).isEqualTo("/caf%C3%A9/");
        assertThat(t("/%7e-ok").directoryLocation()).isEqualTo("/~-ok/");
    }

    @Test
    void percentDecoding() {
        assertThat(t("/a%20b").segments()).containsExactly("a b");
        assertThat(t("/%41%7e%7E%2d").segments()).containsExactly("A~~-");
        assertThat(t("/caf%C3%A9.txt").segments()).containsExactly("caf\u00e9.txt");
        assertThat(t("/%41").rawPath()).isEqualTo("/%41");
        assertThat(t("/x%41y").segments()).containsExactly("xAy");
        assertThat(t("/%30%31").segments()).containsExactly("01"); // a zero low digit
        assertThat(t("/a%09b").segments()).containsExactly("a\tb"); // a zero high digit
        for (String bad : List.of(
                "/%",
                "/%4",
                "/a%2",
                "/%zz",
                "/%g1",
                "/%1g",
                "/%-1",
                "/%00",
                "/%2F",
                "/%2f",
                "/%5C",
                "/%5c",
                "/%C0%AE",
                "/%FF",
                "/%C3",
                "/%ED%A0%80")) {
            assertThat(t(bad)).as(bad).isNull();
        }
    }

    @Test
    void onlyPathCharactersAreAllowedRaw() {
        assertThat(t("/AZaz09-._~!$&'()*+,;=:@").segments()).containsExactly("AZaz09-._~!$&'()*+,;=:@");
        for (String bad : List.of(
                "/a b", "/\"", "/<", "/>", "/\\", "/{", "/}", "/|", "/^", "/`", "/[", "/]", "/#", "/\u0000",
                "/\u00e9")) {
            assertThat(t(bad)).as(bad).isNull();
        }
    }
}
