package dev.warpjourney.stage06;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response about to be sent: status, header fields, and a body that is either a few bytes
 * (error pages) or a region of a file (a small file's bytes from the cache, else sent by the kernel
 * from the file).
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
    /**
     * A cached file's 200, composed once when the file was looked up (see {@link FileEntry#ok}):
     * every header field but Date and Connection, as bytes. Such a response is shared by every
     * request for the file, so nothing changes it once this is set. Null for any other response.
     */
    byte[] head;

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

    /**
     * A file's 200, the whole file, its head pre-composed: made once per cache entry ({@link FileEntry#ok}), and
     * shared by every request for the file.
     */
    static Response wholeFile(FileEntry file, boolean omitBody) {
        Response r = new Response(200);
        r.file = file;
        r.fileOffset = 0;
        r.fileLength = file.size;
        r.omitBody = omitBody;
        r.header("Content-Type", file.contentType);
        r.header("Last-Modified", file.lastModified);
        r.header("ETag", file.etag);
        r.header("Accept-Ranges", "bytes");
        r.head = ResponseHead.precompose(r);
        return r;
    }

    /** A short text body that says what went wrong, so a human with curl sees more than a number. */
    static Response error(int status) {
        Response r = new Response(status);
        r.body = (status + " " + ResponseHead.reason(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        r.header("Content-Type", "text/plain; charset=utf-8");
        return r;
    }
}
