package dev.warpjourney.testkit;

import static dev.warpjourney.testkit.Wire.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Request bodies with Content-Length on a static server: read and dropped exactly. */
public interface RequestBodyContract extends ContractFixture {

    @Test
    @DisplayName("a Content-Length body on GET is skipped exactly")
    default void contentLengthBodyIsSkipped() throws InterruptedException {
        try (RawClient c = client()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET /x HTTP" + get("/dir/"));
            assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
            assertThat(c.read().bodyText()).isEqualTo("<p>dir index\n");
            // and a body that arrives in pieces, after the response was sent
            c.send("HEAD /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab");
            assertThat(c.readHead().status()).isEqualTo(200);
            Thread.sleep(20);
            c.send("cd");
            Thread.sleep(20);
            c.send("ef" + get("/hello.txt"));
            assertThat(c.read().bodyText()).isEqualTo(Docroot.HELLO);
        }
    }

    @Test
    default void transferEncodingWithContentLengthIs400() {
        try (RawClient c = client()) {
            c.send(
                    "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            assertErrorAndClose(c, 400);
        }
    }
}
