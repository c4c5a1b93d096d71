package dev.warpjourney.stage04;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
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
    /** Responses sending from {@link #channel} now: nothing closes it while this is above 0. */
    int inFlight;
    /** Out of the cache (replaced, evicted or reaped): its channel closes when its last response is done. */
    boolean retired;

    private FileEntry(
            Kind kind,
            Path file,
            Path requested,
            Set<PosixFilePermission> permissions,
            Object identity,
            long size,
            long mtimeMillis) {
        this.kind = kind;
        this.file = file;
        this.requested = requested;
        this.permissions = permissions;
        this.identity = identity;
        this.size = size;
        this.mtimeMillis = mtimeMillis;
        if (kind == Kind.FILE) {
            this.etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(mtimeMillis) + "\"";
            this.lastModified = HttpDate.format(Instant.ofEpochSecond(Math.floorDiv(mtimeMillis, 1000)));
            this.contentType = MimeTypes.of(file.getFileName().toString());
        } else {
            this.etag = null;
            this.lastModified = null;
            this.contentType = null;
        }
    }

    /** A regular file, readable, under the root ({@code real}), found as {@code requested}. */
    static FileEntry file(Path real, Path requested, PosixFileAttributes attrs) {
        return new FileEntry(
                Kind.FILE,
                real,
                requested,
                attrs.permissions(),
                attrs.fileKey(),
                attrs.size(),
                attrs.lastModifiedTime().toMillis());
    }

    /** A directory (asked for without its slash), nothing to serve, or a refusal. */
    static FileEntry of(Kind kind) {
        return new FileEntry(kind, null, null, null, null, 0, 0);
    }

    /** Whether a stat of the file found the very file this entry describes. */
    boolean describes(PosixFileAttributes attrs) {
        return kind == Kind.FILE
                && attrs.isRegularFile()
                && identity != null
                && identity.equals(attrs.fileKey())
                && size == attrs.size()
                && mtimeMillis == attrs.lastModifiedTime().toMillis()
                && permissions.equals(attrs.permissions());
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
                        && permissions.equals(fresh.permissions));
    }
}
