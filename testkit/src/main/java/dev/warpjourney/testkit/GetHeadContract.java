package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET and HEAD of files: exact bytes, the required fields, media types, names. */
public interface GetHeadContract extends ContractFixture {

    @Test
    @DisplayName("GET serves the exact bytes with every required header")
    default void getServesExactBytesAndHeaders() {
        HttpResponse r = fetch("/hello.txt");
        assertWellFormedHead(r);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.head()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(r.body()).isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
        assertThat(r.header("Content-Length")).isEqualTo("14");
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.header("Last-Modified")).isEqualTo(imf(Docroot.MTIME));
        assertThat(r.header("ETag")).matches(STRONG_ETAG);
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("Connection"))
                .as("HTTP/1.1 keeps the connection without saying so")
                .isNull();
    }

    @Test
    @DisplayName("HEAD sends the same fields as GET and no body")
    default void headSameFieldsNoBody() {
        try (RawClient c = client()) {
            HttpResponse head = c.send(request("HEAD", "/data.bin")).readHead();
            // If HEAD had sent a body, its bytes would now be read as the next status line.
            HttpResponse get = c.send(get("/data.bin")).read();
            assertThat(head.status()).isEqualTo(200);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(Docroot.data());
            for (String name :
                    List.of("Content-Length", "Content-Type", "Last-Modified", "ETag", "Accept-Ranges", "Server")) {
                assertThat(head.header(name)).as(name).isEqualTo(get.header(name));
            }
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(Docroot.DATA_SIZE));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "a.html, text/html",
        "a.HTML, text/html",
        "a.css, text/css",
        "a.js, text/javascript",
        "a.mjs, text/javascript",
        "a.json, application/json",
        "a.txt, text/plain",
        "a.xml, application/xml",
        "a.svg, image/svg+xml",
        "a.png, image/png",
        "a.jpg, image/jpeg",
        "a.jpeg, image/jpeg",
        "a.gif, image/gif",
        "a.webp, image/webp",
        "a.ico, image/vnd.microsoft.icon",
        "a.woff, font/woff",
        "a.woff2, font/woff2",
        "a.pdf, application/pdf",
        "a.wasm, application/wasm",
        "a.mp4, video/mp4",
        "a.unknownext, application/octet-stream",
        "noextension, application/octet-stream"
    })
    default void contentTypeFromExtension(String file, String type) {
        HttpResponse r = fetch("/types/" + file);
        assertThat(r.status()).isEqualTo(200);
        String actual = r.header("Content-Type");
        assertThat(actual.split(";")[0].trim()).isEqualTo(type);
        if (type.startsWith("text/")) {
            assertThat(actual.replace(" ", "").toLowerCase(Locale.ROOT)).endsWith(";charset=utf-8");
        }
    }

    @Test
    default void rootServesIndexHtml() throws IOException {
        HttpResponse r = fetch("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Files.readAllBytes(root().resolve("index.html")));
        assertThat(r.header("Content-Type")).startsWith("text/html");
    }

    @Test
    default void emptyFileHasZeroLength() {
        HttpResponse r = fetch("/empty.txt");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo("0");
        assertThat(r.body()).isEmpty();
    }

    @Test
    default void percentEncodedNamesAreDecoded() {
        assertThat(fetch("/space%20name.txt").bodyText()).isEqualTo("space");
        assertThat(fetch("/caf%C3%A9.txt").bodyText()).isEqualTo("utf-8 name");
        assertThat(fetch("/%68ello.txt").bodyText()).isEqualTo(Docroot.HELLO);
    }

    @Test
    @DisplayName("percent-decoding happens exactly once")
    default void decodedExactlyOnce() {
        assertThat(fetch("/100%2525.txt").bodyText()).isEqualTo("decoded once");
        assertThat(fetch("/100%25.txt").status()).isEqualTo(404);
    }

    @Test
    default void queryStringIsIgnoredForTheLookup() {
        HttpResponse r = fetch("/hello.txt?v=1&path=../../secret.txt");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(Docroot.HELLO);
    }
}
