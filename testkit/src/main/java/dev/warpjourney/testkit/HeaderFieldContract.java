package dev.warpjourney.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The forms a valid Host and valid header fields may take (RFC 9110 §7.2, RFC 9112 §5): all served. */
public interface HeaderFieldContract extends ContractFixture {

    @ParameterizedTest(name = "[{index}] Host: {0}")
    @ValueSource(
            strings = {
                "localhost",
                "localhost:8080",
                "127.0.0.1",
                "127.0.0.1:80",
                "[::1]",
                "[::1]:8080",
                "[2001:db8::7]:443",
                "my-host.example",
                "a-b-c.example-d.org:8080",
                "xn--bcher-kva.example",
                "LOCALHOST"
            })
    @DisplayName("valid Host forms, with and without a port, are served")
    default void validHostFormsAreServed(String host) {
        try (RawClient c = client()) {
            HttpResponse r = c.send("GET /hello.txt HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                    .read();
            assertThat(r.status()).as(host + ": " + r).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Docroot.HELLO.getBytes(StandardCharsets.UTF_8));
            assertThat(c.send(Wire.get("/dir/")).read().bodyText())
                    .as("the connection stays usable")
                    .isEqualTo("<p>dir index\n");
        }
    }

    @ParameterizedTest(name = "[{index}] Host: {0}")
    @ValueSource(strings = {"[::1", "::1]:80", "[::1]x", "local host", "a@b", "a:80:90", "a:-1", "a:8o"})
    @DisplayName("an invalid Host: 400 and close")
    default void invalidHostIs400(String host) {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertErrorAndClose(c, 400);
        }
    }

    @Test
    @DisplayName("trailing and leading whitespace around field values is not part of the value")
    default void whitespaceAroundValuesIsIgnored() {
        String etag = etagOf("/data.bin");
        assertThat(exchange("GET /hello.txt HTTP/1.1\r\nHost: localhost   \r\n\r\n")
                        .status())
                .isEqualTo(200);
        assertThat(exchange("GET /hello.txt HTTP/1.1\r\nHost:\tlocalhost\t\r\n\r\n")
                        .status())
                .isEqualTo(200);
        assertThat(fetch("/hello.txt", "X-Trailing: value   ").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-None-Match: " + etag + "   ").status())
                .isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match:\t" + etag + " \t ").status())
                .isEqualTo(304);
        HttpResponse range = fetch("/data.bin", "Range:   bytes=0-9  ");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 0-9/" + Docroot.DATA_SIZE);
        assertThat(fetch("/data.bin", "If-Modified-Since: " + Wire.imf(Docroot.MTIME) + "  ")
                        .status())
                .isEqualTo(304);
        try (RawClient c = client()) {
            HttpResponse r =
                    c.send(Wire.get("/hello.txt", "Connection: close   ")).read();
            assertThat(r.closes())
                    .as("Connection: close with trailing spaces is still close")
                    .isTrue();
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    @Test
    @DisplayName("empty field values are valid and mean nothing")
    default void emptyValues() {
        assertThat(fetch("/hello.txt", "X-Empty:").status()).isEqualTo(200);
        assertThat(fetch("/hello.txt", "X-Empty: ").status()).isEqualTo(200);
        assertThat(fetch("/hello.txt", "X-Empty:   ").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-None-Match:").status()).isEqualTo(200);
        assertThat(fetch("/data.bin", "If-Modified-Since: ").status()).isEqualTo(200);
        HttpResponse range = fetch("/data.bin", "Range: ");
        assertThat(range.status()).isEqualTo(200);
        assertThat(range.body()).isEqualTo(Docroot.data());
        try (RawClient c = client()) { // an empty Connection is not close
            c.send(Wire.get("/hello.txt", "Connection:"));
            assertThat(c.read().closes()).isFalse();
            assertThat(c.send(Wire.get("/hello.txt")).read().status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("repeated fields other than Host are fine; a repeated list field is one combined list")
    default void repeatedFields() {
        String etag = etagOf("/data.bin");
        assertThat(fetch("/hello.txt", "X-Repeat: 1", "X-Repeat: 2", "X-Repeat: 3")
                        .status())
                .isEqualTo(200);
        assertThat(fetch("/hello.txt", "Accept: text/plain", "Accept: */*").status())
                .isEqualTo(200);
        assertThat(fetch("/hello.txt", "Cache-Control: no-cache", "Cache-Control: max-age=0")
                        .status())
                .isEqualTo(200);
        // RFC 9110 §5.3: If-None-Match: "other" and If-None-Match: <etag> is the list "other", <etag>.
        assertThat(fetch("/data.bin", "If-None-Match: \"other\"", "If-None-Match: " + etag)
                        .status())
                .isEqualTo(304);
        assertThat(fetch("/data.bin", "If-None-Match: " + etag, "If-None-Match: \"other\"")
                        .status())
                .isEqualTo(304);
        try (RawClient c = client()) { // Connection: keep-alive, then close: the close counts
            HttpResponse r = c.send(Wire.get("/hello.txt", "Connection: keep-alive", "Connection: close"))
                    .read();
            assertThat(r.closes()).isTrue();
            assertThat(c.readUntilClosed()).isEmpty();
        }
        try (RawClient c = client()) { // the combined list ", close," has an empty element at each end
            HttpResponse r = c.send(Wire.get("/hello.txt", "Connection:", "Connection: close,"))
                    .read();
            assertThat(r.closes()).as(r.toString()).isTrue();
            assertThat(r.bodyText()).isEqualTo(Docroot.HELLO);
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    @Test
    @DisplayName(
            "a repeated field is forgotten with its request: the next one on the connection is answered without it")
    default void aRepeatedFieldDoesNotOutliveItsRequest() {
        String etag = etagOf("/data.bin");
        try (RawClient c = client()) {
            c.send(Wire.get("/data.bin", "If-None-Match: \"other\"", "If-None-Match: " + etag) + Wire.get("/data.bin"));
            assertThat(c.read().status()).isEqualTo(304);
            HttpResponse second = c.read();
            assertThat(second.status()).as(second.toString()).isEqualTo(200);
            assertThat(second.body()).isEqualTo(Docroot.data());
        }
    }

    @Test
    @DisplayName("field names are case-insensitive: HOST, RANGE, IF-NONE-MATCH and CONNECTION in capitals are read")
    default void fieldNamesInCapitals() {
        String etag = etagOf("/data.bin");
        HttpResponse range = exchange("GET /data.bin HTTP/1.1\r\nHOST: localhost\r\nRANGE: bytes=0-9\r\n\r\n");
        assertThat(range.status()).as(range.toString()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 0-9/" + Docroot.DATA_SIZE);
        assertThat(range.body()).isEqualTo(Arrays.copyOf(Docroot.data(), 10));
        assertThat(exchange("GET /data.bin HTTP/1.1\r\nHOST: localhost\r\nIF-NONE-MATCH: " + etag + "\r\n\r\n")
                        .status())
                .isEqualTo(304);
        try (RawClient c = client()) {
            HttpResponse r = c.send("GET /hello.txt HTTP/1.1\r\nHOST: localhost\r\nCONNECTION: CLOSE\r\n\r\n")
                    .read();
            assertThat(r.closes()).isTrue();
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    @Test
    @DisplayName("a head of more field lines than the server reads is refused with 431, however small")
    default void tooManyFieldLinesAre431() {
        StringBuilder head = new StringBuilder("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < 150; i++) {
            head.append("Range: bytes=0-1\r\n"); // 2,040 of these once cost 6.9 ms each, joined String by String
        }
        try (RawClient c = client()) {
            HttpResponse r = c.send(head.append("\r\n").toString()).read();
            assertThat(r.status()).isEqualTo(431);
        }
        StringBuilder many = new StringBuilder("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < 90; i++) {
            many.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
        }
        try (RawClient c = client()) {
            assertThat(c.send(many.append("\r\n").toString()).read().status())
                    .as("90 fields are fine")
                    .isEqualTo(200);
        }
    }
}
