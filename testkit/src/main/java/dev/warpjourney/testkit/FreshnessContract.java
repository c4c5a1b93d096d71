package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Freshness: a stage may keep what it learned about a file (its real path, its attributes, an
 * open descriptor, a 404) for at most its {@link #freshnessWindow()}. Once the window has passed
 * since a change, the file is served as it now is; inside the window every response is still
 * whole and self-consistent, and nothing outside the root is ever served. Each test waits out
 * the window its stage declares, so the same tests hold a stage without a cache (zero) and one
 * with a cache.
 */
public interface FreshnessContract extends ContractFixture {

    /** Added to the window: the time a loop may take to get to the request, on a busy machine. */
    Duration FRESHNESS_MARGIN = Duration.ofMillis(300);
    /** Requests after the window, each on a connection of its own: with a cache per loop, they reach several loops. */
    int FRESH_PROBES = 8;
    /**
     * The slow reader's file: far more than the server can have sent ahead into the socket
     * buffers (about 4 MiB on Linux), so it still reads from its descriptor when that is retired.
     */
    int SLOW_FILE_SIZE = 16 << 20;
    /** What the slow reader takes before the file is replaced and fetched again: a MiB. */
    int SLOW_FIRST_PART = 1 << 20;
    /** The rest of the file takes at least this, or a window if longer. */
    Duration SLOW_LAST_PART = Duration.ofSeconds(1);

    int SLOW_STEP = 64 << 10;

    /** Sleeps until a change made just now must be seen by every request. */
    default void waitOutTheWindow() throws InterruptedException {
        Thread.sleep(freshnessWindow().plus(FRESHNESS_MARGIN));
    }

    @Test
    @DisplayName("a file changed in place is served as it now is after the window: body, ETag, Last-Modified, length")
    default void fileChangedInPlace() throws Exception {
        Path f = root().resolve("fresh-changed.txt");
        try {
            write(f, "one", Docroot.MTIME);
            HttpResponse first = fetch("/fresh-changed.txt");
            assertServes(first, "one", Docroot.MTIME);

            // The same file (same inode), a new size and mtime: a descriptor kept open reads the new
            // bytes anyway; the fields must follow too.
            write(f, "three", Docroot.MTIME.plusSeconds(60));
            waitOutTheWindow();
            HttpResponse second = fetch("/fresh-changed.txt");
            assertServes(second, "three", Docroot.MTIME.plusSeconds(60));
            assertThat(second.header("ETag")).isNotEqualTo(first.header("ETag"));

            // The same size again, only the mtime differs: a cache that compares sizes alone misses
            // it. Asked all through the window this time, so that no reaper drops the entry first.
            // (What those requests get is not checked: a file written in place, under a descriptor
            // kept open, can be read half-written with the old fields. Sites deploy by rename.)
            write(f, "seven", Docroot.MTIME.plusSeconds(120));
            askThroughTheWindow(System.nanoTime(), "/fresh-changed.txt");
            for (int i = 0; i < FRESH_PROBES; i++) {
                HttpResponse third = fetch("/fresh-changed.txt");
                assertServes(third, "seven", Docroot.MTIME.plusSeconds(120));
                assertThat(third.header("ETag")).isNotIn(first.header("ETag"), second.header("ETag"));
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    @DisplayName("a file replaced atomically: inside the window the old or the new one, whole; after it the new one")
    default void fileReplacedAtomically() throws Exception {
        Path f = root().resolve("fresh-replaced.txt");
        Path tmp = root().resolve("fresh-replaced.txt.tmp");
        String oldText = "the old version\n";
        // Longer than the old one: new bytes sent under the old Content-Length would come out cut.
        String newText = "the new version, which is longer than the old one\n";
        try {
            write(f, oldText, Docroot.MTIME);
            HttpResponse old = fetch("/fresh-replaced.txt");
            assertServes(old, oldText, Docroot.MTIME);

            write(tmp, newText, Docroot.MTIME.plusSeconds(60));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            List<HttpResponse> inside = askThroughTheWindow(System.nanoTime(), "/fresh-replaced.txt");

            HttpResponse fresh = fetch("/fresh-replaced.txt");
            assertServes(fresh, newText, Docroot.MTIME.plusSeconds(60));
            String newEtag = fresh.header("ETag");
            assertThat(newEtag).isNotEqualTo(old.header("ETag"));
            for (int i = 1; i < FRESH_PROBES; i++) {
                HttpResponse r = fetch("/fresh-replaced.txt");
                assertServes(r, newText, Docroot.MTIME.plusSeconds(60));
                assertThat(r.header("ETag")).isEqualTo(newEtag);
            }
            // Checked now that the new ETag is known: each one is either version, never a mix.
            for (HttpResponse r : inside) {
                boolean wasOld = Arrays.equals(r.body(), oldText.getBytes(StandardCharsets.UTF_8));
                assertServes(r, wasOld ? oldText : newText, wasOld ? Docroot.MTIME : Docroot.MTIME.plusSeconds(60));
                assertThat(r.header("ETag")).as(r.toString()).isEqualTo(wasOld ? old.header("ETag") : newEtag);
            }
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(f);
        }
    }

    @Test
    @DisplayName("a deleted file is 404 after the window")
    default void deletedFileIsGone() throws Exception {
        Path f = root().resolve("fresh-deleted.txt");
        String text = "fresh-deleted: still here\n";
        try {
            write(f, text, Docroot.MTIME);
            assertServes(fetch("/fresh-deleted.txt"), text, Docroot.MTIME);
            Files.delete(f);
            for (HttpResponse r : askThroughTheWindow(System.nanoTime(), "/fresh-deleted.txt")) {
                assertOldFileOr404(r, text);
            }
            for (int i = 0; i < FRESH_PROBES; i++) {
                HttpResponse r = fetch("/fresh-deleted.txt");
                assertThat(r.status()).as(r.toString()).isEqualTo(404);
                assertThat(r.bodyText()).doesNotContain("still here");
            }
            assertThat(exchange(request("HEAD", "/fresh-deleted.txt")).status()).isEqualTo(404);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    @DisplayName("a created file is served after the window: a 404 is remembered no longer than a file")
    default void createdFileAppears() throws Exception {
        Path f = root().resolve("fresh-created.txt");
        String text = "fresh-created: here now\n";
        try {
            for (int i = 0; i < FRESH_PROBES; i++) { // a 404 on every loop, if the stage remembers them
                assertThat(fetch("/fresh-created.txt").status()).isEqualTo(404);
            }
            write(f, text, Docroot.MTIME);
            for (HttpResponse r : askThroughTheWindow(System.nanoTime(), "/fresh-created.txt")) {
                assertOldFileOr404(r, text);
            }
            for (int i = 0; i < FRESH_PROBES; i++) {
                assertServes(fetch("/fresh-created.txt"), text, Docroot.MTIME);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    @DisplayName("a file swapped for a symlink out of the root: the old file or 404, never a byte of the secret")
    default void fileSwappedForAnOutsideLink() throws Exception {
        Path f = root().resolve("fresh-swapped.txt");
        String text = "fresh-swapped: inside the root\n";
        try {
            write(f, text, Docroot.MTIME);
            swapForAnOutsideLink(f, base().resolve("secret.txt"), text, List.of("/fresh-swapped.txt"));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    @DisplayName(
            "a directory's index.html swapped for a symlink out of the root: the old index or 404, never the secret")
    default void indexSwappedForAnOutsideLink() throws Exception {
        Path dir = root().resolve("fresh-index");
        Path index = dir.resolve("index.html");
        String text = "<p>fresh-index: inside the root\n";
        try {
            write(index, text, Docroot.MTIME);
            swapForAnOutsideLink(
                    index,
                    base().resolve("outside/index.html"),
                    text,
                    List.of("/fresh-index/", "/fresh-index/index.html"));
        } finally {
            Files.deleteIfExists(index);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @DisplayName(
            "a directory on the path swapped for a symlink out of the root, as a link still leads inside: never a byte of the secret")
    default void directorySwappedForAnOutsideLink() throws Exception {
        // www/fresh-d/secret.txt, reached as /fresh-l/secret.txt through the link www/fresh-l -> fresh-d.
        // Then fresh-d moves to fresh-d2, fresh-l is pointed at fresh-d2 (the same file, by another way),
        // and fresh-d becomes a link out of the root, to a directory that holds a file of the same name.
        Path d = root().resolve("fresh-d");
        Path d2 = root().resolve("fresh-d2");
        Path l = root().resolve("fresh-l");
        String text = "fresh-d: inside the root, " + "x".repeat(40) + "\n"; // longer than the secret
        try {
            Files.createDirectories(d);
            write(d.resolve("secret.txt"), text, Docroot.MTIME);
            Files.createSymbolicLink(l, Path.of("fresh-d"));
            // A HEAD: the server knows the file, and (in stage 04 and later) has no descriptor of it open.
            HttpResponse head = exchange(request("HEAD", "/fresh-l/secret.txt"));
            assertThat(head.status()).isEqualTo(200);
            Files.move(d, d2, StandardCopyOption.ATOMIC_MOVE);
            Path tmp = root().resolve("fresh-l.tmp");
            Files.createSymbolicLink(tmp, Path.of("fresh-d2"));
            Files.move(tmp, l, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.createSymbolicLink(d, base().resolve("outside"));
            long end =
                    System.nanoTime() + freshnessWindow().plus(FRESHNESS_MARGIN).toNanos();
            do {
                assertOldFileOr404(getWithoutTheSecret("/fresh-l/secret.txt"), text);
                Thread.sleep(probeSpacing());
            } while (System.nanoTime() < end);
            for (int i = 0; i < FRESH_PROBES; i++) { // the file is still inside, by its new way: served as it now is
                assertServes(getWithoutTheSecret("/fresh-l/secret.txt"), text, Docroot.MTIME);
            }
            assertThat(getWithoutTheSecret("/fresh-d/secret.txt").status())
                    .as("through the link out of the root")
                    .isEqualTo(404);
        } finally {
            if (!Files.isSymbolicLink(d)) { // never through the link: it leads to the secret's directory
                Files.deleteIfExists(d.resolve("secret.txt"));
            }
            Files.deleteIfExists(d);
            Files.deleteIfExists(l);
            Files.deleteIfExists(root().resolve("fresh-l.tmp"));
            Files.deleteIfExists(d2.resolve("secret.txt"));
            Files.deleteIfExists(d2);
        }
    }

    /**
     * Serves {@code file} through each target, swaps it atomically for a symlink to {@code outside}
     * (which holds the secret), then probes through the window and after it.
     */
    private void swapForAnOutsideLink(Path file, Path outside, String text, List<String> targets) throws Exception {
        for (String target : targets) {
            assertServes(fetch(target), text, Docroot.MTIME);
        }
        Path link = file.resolveSibling(file.getFileName() + ".lnk");
        Files.createSymbolicLink(link, outside);
        try {
            // rename(2): the name leads to the old file, then to the link, and never to nothing.
            Files.move(link, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(link);
        }
        long end = System.nanoTime() + freshnessWindow().plus(FRESHNESS_MARGIN).toNanos();
        do { // a descriptor kept open reads the old file; a path opened again would lead outside
            for (String target : targets) {
                assertOldFileOr404(getWithoutTheSecret(target), text);
            }
            Thread.sleep(probeSpacing());
        } while (System.nanoTime() < end);
        for (int i = 0; i < FRESH_PROBES; i++) {
            for (String target : targets) {
                assertThat(getWithoutTheSecret(target).status()).as(target).isEqualTo(404);
            }
        }
        for (String target : targets) {
            HttpResponse head = exchange(request("HEAD", target));
            assertThat(head.status()).as("HEAD " + target).isEqualTo(404);
            assertThat(head.header("Content-Length"))
                    .as("not the secret's length")
                    .isNotEqualTo(String.valueOf(Docroot.SECRET.length()));
        }
    }

    /**
     * A GET on a connection that the server closes after it; fails if any byte the server sent,
     * the head, the body or anything after the body, holds the secret.
     */
    private HttpResponse getWithoutTheSecret(String target) {
        try (RawClient c = client()) {
            HttpResponse r = c.send(get(target, "Connection: close")).read();
            byte[] rest = c.readRestAllowingReset();
            String raw = r.head()
                    + new String(r.body(), StandardCharsets.ISO_8859_1)
                    + new String(rest, StandardCharsets.ISO_8859_1);
            assertThat(raw).as(target).doesNotContain("TOP SECRET");
            assertThat(rest).as("nothing after the response to " + target).isEmpty();
            return r;
        }
    }

    @Test
    @DisplayName(
            "a slow reader gets the file it asked for, whole, while the file is replaced and its descriptor retired")
    default void slowReaderIsNeverCut() throws Exception {
        Path f = root().resolve("fresh-slow.bin");
        Path tmp = root().resolve("fresh-slow.bin.tmp");
        byte[] replacement = new byte[(64 << 10) + 1];
        for (int i = 0; i < replacement.length; i++) {
            replacement[i] = (byte) (i * 17 + 5);
        }
        long window = freshnessWindow().plus(FRESHNESS_MARGIN).toNanos();
        try {
            try (var out = Files.newOutputStream(f)) {
                byte[] chunk = new byte[SLOW_STEP];
                for (int off = 0; off < SLOW_FILE_SIZE; off += SLOW_STEP) {
                    out.write(slowFileChunk(off, chunk));
                }
            }
            Files.setLastModifiedTime(f, FileTime.from(Docroot.MTIME));
            // 16 KiB to read into: TCP lets the server only as far ahead as that and its own send
            // buffer (Linux grows that one to tcp_wmem's maximum, 4 MiB by default).
            try (RawClient slow = RawClient.withReceiveBuffer(port(), 16 << 10)) {
                HttpResponse head = slow.send(get("/fresh-slow.bin")).readHead();
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(SLOW_FILE_SIZE));
                assertThat(head.header("Last-Modified")).isEqualTo(imf(Docroot.MTIME));
                InputStream in = slow.input();
                byte[] got = new byte[SLOW_STEP];
                byte[] expected = new byte[SLOW_STEP];
                long start = System.nanoTime();
                long replaced = 0; // when, if isReplaced
                long fetched = 0; // when, if isFetched
                boolean isReplaced = false;
                boolean isFetched = false;
                int off = 0;
                while (off < SLOW_FILE_SIZE) {
                    long now = System.nanoTime();
                    if (!isReplaced && now - start >= window) {
                        Files.write(tmp, replacement);
                        Files.setLastModifiedTime(tmp, FileTime.from(Docroot.MTIME.plusSeconds(60)));
                        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        replaced = System.nanoTime();
                        isReplaced = true;
                    } else if (isReplaced && !isFetched && now - replaced >= window) {
                        // A caching stage sees a new file now and retires the old descriptor (on the
                        // loops these connections reach; a reaper retires it on the others).
                        for (int i = 0; i < FRESH_PROBES; i++) {
                            HttpResponse r = fetch("/fresh-slow.bin");
                            assertThat(r.status()).isEqualTo(200);
                            assertThat(r.body())
                                    .as("the replacement, to another client")
                                    .isEqualTo(replacement);
                            assertThat(r.header("Last-Modified")).isEqualTo(imf(Docroot.MTIME.plusSeconds(60)));
                        }
                        fetched = System.nanoTime();
                        isFetched = true;
                    }
                    // Until then only the first MiB, so that most of the file is still to be read
                    // from the old descriptor; then the rest, over at least a second.
                    long allowed = !isFetched
                            ? Math.min(SLOW_FIRST_PART, SLOW_FIRST_PART * (now - start) / (2 * window))
                            : SLOW_FIRST_PART
                                    + (SLOW_FILE_SIZE - SLOW_FIRST_PART)
                                            * (now - fetched)
                                            / Math.max(freshnessWindow().toNanos(), SLOW_LAST_PART.toNanos());
                    if (off + SLOW_STEP > allowed) {
                        Thread.sleep(10);
                        continue;
                    }
                    int n = in.readNBytes(got, 0, SLOW_STEP);
                    assertThat(n)
                            .as("the response was cut at byte " + (off + n))
                            .isEqualTo(SLOW_STEP);
                    int at = Arrays.mismatch(got, slowFileChunk(off, expected));
                    assertThat(at)
                            .as("first byte that differs from the file asked for, after byte " + off)
                            .isEqualTo(-1);
                    off += n;
                }
                assertThat(isFetched)
                        .as("the replacement was fetched while the slow response was going")
                        .isTrue();
                // The connection is still in step: the next response starts where the body ended.
                assertThat(slow.send(get("/hello.txt")).read().bodyText()).isEqualTo(Docroot.HELLO);
            }
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(f);
        }
    }

    /** The slow file's bytes from {@code offset}: every 4 KiB block differs, so a misplaced one shows. */
    private static byte[] slowFileChunk(int offset, byte[] chunk) {
        for (int i = 0; i < chunk.length; i++) {
            int at = offset + i;
            chunk[i] = (byte) (at * 31 + at / 4096);
        }
        return chunk;
    }

    /**
     * GETs of {@code target}, each on a connection of its own, from just after a change made at
     * {@code since} until the window and its margin have passed: the entry a stage keeps is in
     * use all along, so only its freshness check, not a reaper, can let the change through.
     */
    private List<HttpResponse> askThroughTheWindow(long since, String target) throws InterruptedException {
        List<HttpResponse> out = new ArrayList<>();
        long end = since + freshnessWindow().plus(FRESHNESS_MARGIN).toNanos();
        do {
            out.add(fetch(target));
            Thread.sleep(probeSpacing());
        } while (System.nanoTime() < end);
        return out;
    }

    /** A few requests per window, at most one per 50 ms. */
    private Duration probeSpacing() {
        Duration eighth = freshnessWindow().dividedBy(8);
        return eighth.compareTo(Duration.ofMillis(50)) > 0 ? eighth : Duration.ofMillis(50);
    }

    /** A 200 with exactly {@code text}, its length, the Last-Modified of {@code mtime}, and a strong ETag. */
    /** Inside the window: the file as it was (whole, with its own headers), or 404, nothing else. */
    private static void assertOldFileOr404(HttpResponse r, String text) {
        assertThat(r.status()).as(r.toString()).isIn(200, 404);
        if (r.status() == 200) {
            assertServes(r, text, Docroot.MTIME);
        }
    }

    private static void assertServes(HttpResponse r, String text, Instant mtime) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).as(r.toString()).isEqualTo(bytes);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(bytes.length));
        assertThat(r.header("Last-Modified")).isEqualTo(imf(mtime));
        assertThat(r.header("ETag")).matches(STRONG_ETAG);
    }

    private static void write(Path file, String text, Instant mtime) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(mtime));
    }
}
