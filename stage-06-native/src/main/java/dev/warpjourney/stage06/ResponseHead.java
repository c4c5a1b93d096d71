package dev.warpjourney.stage06;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Composes the status line and header fields of a response, as bytes, into a buffer the loop
 * reuses for every response.
 *
 * <p>Stage 04 built each head in a {@code StringBuilder}, with the Date formatted for it, then
 * encoded the String to bytes. Here the head splits in two. What depends on the file alone
 * (status line, Server, Content-Type, Content-Length, Last-Modified, ETag, Accept-Ranges) is
 * {@link #precompose}d once, when the file cache looks the file up, and kept with its entry
 * ({@link Response#head}); what depends on the moment and the connection (Date, Connection) is
 * added per response. A response with no pre-composed head (an error, a 304, a 206, a redirect)
 * is composed whole, the old way: those are not the responses a busy server sends most.
 */
final class ResponseHead {
    private ResponseHead() {}

    static final String SERVER = "warp-journey/stage-06";

    private static final byte[] DATE = "Date: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_KEEP_ALIVE =
            "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    /** What {@link #compose} adds to a pre-composed head, at most: the Date line, a Connection line, the blank line. */
    static final int PER_RESPONSE = DATE.length + 29 + CRLF.length + CONNECTION_KEEP_ALIVE.length + CRLF.length;

    /** Everything of the head but Date, Connection and the blank line that ends it. */
    static byte[] precompose(Response r) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ")
                .append(r.status)
                .append(' ')
                .append(reason(r.status))
                .append("\r\n");
        sb.append("Server: ").append(SERVER).append("\r\n");
        for (String[] h : r.headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (r.status != 304) { // a 304 has no body and must not describe one
            sb.append("Content-Length: ").append(r.contentLength()).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * What {@link #compose} starts from: the pre-composed bytes of a cached file's 200, or this response's, composed
     * now; always composed now with {@code --heads per-request} (the pre-composed head switched off, to measure it).
     */
    static byte[] prefix(Response r, Config.Heads heads) {
        return r.head != null && heads == Config.Heads.PER_FILE ? r.head : precompose(r);
    }

    // tag::composer-compose[]
    /** The head into {@code out}: the pre-composed part, then Date, Connection and the blank line. */
    static void compose(byte[] prefix, boolean keepAlive, boolean http10, byte[] date, ByteBuffer out) {
        out.put(prefix);
        out.put(DATE).put(date).put(CRLF);
        if (!keepAlive) {
            out.put(CONNECTION_CLOSE);
        } else if (http10) { // HTTP/1.0 closes by default: say that this connection stays
            out.put(CONNECTION_KEEP_ALIVE);
        }
        out.put(CRLF);
    }
    // end::composer-compose[]

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 416 -> "Range Not Satisfiable";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Unknown";
        };
    }
}
