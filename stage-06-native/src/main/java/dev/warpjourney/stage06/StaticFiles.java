package dev.warpjourney.stage06;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Set;

/**
 * Turns a request into a response: finds the file under the document root (through the loop's
 * {@link FileCache}: {@link #resolve} runs only on a miss), evaluates the conditional headers and
 * the Range header, and describes what to send. It never opens the file: the connection takes the
 * cached descriptor when it starts sending.
 */
final class StaticFiles implements FileCache.Lookup {
    private final Path root;

    /**
     * The root, open as a directory: every file is opened from it, one directory at a time, never
     * following a symbolic link (see {@link #open}). Null where the platform has no such stream
     * (it has on Linux); files are then opened by their real path.
     */
    private final SecureDirectoryStream<Path> rootDirectory;
    /**
     * The root again, as a bare descriptor: where an event loop's {@link #openDescriptor} starts its walk. Opened
     * once, read-only, shared by the loops (openat does not move it).
     */
    private final int rootDescriptor;

    StaticFiles(Path root) throws IOException {
        this.root = root.toRealPath();
        try (Arena call = NativeMemory.confined()) {
            int fd = new Linux(call).openat(Linux.AT_FDCWD, this.root.toString(), Linux.O_DIRECTORY);
            if (fd < 0) {
                throw Linux.exception("open " + this.root, fd);
            }
            this.rootDescriptor = fd;
        }
        DirectoryStream<Path> dir = Files.newDirectoryStream(this.root);
        if (dir instanceof SecureDirectoryStream<Path> secure) {
            this.rootDirectory = secure;
        } else {
            dir.close();
            this.rootDirectory = null;
        }
    }

    Path root() {
        return root;
    }

    /** The server has stopped: the root's descriptors go too. */
    void close() {
        try (Arena call = NativeMemory.confined()) {
            new Linux(call).close(rootDescriptor);
        }
        if (rootDirectory != null) {
            try {
                rootDirectory.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    Response handle(Request req, FileCache cache) {
        boolean head = req.isHead();
        if (!head && !req.isGet()) {
            return Response.error(405).header("Allow", "GET, HEAD");
        }
        FileEntry found = cache.lookup(req);
        if (found == null) {
            return Response.error(400);
        }
        Response r = respond(req, found, head);
        if (r.head == null) { // a cached file's own 200 is shared, and says GET or HEAD already
            r.omitBody = head;
        }
        return r;
    }

    private static Response respond(Request req, FileEntry found, boolean head) {
        return switch (found.kind) {
            case FILE -> file(req, found, head);
            case DIRECTORY -> {
                RequestTarget target =
                        RequestTarget.parse(req.target()); // a redirect is rare: decoded again for its parts
                String location = target.directoryLocation();
                yield Response.error(301).header("Location", location);
            }
            case FORBIDDEN -> Response.error(403);
            case MISSING -> Response.error(404);
        };
    }

    // tag::lookup[]
    /** What a path names, found the slow way: what the cache asks on a miss, and once per window after a hit. */
    @Override
    public FileEntry resolve(RequestTarget target) {
        try {
            Path path = root.resolve(String.join("/", target.segments()));
            // Two stats: one for the real path (following symlinks), another for the attributes (POSIX
            // ones, in the same stat: a cached entry remembers who may read the file).
            Path real = path.toRealPath();
            if (!real.startsWith(root)) {
                return FileEntry.of(
                        FileEntry.Kind.MISSING); // a symlink that points outside the root: not ours to serve
            }
            PosixFileAttributes attrs = Files.readAttributes(real, PosixFileAttributes.class);
            if (attrs.isDirectory()) {
                path = path.resolve("index.html");
                if (!target.trailingSlash()) {
                    return FileEntry.of(FileEntry.Kind.DIRECTORY); // answered with a redirect to the slash
                }
                real = real.resolve("index.html").toRealPath();
                if (!real.startsWith(root)) {
                    return FileEntry.of(FileEntry.Kind.MISSING);
                }
                attrs = Files.readAttributes(real, PosixFileAttributes.class);
            } else if (target.trailingSlash()) {
                return FileEntry.of(FileEntry.Kind.MISSING); // "/file.txt/" names a directory that does not exist
            }
            if (!attrs.isRegularFile()) {
                return FileEntry.of(
                        FileEntry.Kind.MISSING); // never open a FIFO or a device: the read could block the loop
            }
            if (!Files.isReadable(real)) {
                return FileEntry.of(FileEntry.Kind.FORBIDDEN);
            }
            return FileEntry.file(real, path, attrs, (FileTime) Files.getAttribute(real, "unix:ctime"));
        } catch (AccessDeniedException e) {
            return FileEntry.of(FileEntry.Kind.FORBIDDEN);
        } catch (IOException | InvalidPathException e) {
            return FileEntry.of(FileEntry.Kind.MISSING); // missing, or a name the file system refuses: never a 500
        }
    }
    // end::lookup[]

    /** The attributes a check reads, in one stat: the POSIX ones and the change time. */
    private static final String UNIX = "unix:isRegularFile,fileKey,size,lastModifiedTime,permissions,ctime";

    // tag::fdcache-check[]
    /**
     * Once per window for a cached file: one stat of the path the request named, following its
     * symlinks as an open would. The very same file (device and inode, size, date, permissions)
     * is the file that the full lookup found under the root; anything else is looked up again.
     * An entry whose descriptor is not open costs a second stat, of the real path that an open
     * would take: a directory on that path swapped for a symbolic link leaves the requested path
     * naming the same file, but the real path naming another (see {@link #open}).
     */
    @Override
    public boolean unchanged(FileEntry file) {
        try {
            return file.describes(Files.readAttributes(file.requested, UNIX))
                    && (file.channel != null || file.describes(Files.readAttributes(file.file, UNIX)));
        } catch (IOException | InvalidPathException e) {
            return false; // gone, or unreachable: the whole lookup will say what it is now
        }
    }
    // end::fdcache-check[]

    // tag::fdcache-open[]
    /**
     * Opens the file a lookup found, proving that what opens is that file, under the root. Its real
     * path held no symbolic link when it was checked, but any directory on it may be swapped for one
     * since, and a plain open would follow it out of the root (NOFOLLOW_LINKS guards only the last
     * name). So the path is walked from the root's own descriptor, one directory at a time, each
     * opened without following a link (openat with O_NOFOLLOW): a link anywhere on it makes the
     * open fail. Then the name's identity (device and inode), read through the same directory
     * descriptor, must be the file's the lookup saw. (Between the open and that stat only another
     * file under the root could be swapped in, never one outside it.) A production server does the same (nginx's
     * disable_symlinks); it costs two calls per
     * directory on the path, paid only when a descriptor is opened, not per request.
     */
    @Override
    public FileChannel open(FileEntry file) throws IOException {
        if (rootDirectory == null) {
            return FileChannel.open(file.file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        Path relative = root.relativize(file.file);
        SecureDirectoryStream<Path> dir = rootDirectory;
        try {
            for (int i = 0; i < relative.getNameCount() - 1; i++) {
                SecureDirectoryStream<Path> next =
                        dir.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
                if (dir != rootDirectory) {
                    dir.close();
                }
                dir = next;
            }
            Path name = relative.getFileName();
            FileChannel channel =
                    (FileChannel) dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            Object identity = dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes()
                    .fileKey();
            if (file.identity == null || !file.identity.equals(identity)) {
                channel.close();
                throw new IOException(file.file + " is not the file its lookup checked");
            }
            return channel;
        } finally {
            if (dir != rootDirectory) {
                dir.close();
            }
        }
    }
    // end::fdcache-open[]

    // tag::native-open[]
    /**
     * {@link #open}'s walk made with the loop's own calls, for a bare descriptor that sendfile can use: from the
     * root's descriptor, each directory opened with openat and O_NOFOLLOW, then the file. The identity check stats
     * the open file itself, through /proc/self/fd (that link leads to the file the descriptor has open, whatever
     * its name names now), where stage 05 stats the name beside the descriptor.
     */
    @Override
    public int openDescriptor(FileEntry file, Linux linux) throws IOException {
        Path relative = root.relativize(file.file);
        int dir = rootDescriptor;
        try {
            for (int i = 0; i < relative.getNameCount() - 1; i++) {
                int next = linux.openat(dir, relative.getName(i).toString(), Linux.O_DIRECTORY | Linux.O_NOFOLLOW);
                if (next < 0) {
                    throw Linux.exception("openat " + relative.getName(i), next); // ELOOP: a link, swapped in
                }
                if (dir != rootDescriptor) {
                    linux.close(dir);
                }
                dir = next;
            }
            int fd = linux.openat(dir, relative.getFileName().toString(), Linux.O_NOFOLLOW);
            if (fd < 0) {
                throw Linux.exception("openat " + relative, fd);
            }
            Object identity;
            try {
                identity = Files.readAttributes(Path.of("/proc/self/fd/" + fd), PosixFileAttributes.class)
                        .fileKey();
            } catch (IOException | RuntimeException e) {
                linux.close(fd);
                throw e;
            }
            if (file.identity == null || !file.identity.equals(identity)) {
                linux.close(fd);
                throw new IOException(file.file + " is not the file its lookup checked");
            }
            return fd;
        } finally {
            if (dir != rootDescriptor) {
                linux.close(dir);
            }
        }
    }
    // end::native-open[]

    private static Response file(Request req, FileEntry file, boolean head) {
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
