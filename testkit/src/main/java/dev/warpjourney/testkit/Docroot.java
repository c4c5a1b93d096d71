package dev.warpjourney.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** The document root the contract serves, and a secret beside it that must never leak. */
public final class Docroot {
    private Docroot() {}

    public static final String SECRET = "TOP SECRET: outside the document root";
    public static final String HELLO = "Hello, world!\n";
    /** A fixed modification time, so that date comparisons are exact. */
    public static final Instant MTIME = Instant.parse("2024-03-05T07:08:09Z");

    public static final int DATA_SIZE = 10_000;
    public static final long HUGE_SIZE = 1L << 30;
    /** Every HUGE_MARK_STRIDE bytes the huge file carries an 8-byte marker (its offset), zeros between. */
    public static final long HUGE_MARK_STRIDE = 64L << 20;

    /**
     * Creates {@code base/www} (returned) and {@code base/secret.txt}, {@code base/outside/secret.txt} and {@code
     * base/outside/index.html}.
     */
    public static Path create(Path base) throws IOException {
        Path root = Files.createDirectories(base.resolve("www"));
        Files.writeString(base.resolve("secret.txt"), SECRET);
        Files.createDirectories(base.resolve("outside"));
        Files.writeString(base.resolve("outside/secret.txt"), SECRET);
        // An index outside the root: a symlinked directory must not lead a request to it.
        Files.writeString(base.resolve("outside/index.html"), SECRET);

        write(root.resolve("index.html"), "<!DOCTYPE html><title>root</title><p>the root index\n");
        write(root.resolve("hello.txt"), HELLO);
        write(root.resolve("empty.txt"), "");
        write(root.resolve("space name.txt"), "space");
        write(root.resolve("caf\u00e9.txt"), "utf-8 name");
        write(root.resolve("100%25.txt"), "decoded once");
        byte[] data = data();
        Files.write(root.resolve("data.bin"), data);
        Files.setLastModifiedTime(root.resolve("data.bin"), FileTime.from(MTIME));
        for (String ext : new String[] {
            "html",
            "css",
            "js",
            "mjs",
            "json",
            "txt",
            "xml",
            "svg",
            "png",
            "jpg",
            "jpeg",
            "gif",
            "webp",
            "ico",
            "woff",
            "woff2",
            "pdf",
            "wasm",
            "mp4",
            "unknownext",
            "HTML"
        }) {
            write(root.resolve("types/a." + ext), "x");
        }
        write(root.resolve("types/noextension"), "x");
        write(root.resolve("dir/index.html"), "<p>dir index\n");
        write(root.resolve("dir/sub/file.txt"), "in sub");
        Files.createSymbolicLink(root.resolve("link-inside.txt"), Path.of("hello.txt"));
        Files.createSymbolicLink(root.resolve("link-outside.txt"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("dirlink-outside"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("dir/link-up.txt"), Path.of("../hello.txt"));
        return root;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(MTIME));
    }

    /** The bytes of data.bin: a pattern in which every offset is distinguishable from its neighbours. */
    public static byte[] data() {
        byte[] data = new byte[DATA_SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 8) * 7);
        }
        return data;
    }

    /** A sparse 1 GiB file: it costs no disk, and the server must still stream all of it. */
    public static Path createHuge(Path root) throws IOException {
        Path file = root.resolve("huge.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(HUGE_SIZE);
            for (long at = 0; at < HUGE_SIZE; at += HUGE_MARK_STRIDE) {
                raf.seek(at);
                raf.writeLong(at);
            }
        }
        return file;
    }
}
