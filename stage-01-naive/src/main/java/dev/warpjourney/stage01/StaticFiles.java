package dev.warpjourney.stage01;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * Turns a request into a response: finds the file under the document root, evaluates the
 * conditional headers and the Range header, and describes what to send. It never opens the file:
 * the connection does, when it starts sending.
 */
final class StaticFiles {
    private final Path root;

    StaticFiles(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    Path root() {
        return root;
    }

    Response handle(Request req) {
        boolean head = req.method().equals("HEAD");
        if (!head && !req.method().equals("GET")) {
            return Response.error(405).header("Allow", "GET, HEAD");
        }
        RequestTarget target = RequestTarget.parse(req.target());
        if (target == null) {
            return Response.error(400);
        }
        Response r = lookup(req, target);
        r.omitBody = head;
        return r;
    }

    // tag::lookup[]
    private Response lookup(Request req, RequestTarget target) {
        try {
            Path path = root.resolve(String.join("/", target.segments()));
            // Naive: a stat for the real path (following symlinks), another for the attributes.
            Path real = path.toRealPath();
            if (!real.startsWith(root)) {
                return Response.error(404); // a symlink that points outside the root: not ours to serve
            }
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                if (!target.trailingSlash()) {
                    String location = target.directoryLocation();
                    return Response.error(301).header("Location", location);
                }
                real = real.resolve("index.html").toRealPath();
                if (!real.startsWith(root)) {
                    return Response.error(404);
                }
                attrs = Files.readAttributes(real, BasicFileAttributes.class);
            } else if (target.trailingSlash()) {
                return Response.error(404); // "/file.txt/" names a directory that does not exist
            }
            if (!attrs.isRegularFile()) {
                return Response.error(404); // never open a FIFO or a device: the read could block the loop
            }
            if (!Files.isReadable(real)) {
                return Response.error(403);
            }
            return file(req, real, attrs.size(), attrs.lastModifiedTime().toMillis());
        } catch (AccessDeniedException e) {
            return Response.error(403);
        } catch (IOException | InvalidPathException e) {
            return Response.error(404); // missing, or a name the file system refuses: never a 500
        }
    }
    // end::lookup[]

    private static Response file(Request req, Path file, long size, long mtimeMillis) {
        long mtime = Math.floorDiv(mtimeMillis, 1000); // HTTP dates have one-second resolution
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(mtimeMillis) + "\"";
        String lastModified = HttpDate.format(Instant.ofEpochSecond(mtime));

        // tag::conditional[]
        // RFC 9110 §13.2.2: evaluate preconditions in this order.
        String ifMatch = req.header("if-match");
        if (ifMatch != null) {
            if (!ETags.matches(ifMatch, etag, false)) {
                return Response.error(412);
            }
        } else {
            String ius = req.header("if-unmodified-since");
            long date = ius == null ? Long.MIN_VALUE : HttpDate.parse(ius);
            if (date != Long.MIN_VALUE && mtime > date) {
                return Response.error(412);
            }
        }
        String ifNoneMatch = req.header("if-none-match");
        if (ifNoneMatch != null) {
            if (ETags.matches(ifNoneMatch, etag, true)) {
                return notModified(etag);
            }
        } else {
            String ims = req.header("if-modified-since");
            long date = ims == null ? Long.MIN_VALUE : HttpDate.parse(ims);
            if (date != Long.MIN_VALUE && mtime <= date) {
                return notModified(etag);
            }
        }
        // end::conditional[]

        Response r = new Response(200);
        r.file = file;
        r.fileOffset = 0;
        r.fileLength = size;
        String range = req.header("range");
        if (range != null && req.method().equals("GET") && ifRangeHolds(req.header("if-range"), etag, mtime)) {
            long[] span = ByteRanges.parse(range, size);
            if (span == ByteRanges.UNSATISFIABLE) {
                return Response.error(416).header("Content-Range", "bytes */" + size);
            }
            if (span != null) {
                r = new Response(206);
                r.file = file;
                r.fileOffset = span[0];
                r.fileLength = span[1] - span[0] + 1;
                r.header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
            }
        }
        r.header("Content-Type", MimeTypes.of(file.getFileName().toString()));
        r.header("Last-Modified", lastModified);
        r.header("ETag", etag);
        r.header("Accept-Ranges", "bytes");
        return r;
    }

    private static Response notModified(String etag) {
        return new Response(304).header("ETag", etag);
    }

    /** RFC 9110 §13.1.5: a Range is honoured only if the If-Range validator still matches, strongly. */
    private static boolean ifRangeHolds(String ifRange, String etag, long mtime) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return v.equals(etag);
        }
        long date = HttpDate.parse(v);
        return date != Long.MIN_VALUE && date == mtime;
    }
}
