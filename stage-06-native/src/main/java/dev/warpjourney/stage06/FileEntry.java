package dev.warpjourney.stage06;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

final class FileEntry {
    /** What a lookup found. */
    enum Kind {
        FILE,
        DIRECTORY,
        MISSING,
        FORBIDDEN
    }

    final Kind kind;
    /** FILE: the real path, under the root; what the descriptor is opened on. Null otherwise. */
    final Path file;
    /** FILE: the path the request named (its index.html for a directory): what a check stats. */
    final Path requested;
    /** FILE: who may read it; a chmod changes no date, and must be seen too. */
    final Set<PosixFilePermission> permissions;
    /**
     * FILE: the file key (device and inode): a file replaced by a new one, even of the same size and date, is
     * another file.
     */
    final Object identity;

    final long size;
    final long mtimeMillis;
    /**
     * FILE: its change time (ctime), to the nanosecond. Any write to the file sets it, and no user
     * can set it back: a file rewritten in place at the same size with its modification time
     * restored ({@code cp -p}, {@code touch -r}), or within the same millisecond, keeps size and
     * mtime, and only this tells that the bytes kept in memory are not the file's any more.
     */
    final FileTime changed;
    /** FILE: the header values, computed once per lookup, not once per response. */
    final String etag;

    final String lastModified;
    final String contentType;

    /** System.nanoTime() of the lookup this entry reflects: trusted until then + the window. */
    long checkedAt;
    /** Used since the reaper's last pass (Warp's Active and Inactive). */
    boolean active = true;
    /** The open file, once a body has been sent from it; null before that and after it is closed. */
    FileChannel channel;
    /**
     * The open file as a bare descriptor, in an event loop's cache (sendfile needs its number); -1 when not open.
     * An entry has this or {@link #channel}, never both: a loop's cache opens descriptors, model VTHREADS' channels.
     */
    int descriptor = -1;
    /** Responses sending from the open file now: nothing closes it while this is above 0. */
    int inFlight;
    /** Out of the cache (replaced, evicted or reaped): its channel closes when its last response is done. */
    boolean retired;
    // tag::composer-entry[]
    /** FILE: its 200 to a GET and to a HEAD ({@link Response#wholeFile}), heads composed once per entry, not per response. */
    final Response ok;

    final Response headOk;
    /**
     * FILE, at most {@link Limits#SMALL_FILE} bytes: the whole file, read once (or mapped), sent
     * straight after the head in the same write; no descriptor is kept for it. Null until the
     * first GET, for a larger file, or once the cache's the cache's budget is spent.
     */
    ByteBuffer body;
    /**
     * The last try to load {@link #body} failed (out of descriptors or memory): not again before the next check.
     */
    boolean bodyFailed;
    /**
     * Connections that keep a view of {@link #body} between their requests (a keep-alive client asking
     * again reuses it). Bytes the cache let go stay counted in its budget until the last of them lets go too.
     */
    int viewers;
    /**
     * The cache dropped {@link #body} while connections still viewed it: its bytes stay counted until {@link
     * #viewers} is 0.
     */
    boolean bodyHeld;
    // end::composer-entry[]

    private FileEntry(
            Kind kind,
            Path file,
            Path requested,
            Set<PosixFilePermission> permissions,
            Object identity,
            long size,
            long mtimeMillis,
            FileTime changed) {
        this.kind = kind;
        this.file = file;
        this.requested = requested;
        this.permissions = permissions;
        this.identity = identity;
        this.size = size;
        this.mtimeMillis = mtimeMillis;
        this.changed = changed;
        if (kind == Kind.FILE) {
            this.etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(mtimeMillis) + "\"";
            this.lastModified = HttpDate.format(Instant.ofEpochSecond(Math.floorDiv(mtimeMillis, 1000)));
            this.contentType = MimeTypes.of(file.getFileName().toString());
            this.ok = Response.wholeFile(this, false);
            this.headOk = Response.wholeFile(this, true);
        } else {
            this.etag = null;
            this.lastModified = null;
            this.contentType = null;
            this.ok = null;
            this.headOk = null;
        }
    }

    /** A regular file, readable, under the root ({@code real}), found as {@code requested}. */
    static FileEntry file(Path real, Path requested, PosixFileAttributes attrs, FileTime changed) {
        return new FileEntry(
                Kind.FILE,
                real,
                requested,
                attrs.permissions(),
                attrs.fileKey(),
                attrs.size(),
                attrs.lastModifiedTime().toMillis(),
                changed);
    }

    /** A directory (asked for without its slash), nothing to serve, or a refusal. */
    static FileEntry of(Kind kind) {
        return new FileEntry(kind, null, null, null, null, 0, 0, null);
    }

    /** Whether a stat of the file found the very file this entry describes. */
    boolean describes(PosixFileAttributes attrs, FileTime changed) {
        return kind == Kind.FILE
                && attrs.isRegularFile()
                && identity != null
                && identity.equals(attrs.fileKey())
                && size == attrs.size()
                && mtimeMillis == attrs.lastModifiedTime().toMillis()
                && permissions.equals(attrs.permissions())
                && java.util.Objects.equals(this.changed, changed);
    }

    /**
     * The same from one stat's "unix" attributes (what {@code Files.readAttributes(path, "unix:*")}
     * gives: the POSIX ones and the change time, in one system call).
     */
    @SuppressWarnings("unchecked")
    boolean describes(Map<String, Object> unix) {
        return kind == Kind.FILE
                && Boolean.TRUE.equals(unix.get("isRegularFile"))
                && identity != null
                && identity.equals(unix.get("fileKey"))
                && Long.valueOf(size).equals(unix.get("size"))
                && unix.get("lastModifiedTime") instanceof FileTime m
                && mtimeMillis == m.toMillis()
                && permissions.equals(unix.get("permissions"))
                && java.util.Objects.equals(changed, unix.get("ctime"));
    }

    /** Whether a new lookup found the very thing this entry describes, so that it (and its descriptor) can stay. */
    boolean sameAs(FileEntry fresh) {
        if (kind != fresh.kind) {
            return false;
        }
        return kind != Kind.FILE
                || (file.equals(fresh.file)
                        && identity != null
                        && identity.equals(fresh.identity)
                        && size == fresh.size
                        && mtimeMillis == fresh.mtimeMillis
                        && permissions.equals(fresh.permissions)
                        && java.util.Objects.equals(changed, fresh.changed));
    }
}
