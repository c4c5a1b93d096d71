package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Directories, their index files, missing files. */
public interface DirectoryContract extends ContractFixture {

    @Test
    default void directoryWithSlashServesItsIndex() {
        HttpResponse r = fetch("/dir/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("<p>dir index\n");
        assertThat(r.header("Content-Type")).startsWith("text/html");
    }

    @Test
    default void directoryWithoutSlashRedirects() {
        HttpResponse r = fetch("/dir");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/dir/");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(fetch("/dir?x=1").header("Location")).isEqualTo("/dir/?x=1");
    }

    @Test
    default void directoryWithoutIndexIs404NotAListing() {
        HttpResponse r = fetch("/dir/sub/");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).doesNotContain("file.txt");
    }

    @Test
    default void fileWithTrailingSlashIs404() {
        assertThat(fetch("/hello.txt/").status()).isEqualTo(404);
    }

    @Test
    default void missingFileIs404AndTheConnectionStays() {
        try (RawClient c = client()) {
            HttpResponse r = c.send(get("/no/such/file.txt")).read();
            assertWellFormedHead(r);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
            assertThat(r.body()).isNotEmpty();
            assertThat(c.send(get("/hello.txt")).read().status()).isEqualTo(200);
        }
    }

    @Test
    default void aRedirectPointsAtTheNormalisedPathNeverAnotherHost() {
        // "//host/..." in a Location is a network-path reference: a browser would go to that host.
        HttpResponse r = fetch("//evil.example/../dir");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/dir/");
        assertThat(fetch("//dir").header("Location")).isEqualTo("/dir/");
        assertThat(fetch("/./dir?a=1").header("Location")).isEqualTo("/dir/?a=1");
        assertThat(fetch("/%64ir").header("Location"))
                .as("re-encoded from the decoded path")
                .isEqualTo("/dir/");
    }
}
