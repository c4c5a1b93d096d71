package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every contract section needs: the document root, the running server, and the stage's main
 * class (for the sections that run the stage as a child process). {@link HttpContract} provides it;
 * the sections are interfaces whose default methods JUnit runs as tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public interface ContractFixture {

    /** Short, so the timeout tests run quickly; long enough for a slow CI machine to send a request. */
    Duration HEADER_TIMEOUT = Duration.ofMillis(1500);

    Duration IDLE_TIMEOUT = Duration.ofSeconds(4);

    /**
     * Tag of the tests that take seconds each or start a JVM of their own (soak, Slowloris at
     * scale, the child-process sections): a quick run, or a mutation-testing run whose mutants
     * live in this JVM only, can leave them out with {@code -DexcludedGroups=heavy}.
     */
    String HEAVY = "heavy";

    /** The temporary directory that holds the document root and the secrets beside it. */
    Path base();

    /** The document root the in-process server serves ({@link Docroot#create}). */
    Path root();

    /** The in-process server's port on 127.0.0.1. */
    int port();

    /**
     * Native memory the stage's own code holds now, in bytes (memory it allocates outside the heap itself, as stage
     * 06 does through the FFM API); -1 for a stage that allocates none of its own (the JDK's direct buffers are the
     * JDK's). The soak checks that it returns to its start.
     */
    default long nativeBytes() {
        return -1;
    }

    /**
     * Starts another in-process server of the stage on 127.0.0.1, on a free port, serving
     * {@code root}, for a section that needs timeouts of its own; the caller closes it.
     */
    StaticServer start(Path root, Duration headerTimeout, Duration idleTimeout) throws Exception;

    /**
     * The stage's main class, run as {@code java -cp <test class path> MAIN --root DIR --port 0}
     * by the sections that need a process of its own (descriptor limits, signals).
     */
    String mainClass();

    /**
     * The longest this stage may keep serving what a file was: a file changed, deleted, created or
     * replaced is served as it now is by the first request that arrives once this long has passed
     * since the change. Inside the window each response is still whole and self-consistent, and
     * never leaves the root. A stage without a cache looks the file up on every request: zero. A
     * stage with a cache overrides it ({@link FreshnessContract} waits it out).
     */
    default Duration freshnessWindow() {
        return Duration.ZERO;
    }

    default RawClient client() {
        return new RawClient(port());
    }

    /** One request on a fresh connection. */
    default HttpResponse exchange(String request) {
        try (RawClient c = client()) {
            return c.send(request).read(request.startsWith("HEAD "));
        }
    }

    default HttpResponse fetch(String target, String... fields) {
        return exchange(get(target, fields));
    }

    default String etagOf(String target) {
        return fetch(target).header("ETag");
    }

    /** Asserts an error response that closes the connection, and that the server really closes it. */
    default void assertErrorAndClose(RawClient c, int... statuses) {
        HttpResponse r = c.read();
        assertThat(r.status())
                .as(r.toString())
                .isIn(Arrays.stream(statuses).boxed().toArray());
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(r.body())
                .as("an error carries a small body that says what went wrong")
                .isNotEmpty();
        assertThat(r.closes()).as("Connection: close on " + r).isTrue();
        assertThat(c.readUntilClosed()).as("nothing after the error response").isEmpty();
    }
}
