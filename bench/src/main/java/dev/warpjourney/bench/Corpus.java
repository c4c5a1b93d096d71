package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The files every server serves, generated the same on every machine: same names, same bytes,
 * same modification times, so that every reader measures the same work.
 */
final class Corpus {
    private Corpus() {}

    /** nginx's default page of the 2012 era, the file Warp was benchmarked with: 151 bytes. */
    static final String INDEX_HTML = """
            <html>
            <head>
            <title>Welcome to nginx!</title>
            </head>
            <body bgcolor="white" text="black">
            <center><h1>Welcome to nginx!</h1></center>
            </body>
            </html>
            """;

    static final int MANY_FILES = 10_000;
    private static final String VERSION = "corpus-v1";
    private static final Instant MTIME = Instant.parse("2012-09-01T00:00:00Z");

    /** Creates the corpus under {@code dir} unless the same version is already there. */
    static Path ensure(Path dir) throws IOException {
        Path marker = dir.resolve("." + VERSION);
        if (Files.exists(marker)) {
            return dir;
        }
        Files.createDirectories(dir);
        write(dir.resolve("index.html"), INDEX_HTML.getBytes(StandardCharsets.US_ASCII));
        write(dir.resolve("4k.bin"), bytes(4 * 1024, 4));
        write(dir.resolve("64k.bin"), bytes(64 * 1024, 64));
        write(dir.resolve("1m.bin"), bytes(1024 * 1024, 1024));
        List<String> paths = new ArrayList<>(MANY_FILES);
        for (int i = 0; i < MANY_FILES; i++) {
            String path = manyFilePath(i);
            int size = 1024 + (int) (mix(i) % (7 * 1024 + 1)); // 1 to 8 KiB
            write(dir.resolve(path.substring(1)), bytes(size, i));
            paths.add(path);
        }
        Files.write(dir.resolve("paths.txt"), paths);
        Files.writeString(marker, VERSION + "\n");
        return dir;
    }

    /** /files/D/E/NNNN.html: 10 x 10 directories of 100 files each. */
    static String manyFilePath(int i) {
        return "/files/" + (i / 1000) + "/" + (i / 100 % 10) + "/" + String.format("%04d", i) + ".html";
    }

    private static void write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        Files.setLastModifiedTime(file, FileTime.from(MTIME));
    }

    /** Deterministic bytes from a seed (SplitMix64), printable so that curl output stays readable. */
    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        long x = seed;
        for (int i = 0; i < size; i++) {
            x = mix(x + i);
            b[i] = (byte) ('a' + (int) Long.remainderUnsigned(x, 26));
        }
        return b;
    }

    private static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return Math.abs(z ^ (z >>> 31));
    }
}
