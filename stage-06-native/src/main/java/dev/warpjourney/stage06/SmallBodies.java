package dev.warpjourney.stage06;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * The bytes of small files (at most {@link Limits#SMALL_FILE}), kept with their {@link FileCache} entries so that a
 * response sends them right after its head, in the same write: read into direct memory of their own, or mapped from
 * the file ({@code --bodies}), within a byte budget and, mapped, a bound on the number of mappings. Past either, a
 * file goes by sendfile from its descriptor, as a large one does.
 *
 * <p>One per file cache, which calls it under its own lock where it has one.
 */
final class SmallBodies {
    /** How small files' bytes are kept: read into memory of their own, or mapped from the file. */
    private final Config.Bodies bodies;
    /** Bytes of small files this cache may hold; {@link #bytes} are held now (of entries still cached). */
    private final long budget;

    private long bytes;
    /**
     * Mapped bodies: at most this many mappings at once ({@link #mappings} now). Each small file is
     * a mapping of its own, and the kernel's vm.max_map_count (65,530 by default) bounds them for the
     * whole process, the JVM's own included: past it every mmap fails, the JVM's too. A quarter of
     * it, shared between the caches as the bytes are; past it, files go by sendfile.
     */
    private final long maxMappings;

    private long mappings;

    /** What it did, for tests: bodies loaded, and descriptors opened (and closed again) to load one. */
    long loaded;

    long opened;

    SmallBodies(Config.Bodies bodies, long budget) {
        this.bodies = bodies;
        this.budget = budget;
        this.maxMappings = maxMapCount() / 4 / Math.max(1, Limits.BODY_CACHE_BYTES / Math.max(1, budget));
    }

    // tag::composer-body[]
    /**
     * A small file's bytes, for a response to send right after its head in one write; null for a
     * file that is sent from its descriptor (larger than {@link Limits#SMALL_FILE}, empty, past the
     * budget, or unreadable just now; every file with {@code --bodies sendfile}). Loaded at the file's first GET, from the file the lookup just
     * checked (as {@link FileCache#acquire} opens it), and kept as long as the entry. Read into memory, it is
     * the file as it was then, so a file changed in place is seen one window later, whole, never half
     * old and half new; mapped, it is the file as it is now (the page cache's pages), as stage 04's
     * descriptor was.
     */
    ByteBuffer body(FileEntry e, FileCache.Lookup files) {
        if (e.body != null && bodies == Config.Bodies.MAPPED && !mappingIntact(e)) {
            // A mapping shows the file as it is now: one truncated under it reads as zeros up to the
            // end of its last page, and fails past it. So each response first asks the file's size
            // (a stat: the price of mapping), and a file that shrank is not sent from its mapping:
            // from its descriptor, which stops where the file now ends, and the connection closes
            // short of the promised Content-Length, as stage 04 did; the next check looks it up again.
            drop(e);
            e.bodyFailed = true;
            return null;
        }
        if (e.body == null
                && bodies != Config.Bodies.SENDFILE // the single write switched off: every file by sendfile
                && !e.retired
                && !e.bodyFailed
                && e.size > 0
                && e.size <= Limits.SMALL_FILE
                && bytes + e.size <= budget
                && (bodies != Config.Bodies.MAPPED || mappings < maxMappings)) {
            e.body = load(e, files);
            e.bodyFailed = e.body == null;
            if (e.body != null) {
                bytes += e.size;
                mappings += bodies == Config.Bodies.MAPPED ? 1 : 0;
                loaded++;
            }
        }
        return e.body;
    }

    /**
     * The cache lets an entry's bytes go. A connection that keeps a view of them (to answer its
     * next request from them) keeps them alive: they stay counted in the budget until it lets go
     * (see {@link #unview}), so that idle connections cannot hold bytes the budget no longer sees.
     */
    void drop(FileEntry e) {
        if (e.body == null) {
            return;
        }
        e.body = null;
        mappings -= bodies == Config.Bodies.MAPPED ? 1 : 0; // unmapped once the buffer is collected: hence the margin
        if (e.viewers > 0) {
            e.bodyHeld = true;
        } else {
            bytes -= e.size;
        }
    }

    /** A connection keeps a view of the entry's bytes between its requests. */
    void view(FileEntry e) {
        e.viewers++;
    }

    /** The connection lets its view of the entry's bytes go. */
    void unview(FileEntry e) {
        if (--e.viewers == 0 && e.bodyHeld) {
            e.bodyHeld = false;
            bytes -= e.size;
        }
    }

    /** The kernel's bound on one process's mappings; its default where it cannot be read. */
    static long maxMapCount() {
        try {
            // Read by lines: a sysctl file reports no size, and Files.readString of it gets one byte.
            return Long.parseLong(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/vm/max_map_count"))
                    .getFirst()
                    .trim());
        } catch (IOException | RuntimeException e) {
            return 65_530;
        }
    }

    /**
     * Whether a mapping still reads as the file its entry describes: false where the path still
     * names that very file (same device and inode) at another size. A file replaced by a rename, or
     * deleted, leaves the mapped one as it was (unlinked, not truncated): its mapping is the old
     * version, as a body kept in memory is, until the next check looks the path up again.
     */
    private static boolean mappingIntact(FileEntry e) {
        try {
            PosixFileAttributes now = java.nio.file.Files.readAttributes(
                    e.file, PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return !e.identity.equals(now.fileKey()) || now.size() == e.size;
        } catch (java.nio.file.NoSuchFileException gone) {
            return true;
        } catch (IOException | RuntimeException ex) {
            return false; // unknown: the descriptor, which never reads past the file's end, is the safe way
        }
    }

    /**
     * Reads (or maps) the whole file. From the entry's own descriptor when it has one: that is the
     * file the lookup checked, whatever its path names now (a hit inside the window checks
     * nothing, and opening the path again there could find another file). Else from the path, which
     * the lookup just checked, as {@link FileCache#acquire} opens it; that descriptor is closed again, as a
     * small file's bytes need none.
     */
    private ByteBuffer load(FileEntry e, FileCache.Lookup files) {
        int size = (int) e.size;
        try {
            if (e.channel != null) {
                return load(e.channel, size);
            }
            try (FileChannel ch = files.open(e)) {
                opened++;
                return load(ch, size);
            }
        } catch (IOException ex) {
            // Out of descriptors, gone, or out of mappings ("Map failed"): send from a descriptor.
            return null;
        }
    }

    private ByteBuffer load(FileChannel ch, int size) throws IOException {
        if (bodies == Config.Bodies.MAPPED) {
            // Shares the page cache's pages, no copy; but a file truncated under the mapping makes
            // the write that reads it fail (EFAULT), where a copy would still be whole.
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        // Direct memory: the kernel copies from it as it is, where a heap array would first be
        // copied into a temporary direct buffer by the JDK at every write.
        ByteBuffer b;
        try {
            b = ByteBuffer.allocateDirect(size);
        } catch (OutOfMemoryError full) {
            // The process's direct memory (-XX:MaxDirectMemorySize) is reserved up to its limit, and the JDK
            // says so only with this Error: the file goes from its descriptor instead, nothing else fails.
            return null;
        }
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                return null; // shorter than the lookup said: the descriptor path copes (it closes)
            }
        }
        return b.flip();
    }
    // end::composer-body[]

    /** The cache is closed: no bytes are held any more. */
    void clear() {
        bytes = 0;
    }
}
