package dev.warpjourney.stage04;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response about to be sent: status, header fields, and a body that is either a few bytes
 * (error pages) or a region of a file (sent by the kernel, never read into the heap).
 */
final class Response {
    final int status;
    final List<String[]> headers = new ArrayList<>();
    byte[] body = new byte[0];
    /** The file whose region is the body, as the cache knows it; the connection takes its descriptor. */
    FileEntry file;

    long fileOffset;
    long fileLength;
    /** HEAD: the same header fields as GET, no body bytes. */
    boolean omitBody;

    Response(int status) {
        this.status = status;
    }

    Response header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    long contentLength() {
        return file != null ? fileLength : body.length;
    }

    /** A short text body that says what went wrong, so a human with curl sees more than a number. */
    static Response error(int status) {
        Response r = new Response(status);
        r.body = (status + " " + ResponseHead.reason(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        r.header("Content-Type", "text/plain; charset=utf-8");
        return r;
    }
}
