package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The native floor, {@code bench/src/main/c/native-floor.c}: the Java floor's bytes from a C epoll server, built here
 * with the system's C compiler ({@code cc -O2}) when the journey first starts it. Its source says what it does; this
 * only builds it, once per source change.
 */
final class NativeFloor {
    private NativeFloor() {}

    static final String SOURCE = "bench/src/main/c/native-floor.c";

    /** The binary, built into {@code work} from the repository's source when missing or older than it. */
    static Path build(Path repoRoot, Path work) throws IOException {
        Path source = repoRoot.resolve(SOURCE);
        Path binary = work.resolve("native-floor");
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Files.createDirectories(work);
        List<String> cmd = List.of("cc", "-O2", "-Wall", "-o", binary.toString(), source.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(
                    "the native floor needs a C compiler (cc; Debian: apt-get install gcc): " + e.getMessage());
        }
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("cc could not build " + source + ":\n" + output);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the native floor");
        }
        return binary;
    }
}
