package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of request-target decoding and the file lookup behind it, against a
 * temporary document root that has a secret file and a symlink to it just outside.
 *
 * <p>Invariants: decoding never throws; a decoded path is made of plain segments (no "", ".",
 * "..", '/', '\' or NUL) and resolves inside the root; the lookup answers with a status, never an
 * exception, and any file it would send is a regular file inside the root.
 */
class RequestTargetFuzzTest {
    private static Path base;
    private static Path root;
    private static StaticFiles files;

    @BeforeAll
    static void documentRoot() throws IOException {
        base = Files.createTempDirectory("fuzz-target");
        root = Files.createDirectories(base.resolve("www"));
        Files.writeString(base.resolve("secret.txt"), "outside the root\n");
        Files.writeString(root.resolve("index.html"), "<p>home</p>\n");
        Files.writeString(root.resolve("a b.txt"), "space\n");
        Files.writeString(root.resolve("caf\u00e9.txt"), "utf-8 name\n");
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("index.html"), "<p>docs</p>\n");
        Files.writeString(docs.resolve("guide.txt"), "guide\n");
        Files.createDirectories(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("escape"), base.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("up"), base);
        files = new StaticFiles(root);
    }

    @AfterAll
    static void removeRoot() throws IOException {
        try (var walk = Files.walk(base)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static final Set<Integer> LOOKUP_STATUSES = Set.of(200, 301, 400, 403, 404);

    @FuzzTest(maxDuration = "15s")
    void decode(byte[] input) throws IOException {
        // The parser has already refused CTLs, spaces and non-ASCII in the target; what reaches
        // RequestTarget is printable ASCII, so map the fuzzer's bytes there (and keep the rest
        // too: decoding must not depend on that check).
        String target = new String(input, StandardCharsets.ISO_8859_1);

        RequestTarget t = RequestTarget.parse(target);
        if (t != null) {
            for (String s : t.segments()) {
                assertThat(s).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..").doesNotContain("/", "\\", "\u0000");
            }
            Path resolved = root.resolve(String.join("/", t.segments())).normalize();
            assertThat(resolved.startsWith(root))
                    .as("%s resolves to %s", target, resolved)
                    .isTrue();
            assertThat(t.rawPath()).startsWith("/");
        }

        Request req = Requests.of("GET", target, Map.of("host", "fuzz"));
        Response r = files.handle(req, ForTests.fileCache(files, 16, 16, Duration.ZERO, Duration.ZERO, Guard.NONE));
        assertThat(LOOKUP_STATUSES).as("status for %s", target).contains(r.status);
        if (r.file != null) {
            assertThat(r.status).isEqualTo(200);
            assertThat(r.file.file.toRealPath().startsWith(root))
                    .as("%s serves %s", target, r.file.file)
                    .isTrue();
            assertThat(Files.isRegularFile(r.file.file)).isTrue();
        }
        if (t == null) {
            assertThat(r.status).isEqualTo(400);
        }
    }
}
