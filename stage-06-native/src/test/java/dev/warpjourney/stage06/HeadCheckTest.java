package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The head checked as its bytes come: what it refuses, when, and with which status. */
class HeadCheckTest {

    /**
     * The status HeadCheck gives after the bytes of {@code head} came one at a time, and at which byte (1-based; 0:
     * none).
     */
    private static int[] feed(String head) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        HeadCheck check = new HeadCheck();
        for (int i = 1; i <= bytes.length; i++) {
            int status = check.check(bytes, i);
            if (status != 0) {
                return new int[] {status, i};
            }
        }
        return new int[] {0, 0};
    }

    @Test
    void aValidHeadIsNeverRefusedWhateverItsLineEnds() {
        assertThat(feed("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"))
                .containsExactly(0, 0);
        assertThat(feed("HEAD /a%20b?x=1 HTTP/1.0\nX-Tab:\tv\u00e9\n\n")).containsExactly(0, 0);
        assertThat(feed("GET http://localhost/hello.txt HTTP/1.1\r\nHost: localhost\r\nX:\r\n\r\n"))
                .containsExactly(0, 0);
        // Unfinished but valid so far: wait for the rest.
        assertThat(feed("GET /index.html HTTP/1.1\r\nHost: local")).containsExactly(0, 0);
        assertThat(feed("BREW /pot HTTP/1.1\r\n"))
                .as("an unknown method is the parser's (501), not a syntax error")
                .containsExactly(0, 0);
    }

    @Test
    void garbageIsRefusedAtTheByteThatMakesItSo() {
        assertThat(feed("\u0016\u0003\u0001")).containsExactly(400, 1); // a TLS ClientHello's first byte
        assertThat(feed("SSH-2.0-OpenSSH_9.2p1\r\n")).containsExactly(400, 22); // a CR in the method
        assertThat(feed("G(T / HTTP/1.1\r\n")).containsExactly(400, 2);
        assertThat(feed(" GET / HTTP/1.1\r\n")).containsExactly(400, 1); // an empty method
        assertThat(feed("GET  / HTTP/1.1\r\n")).containsExactly(400, 5); // an empty target
        assertThat(feed("GET /a\u0001 HTTP/1.1\r\n")).containsExactly(400, 7);
        assertThat(feed("GET /\u00e9 HTTP/1.1\r\n")).containsExactly(400, 6); // the target is ASCII
        assertThat(feed("GET / HTTQ/1.1\r\n")).containsExactly(400, 10);
        assertThat(feed("GET / HTTP/1.1 \r\n")).containsExactly(400, 15); // a third space
        assertThat(feed("GET / HTTP/1.1x")).containsExactly(400, 15);
        assertThat(feed("GET / HTTP/1\r\n")).containsExactly(400, 13);
        assertThat(feed("GET / HTTP/2.0\r\n"))
                .as("a well-formed version other than 1.x, once the line ends")
                .containsExactly(505, 16);
        assertThat(feed("GET / HTTP/1.1\rX")).as("a bare CR").containsExactly(400, 16);
        assertThat(feed("GET / HTTP/1.1\r\nBad Name: x\r\n")).containsExactly(400, 20);
        assertThat(feed("GET / HTTP/1.1\r\n folded\r\n")).as("obs-fold").containsExactly(400, 17);
        assertThat(feed("GET / HTTP/1.1\r\n: x\r\n")).containsExactly(400, 17);
        assertThat(feed("GET / HTTP/1.1\r\nNoColon\r\n"))
                .as("known at the line's end")
                .containsExactly(400, 25);
        assertThat(feed("GET / HTTP/1.1\r\nX: a\u0000b\r\n")).containsExactly(400, 21);
        assertThat(feed("GET / HTTP/1.1\r\nX: a\u007f\r\n")).containsExactly(400, 21);
    }

    @Test
    void fieldLinesAreCountedAsTheyBegin() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < Limits.MAX_FIELD_LINES; i++) {
            head.append("X: 1\r\n");
        }
        assertThat(feed(head + "\r\n")).as("the most a head may have").containsExactly(0, 0);
        int at = head.length() + 1;
        assertThat(feed(head + "X: 1\r\n")).containsExactly(431, at);
        assertThat(feed(head + "\rX"))
                .as("a line that begins with a bare CR counts too")
                .containsExactly(431, at + 1);
    }

    @Test
    void itResumesWhereItStoppedAndSaysTheSameWhenAskedAgain() {
        byte[] bytes = "G(T / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1);
        HeadCheck check = new HeadCheck();
        assertThat(check.check(bytes, 1)).isZero();
        assertThat(check.check(bytes, bytes.length)).isEqualTo(400);
        assertThat(check.check(bytes, bytes.length)).as("asked again").isEqualTo(400);
        check.reset();
        byte[] good = "GET / HTTP/1.1\r\n\r\nGARBAGE(".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(check.check(good, good.length))
                .as("what follows the head is the next request's")
                .isZero();
    }
}
