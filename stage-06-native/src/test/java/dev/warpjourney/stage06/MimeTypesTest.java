package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Content-Type by extension: the whole table, case, and names without a usable extension. */
class MimeTypesTest {
    @Test
    void everyKnownExtension() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("a.html", "text/html; charset=utf-8"),
                Map.entry("a.htm", "text/html; charset=utf-8"),
                Map.entry("a.css", "text/css; charset=utf-8"),
                Map.entry("a.js", "text/javascript; charset=utf-8"),
                Map.entry("a.mjs", "text/javascript; charset=utf-8"),
                Map.entry("a.json", "application/json"),
                Map.entry("a.txt", "text/plain; charset=utf-8"),
                Map.entry("a.xml", "application/xml"),
                Map.entry("a.svg", "image/svg+xml"),
                Map.entry("a.png", "image/png"),
                Map.entry("a.jpg", "image/jpeg"),
                Map.entry("a.jpeg", "image/jpeg"),
                Map.entry("a.gif", "image/gif"),
                Map.entry("a.webp", "image/webp"),
                Map.entry("a.ico", "image/vnd.microsoft.icon"),
                Map.entry("a.woff", "font/woff"),
                Map.entry("a.woff2", "font/woff2"),
                Map.entry("a.pdf", "application/pdf"),
                Map.entry("a.wasm", "application/wasm"),
                Map.entry("a.mp4", "video/mp4"));
        expected.forEach((name, type) -> assertThat(MimeTypes.of(name)).as(name).isEqualTo(type));
    }

    @Test
    void lastExtensionCaseInsensitively() {
        assertThat(MimeTypes.of("INDEX.HTML")).isEqualTo("text/html; charset=utf-8");
        assertThat(MimeTypes.of("a.b.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(MimeTypes.of("a.css.gz")).isEqualTo(MimeTypes.DEFAULT);
        assertThat(MimeTypes.of(".html")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void noUsableExtensionIsOpaqueBytes() {
        assertThat(MimeTypes.DEFAULT).isEqualTo("application/octet-stream");
        assertThat(MimeTypes.of("html")).isEqualTo("application/octet-stream");
        assertThat(MimeTypes.of("README")).isEqualTo("application/octet-stream");
        assertThat(MimeTypes.of("a.")).isEqualTo("application/octet-stream");
        assertThat(MimeTypes.of("a.exe")).isEqualTo("application/octet-stream");
        assertThat(MimeTypes.of("")).isEqualTo("application/octet-stream");
    }
}
