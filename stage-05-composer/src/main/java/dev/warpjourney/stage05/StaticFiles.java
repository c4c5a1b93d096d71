package dev.warpjourney.stage05;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Turns a request into a response: finds the file under the document root (through the loop's
 * {@link FileCache}: {@link #resolve} runs only on a miss), evaluates the conditional headers and
 * the Range header, and describes what to send. It never opens the file: the connection takes the
 * cached descriptor when it starts sending.
 */
final class StaticFiles implements FileCache.Lookup {
    private final Path root;

    StaticFiles(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    Path root() {
        return root;
    }

    Response handle(Request req, FileCache cache) {
        boolean head = req.isHead();
        if (!head && !req.isGet()) {
            return Response.error(405).header("Allow", "GET, HEAD");
        }
        FileCache.Entry found = cache.lookup(req);
        if (found == null) {
            return Response.error(400);
        }
        Response r = respond(req, found, head);
        if (r.head == null) { // a cached file's own 200 is shared, and says GET or HEAD already
            r.omitBody = head;
        }
        return r;
    }

    private static Response respond(Request req, FileCache.Entry found, boolean head) {
        return switch (found.kind) {
            case FILE -> file(req, found, head);
            case DIRECTORY -> {
                RequestTarget target = RequestTarget.parse(req.target()); // a redirect is rare: decoded again for its parts
                String location = target.rawPath() + "/" + (target.query() == null ? "" : "?" + target.query());
                yield Response.error(301).header("Location", location);
            }
            case FORBIDDEN -> Response.error(403);
            case MISSING -> Response.error(404);
        };
    }

    // tag::lookup[]
    /** What a path names, found the slow way: what the cache asks on a miss, and once per window after a hit. */
    @Override
    public FileCache.Entry resolve(RequestTarget target) {
        try {
            Path path = root.resolve(String.join("/", target.segments()));
            // Naive: a stat for the real path (following symlinks), another for the attributes (POSIX
            // ones, in the same stat: a cached entry remembers who may read the file).
            Path real = path.toRealPath();
            if (!real.startsWith(root)) {
                return FileCache.Entry.of(FileCache.Kind.MISSING); // a symlink that points outside the root: not ours to serve
            }
            PosixFileAttributes attrs = Files.readAttributes(real, PosixFileAttributes.class);
            if (attrs.isDirectory()) {
                path = path.resolve("index.html");
                if (!target.trailingSlash()) {
                    return FileCache.Entry.of(FileCache.Kind.DIRECTORY); // answered with a redirect to the slash
                }
                real = real.resolve("index.html").toRealPath();
                if (!real.startsWith(root)) {
                    return FileCache.Entry.of(FileCache.Kind.MISSING);
                }
                attrs = Files.readAttributes(real, PosixFileAttributes.class);
            } else if (target.trailingSlash()) {
                return FileCache.Entry.of(FileCache.Kind.MISSING); // "/file.txt/" names a directory that does not exist
            }
            if (!attrs.isRegularFile()) {
                return FileCache.Entry.of(FileCache.Kind.MISSING); // never open a FIFO or a device: the read could block the loop
            }
            if (!Files.isReadable(real)) {
                return FileCache.Entry.of(FileCache.Kind.FORBIDDEN);
            }
            return FileCache.Entry.file(real, path, attrs);
        } catch (AccessDeniedException e) {
            return FileCache.Entry.of(FileCache.Kind.FORBIDDEN);
        } catch (IOException | RuntimeException e) {
            return FileCache.Entry.of(FileCache.Kind.MISSING); // missing, or a name the file system refuses: never a 500
        }
    }
    // end::lookup[]

    // tag::fdcache-check[]
    /**
     * Once per window for a cached file: one stat of the path the request named, following its
     * symlinks as an open would. The very same file (device and inode, size, date, permissions)
     * is the file that the full lookup found under the root; anything else is looked up again.
     */
    @Override
    public boolean unchanged(FileCache.Entry file) {
        try {
            return file.describes(Files.readAttributes(file.requested, PosixFileAttributes.class));
        } catch (IOException | RuntimeException e) {
            return false; // gone, or unreachable: the whole lookup will say what it is now
        }
    }
    // end::fdcache-check[]

    private static Response file(Request req, FileCache.Entry file, boolean head) {
        long size = file.size;
        long mtime = Math.floorDiv(file.mtimeMillis, 1000); // HTTP dates have one-second resolution
        String etag = file.etag;

        // tag::conditional[]
        // RFC 9110 §13.2.2: evaluate preconditions in this order.
        String ifMatch = req.header(Request.IF_MATCH);
        if (ifMatch != null) {
            if (!ETags.matches(ifMatch, etag, false)) {
                return Response.error(412);
            }
        } else {
            String ius = req.header(Request.IF_UNMODIFIED_SINCE);
            long date = ius == null ? Long.MIN_VALUE : HttpDate.parse(ius);
            if (date != Long.MIN_VALUE && mtime > date) {
                return Response.error(412);
            }
        }
        String ifNoneMatch = req.header(Request.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            if (ETags.matches(ifNoneMatch, etag, true)) {
                return notModified(etag);
            }
        } else {
            String ims = req.header(Request.IF_MODIFIED_SINCE);
            long date = ims == null ? Long.MIN_VALUE : HttpDate.parse(ims);
            if (date != Long.MIN_VALUE && mtime <= date) {
                return notModified(etag);
            }
        }
        // end::conditional[]

        String range = req.header(Request.RANGE);
        if (range != null && req.isGet() && ifRangeHolds(req.header(Request.IF_RANGE), etag, mtime)) {
            long[] span = ByteRanges.parse(range, size);
            if (span == ByteRanges.UNSATISFIABLE) {
                return Response.error(416).header("Content-Range", "bytes */" + size);
            }
            if (span != null) {
                Response r = new Response(206);
                r.file = file;
                r.fileOffset = span[0];
                r.fileLength = span[1] - span[0] + 1;
                r.header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
                r.header("Content-Type", file.contentType);
                r.header("Last-Modified", file.lastModified);
                r.header("ETag", etag);
                r.header("Accept-Ranges", "bytes");
                return r;
            }
        }
        // tag::composer-ok[]
        return head ? file.headOk : file.ok; // composed when the file was looked up: nothing is made here
        // end::composer-ok[]
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
