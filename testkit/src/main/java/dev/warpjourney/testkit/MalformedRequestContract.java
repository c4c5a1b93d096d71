package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed requests, methods, versions and size limits: the right status, and a close where the RFC asks for one. */
public interface MalformedRequestContract extends ContractFixture {

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "GET /hello.txt\r\n\r\n",
                "GET  /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /hello.txt  HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: exa mple\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: a/b\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: a:port\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost : x\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Bad\t: y\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX(Bad): y\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\n: empty-name\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n",
                "GET /hello.txt HTTP/1.1\rHost: x\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n",
                "GET /hello.txt HTTP/1.10\r\nHost: x\r\n\r\n",
                "GET /hello.txt HTTP/1\r\nHost: x\r\n\r\n",
                "GET /hello.txt http/1.1\r\nHost: x\r\n\r\n",
                "GET /hello.txt HTTP/1.1 \r\nHost: x\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                "G\u0000T /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /hel\u0000lo.txt HTTP/1.1\r\nHost: x\r\n\r\n"
            })
    @DisplayName("malformed request line or fields: 400 and close")
    default void malformedRequestsGet400AndClose(String raw) {
        try (RawClient c = client()) {
            c.send(raw);
            assertErrorAndClose(c, 400);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003", // the first bytes of a TLS ClientHello
                "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
                "SSH-2.0-OpenSSH_9.2p1\r\n",
                "\u0000\u00ff\u0013\u0037 binary noise",
                "G(T /hello.txt HTTP/1.1\r\nHost: x\r\n",
                "\u0000GET /hello.txt HTTP/1.1\r\n",
                "GET /hello.txt HTTQ/1.1\r\nHost: x\r\n",
                "GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n"
            })
    @DisplayName("a head that can never become valid gets 400 at once, not at the end of the header timeout")
    default void garbageIsRefusedAtOnce(String raw) {
        try (RawClient c = client()) {
            long t0 = System.nanoTime();
            c.send(raw); // no empty line: the head never ends, so only its bytes can tell
            assertErrorAndClose(c, 400);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
                    .as("answered before the header timeout")
                    .isLessThan(HEADER_TIMEOUT.dividedBy(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "localhost:80", "hello.txt", "ftp://localhost/hello.txt"})
    @DisplayName("a request-target that is not origin-form or absolute-form: 400")
    default void nonOriginFormTargets(String target) {
        HttpResponse r = exchange(get(target));
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    default void absoluteFormIsAccepted() {
        HttpResponse r = exchange("GET http://localhost/hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(Docroot.HELLO);
        assertThat(exchange("GET http://localhost HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"})
    default void knownMethodsGet405WithAllow(String method) {
        try (RawClient c = client()) {
            HttpResponse r = c.send(method + " /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
                    .read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
            if (!r.closes()) { // the body was skipped exactly: the next request parses
                assertThat(c.send(get("/hello.txt")).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    default void unknownMethodGets501() {
        try (RawClient c = client()) {
            HttpResponse r = c.send("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/9.9"})
    default void newerHttpVersionsGet505(String version) {
        try (RawClient c = client()) {
            c.send("GET /hello.txt " + version + "\r\nHost: x\r\n\r\n");
            assertErrorAndClose(c, 505);
        }
    }

    @Test
    default void http2PrefaceGets505() {
        try (RawClient c = client()) {
            c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            assertErrorAndClose(c, 505);
        }
    }

    @Test
    @DisplayName("a request line of 8,000 octets is accepted; one over the limit gets 414")
    default void requestLineLimit() {
        String longPath = "/" + "a".repeat(7_980);
        assertThat(exchange(get(longPath)).status()).isEqualTo(404);
        try (RawClient c = client()) {
            c.send(get("/" + "a".repeat(70_000)));
            assertErrorAndClose(c, 414);
        }
    }

    @Test
    default void headerSectionOverTheLimitGets431() {
        String[] fields = new String[100];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = "X-Filler-" + i + ": " + "v".repeat(1000);
        }
        try (RawClient c = client()) {
            c.send(get("/hello.txt", fields));
            assertErrorAndClose(c, 431);
        }
        // A header section of a few KiB is fine.
        assertThat(fetch("/hello.txt", Arrays.copyOf(fields, 5)).status()).isEqualTo(200);
    }
}
