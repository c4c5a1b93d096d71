package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Transfer-Encoding fields the parser lets through (RFC 9112 §6.1, §6.3). */
class TransferEncodingTest {

    private static Request parse(String fields) throws HttpException {
        return ForTests.parse("GET /a HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n");
    }

    private static int status(String fields) {
        try {
            parse(fields);
            return 0;
        } catch (HttpException e) {
            return e.status;
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Transfer-Encoding: chunked\r\n",
                "Transfer-Encoding: CHUNKED\r\n",
                "Transfer-Encoding:   chunked  \r\n",
                "Transfer-Encoding: , chunked,\r\n", // empty list elements are ignored
                "Transfer-Encoding: \r\nTransfer-Encoding: chunked\r\n"
            })
    void chunkedAloneIsAccepted(String fields) throws HttpException {
        Request r = parse(fields);
        assertThat(r.chunked).isTrue();
        assertThat(r.contentLength).isZero();
    }

    @Test
    void withoutTransferEncodingTheBodyIsNotChunked() throws HttpException {
        assertThat(parse("").chunked).isFalse();
        assertThat(parse("Content-Length: 3\r\n").chunked).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Transfer-Encoding: gzip                               | 501",
                "Transfer-Encoding: x-unknown                          | 501",
                "Transfer-Encoding: gzip, chunked                      | 501",
                "Transfer-Encoding: gzip;level=1, chunked              | 501",
                "Transfer-Encoding: chunked, gzip                      | 400",
                "Transfer-Encoding: chunked, chunked                   | 400",
                "Transfer-Encoding: chunked;x=1                        | 400",
                "Transfer-Encoding: chun ked                           | 400",
                "Transfer-Encoding: \"chunked\"                        | 400",
                "Transfer-Encoding:                                    | 400",
                "Transfer-Encoding: ,                                  | 400"
            })
    void otherValues(String field, int expected) {
        assertThat(status(field + "\r\n")).as(field).isEqualTo(expected);
    }

    @Test
    void transferEncodingWithContentLengthIs400EvenWhenBothLookHarmless() {
        assertThat(status("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n"))
                .isEqualTo(400);
        assertThat(status("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"))
                .isEqualTo(400);
        assertThat(status("Content-Length: 0\r\nTransfer-Encoding: gzip\r\n")).isEqualTo(400);
    }

    @Test
    void http10WithTransferEncodingIs400() {
        assertThatThrownBy(() -> ForTests.parse("GET /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .isInstanceOfSatisfying(
                        HttpException.class, e -> assertThat(e.status).isEqualTo(400));
    }
}
