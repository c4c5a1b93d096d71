package dev.warpjourney.stage01;

import java.util.Map;

/**
 * One parsed request head.
 *
 * @param method        the method token, case-sensitive as RFC 9110 says
 * @param target        the request-target exactly as sent
 * @param minorVersion  1 for HTTP/1.1, 0 for HTTP/1.0
 * @param headers       field names lower-cased; repeated fields joined with ", " (RFC 9110 §5.3)
 * @param contentLength the body length to skip, 0 when absent (or when the body is chunked)
 * @param keepAlive     whether the connection may stay open after the response
 */
record Request(
        String method,
        String target,
        int minorVersion,
        Map<String, String> headers,
        long contentLength,
        boolean keepAlive) {

    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /**
     * Whether a chunked body follows the head: the parser lets a Transfer-Encoding through only when it ends in
     * chunked.
     */
    boolean chunked() {
        return headers.containsKey("transfer-encoding");
    }
}
