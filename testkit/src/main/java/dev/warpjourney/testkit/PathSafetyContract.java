package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Path safety: decoding, traversal, symlinks; nothing outside the document root is ever served. */
public interface PathSafetyContract extends ContractFixture {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "/../secret.txt",
                "/../../secret.txt",
                "/dir/../../secret.txt",
                "/./../secret.txt",
                "/%2e%2e/secret.txt",
                "/%2E%2E/secret.txt",
                "/.%2e/secret.txt",
                "/%2e%2e%2fsecret.txt",
                "/..%2fsecret.txt",
                "/..%5csecret.txt",
                "/..%5Csecret.txt",
                "/%c0%ae%c0%ae/secret.txt",
                "/%c0%2e%c0%2e/secret.txt",
                "/%e0%80%ae%e0%80%ae/secret.txt",
                "/%c0%af..%c0%afsecret.txt",
                "/%252e%252e/secret.txt",
                "/..\\secret.txt",
                "/link-outside.txt",
                "/dirlink-outside/secret.txt",
                "/hello.txt%00.html",
                "/%00",
                "/%",
                "/%2",
                "/%zz",
                "/a%2fb",
                "//../secret.txt",
                "/..;/secret.txt",
                "/%u002e%u002e/secret.txt"
            })
    @DisplayName("no path leaves the root, and a bad path never yields a 500")
    default void traversalIsImpossible(String target) {
        HttpResponse r = fetch(target);
        assertThat(r.status()).as(target).isIn(400, 404);
        assertThat(r.bodyText()).doesNotContain("TOP SECRET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hello.txt%00", "/%", "/abc%4", "/%g0", "/a%2Fb", "/a%5cb"})
    default void badPercentEncodingIs400(String target) {
        assertThat(fetch(target).status()).isEqualTo(400);
    }

    @Test
    default void symlinksAreFollowedOnlyInsideTheRoot() {
        assertThat(fetch("/link-inside.txt").bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(fetch("/dir/link-up.txt").bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(fetch("/link-outside.txt").status()).isEqualTo(404);
        assertThat(fetch("/dirlink-outside/secret.txt").status()).isEqualTo(404);
    }

    @Test
    default void dotSegmentsThatStayInsideTheRootAreResolved() {
        assertThat(fetch("/dir/../hello.txt").bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(fetch("/./hello.txt").bodyText()).isEqualTo(Docroot.HELLO);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "/a\"b",
                "/a<b",
                "/a>b",
                "/a\\b",
                "/a{b",
                "/a}b",
                "/a|b",
                "/a^b",
                "/a`b",
                "/\"",
                "/<",
                "/\\",
                "/{",
                "/|",
                "/hello.txt\"",
                "/dir/<script>",
                "/..\\secret.txt"
            })
    @DisplayName("a byte that RFC 3986 does not allow in a path, sent raw: strictly 400")
    default void rawDisallowedBytesInThePathAre400(String target) {
        try (RawClient c = client()) {
            HttpResponse r = c.send(get(target)).read();
            assertThat(r.status()).as(target + ": " + r).isEqualTo(400);
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        }
    }

    @Test
    @DisplayName("a FIFO in the root is never served, and never blocks the loop")
    default void fifoIsNeverServed() throws Exception {
        Path fifo = root().resolve("pipe.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).as("mkfifo").isZero();
        try {
            for (String req :
                    List.of(get("/pipe.fifo"), request("HEAD", "/pipe.fifo"), get("/pipe.fifo", "Range: bytes=0-1"))) {
                // Opening a FIFO for reading blocks until a writer comes: a loop that tried would hang here.
                try (RawClient c = client()) {
                    HttpResponse r = c.send(req).read(req.startsWith("HEAD"));
                    assertThat(r.status()).as(req).isEqualTo(404);
                    assertThat(c.send(get("/hello.txt")).read().bodyText()).isEqualTo(Docroot.HELLO);
                }
            }
            assertThat(fetch("/hello.txt").bodyText())
                    .as("the loop still answers")
                    .isEqualTo(Docroot.HELLO);
        } finally {
            Files.delete(fifo);
        }
    }

    @Test
    @DisplayName("a directory whose index.html links outside the root is not served")
    default void indexLinkingOutsideTheRootIsNotServed() throws IOException {
        Path dir = Files.createDirectories(root().resolve("evil-index"));
        Path index = Files.createSymbolicLink(dir.resolve("index.html"), base().resolve("secret.txt"));
        try {
            for (String target : List.of("/evil-index/", "/evil-index/index.html", "/evil-index/./")) {
                HttpResponse r = fetch(target);
                assertThat(r.status()).as(target).isEqualTo(404);
                assertThat(r.bodyText()).doesNotContain("TOP SECRET");
            }
            HttpResponse head = exchange(request("HEAD", "/evil-index/"));
            assertThat(head.status()).isEqualTo(404);
            assertThat(head.header("Content-Length")).isNotEqualTo(String.valueOf(Docroot.SECRET.length()));
        } finally {
            Files.delete(index);
            Files.delete(dir);
        }
    }

    @Test
    @DisplayName("a symlinked directory that leads outside the root is not served, not even its index")
    default void symlinkedDirectoryOutsideTheRoot() {
        for (String target : List.of(
                "/dirlink-outside/",
                "/dirlink-outside/index.html",
                "/dirlink-outside/secret.txt",
                "/dirlink-outside/./secret.txt",
                "/dir/../dirlink-outside/")) {
            HttpResponse r = fetch(target);
            assertThat(r.status()).as(target).isEqualTo(404);
            assertThat(r.bodyText()).doesNotContain("TOP SECRET");
        }
        HttpResponse noSlash = fetch("/dirlink-outside");
        assertThat(noSlash.status())
                .as("no redirect into a directory outside the root")
                .isEqualTo(404);
        assertThat(noSlash.header("Location")).isNull();
    }
}
