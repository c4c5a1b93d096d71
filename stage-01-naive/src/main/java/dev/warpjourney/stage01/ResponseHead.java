package dev.warpjourney.stage01;

/**
 * Composes the status line and header fields of a response.
 *
 * <p>This stage uses a {@code StringBuilder} and formats the Date on every call, then encodes the
 * String to bytes: three copies of every header byte and a formatter run per response.
 */
final class ResponseHead {
    private ResponseHead() {}

    static final String SERVER = "warp-journey/stage-01";

    // tag::compose[]
    static String compose(Response r, boolean keepAlive, boolean http10, String date) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ")
                .append(r.status)
                .append(' ')
                .append(reason(r.status))
                .append("\r\n");
        sb.append("Date: ").append(date).append("\r\n");
        sb.append("Server: ").append(SERVER).append("\r\n");
        for (String[] h : r.headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (r.status != 304) { // a 304 has no body and must not describe one
            sb.append("Content-Length: ").append(r.contentLength()).append("\r\n");
        }
        if (!keepAlive) {
            sb.append("Connection: close\r\n");
        } else if (http10) { // HTTP/1.0 closes by default: say that this connection stays
            sb.append("Connection: keep-alive\r\n");
        }
        sb.append("\r\n");
        return sb.toString();
    }
    // end::compose[]

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
