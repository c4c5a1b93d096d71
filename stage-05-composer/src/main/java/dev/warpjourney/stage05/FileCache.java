package dev.warpjourney.stage05;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the server remembers of the document root between requests: for each request path, what
 * its lookup found (a file with its size, dates and ETag, a directory, nothing, or a refusal), and
 * for a file, its descriptor, kept open. A hit costs no system call at all: no readlink, access or
 * statx for the lookup, no openat, fstat or close for the body. Warp has the same two caches (its
 * file-info cache and its fd cache), nginx has {@code open_file_cache}.
 *
 * <p><b>Freshness.</b> An entry is trusted for {@link #window} after the check it reflects. The
 * first request after that checks again, with one stat of the request's path (following its
 * symlinks, as an open would): if the path still names the very same file (same device and inode,
 * size, modification time and permissions), the entry and its open descriptor stay; anything else
 * (another file, a symlink to elsewhere, nothing) sends the path through the whole lookup again,
 * with every root and symlink check. The same file cannot be outside the root (its inode is held
 * open, or was found inside at the last lookup), so one stat per path and window is enough. Thus a
 * response reflects the file system as it was at most one window earlier; and as a cached
 * descriptor is the file it was opened on, a name swapped for a symlink to {@code /etc/passwd}
 * serves the old file's bytes inside the window and 404 after it, never a byte from outside the root.
 * A file whose descriptor is not open (never opened, or evicted) is checked at every lookup, as the
 * open that may follow must open the file the entry describes.
 *
 * <p><b>Lifetime.</b> Warp's reaper, without its thread: every {@link #reapPeriod} the loop's own
 * timer calls {@link #reap}; an entry used since the last pass is marked inactive, one still
 * inactive (unused for a whole period) is dropped and its descriptor closed. What keeps a descriptor open while a
 * response still sends from it is {@link Entry#inFlight}, a plain count: a cache belongs to one
 * loop, and that loop's thread runs the lookups, the responses and the reaper, so the count needs
 * no atomic and can never race with a close. (Warp's cache is shared by every Haskell thread; it
 * keeps a descriptor alive by marking it active after each piece that sendfile sends.)
 *
 * <p><b>Bounds.</b> At most {@link Limits#FILE_CACHE_ENTRIES} paths (memory: about half a KiB
 * each) and {@code maxChannels} open descriptors (a kernel resource shared with the connections),
 * each dropped least recently used first; an entry evicted while a response sends from it keeps
 * its descriptor until that response is done.
 *
 * <p>Model LOOPS gives each loop a cache of its own, used by its thread alone, with no lock. Model
 * VTHREADS shares one cache between all its virtual threads: there every method takes {@link #lock}.
 */
final class FileCache {

    /** What a lookup found. */
    enum Kind {
        FILE,
        DIRECTORY,
        MISSING,
        FORBIDDEN
    }

    /** One path's lookup, as the file system answered it at {@link #checkedAt}. */
    static final class Entry {
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
        /** Responses sending from {@link #channel} now: nothing closes it while this is above 0. */
        int inFlight;
        /** Out of the cache (replaced, evicted or reaped): its channel closes when its last response is done. */
        boolean retired;
        // tag::composer-entry[]
        /** FILE: its 200 to a GET and to a HEAD, heads composed once, here, not once per response. */
        final Response ok;

        final Response headOk;
        /**
         * FILE, at most {@link Limits#SMALL_FILE} bytes: the whole file, read once (or mapped), sent
         * straight after the head in the same write; no descriptor is kept for it. Null until the
         * first GET, for a larger file, or once the cache's {@link #bodyBudget} is spent.
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

        private Entry(
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
                this.ok = ok(false);
                this.headOk = ok(true);
            } else {
                this.etag = null;
                this.lastModified = null;
                this.contentType = null;
                this.ok = null;
                this.headOk = null;
            }
        }

        /** The file's 200: the whole file, its head pre-composed. */
        private Response ok(boolean omitBody) {
            Response r = new Response(200);
            r.file = this;
            r.fileOffset = 0;
            r.fileLength = size;
            r.omitBody = omitBody;
            r.header("Content-Type", contentType);
            r.header("Last-Modified", lastModified);
            r.header("ETag", etag);
            r.header("Accept-Ranges", "bytes");
            r.head = ResponseHead.precompose(r);
            return r;
        }

        /** A regular file, readable, under the root ({@code real}), found as {@code requested}. */
        static Entry file(Path real, Path requested, PosixFileAttributes attrs, FileTime changed) {
            return new Entry(
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
        static Entry of(Kind kind) {
            return new Entry(kind, null, null, null, null, 0, 0, null);
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
        boolean sameAs(Entry fresh) {
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

    /** How the cache asks the file system: {@link StaticFiles} does both. */
    interface Lookup {
        /** The whole lookup of a path, with every root and symlink check: what a miss costs. */
        Entry resolve(RequestTarget target);

        /** One stat: whether the path that found {@code file} still names that very file. */
        boolean unchanged(Entry file);

        /** Opens the file an entry describes, proven to be that file under the root. */
        FileChannel open(Entry file) throws IOException;
    }

    private final Lookup files;
    /** Paths to entries, least recently used first; bounded by {@link Limits#FILE_CACHE_ENTRIES}. */
    private final LinkedHashMap<String, Entry> entries;
    /** The entries whose descriptor is open, least recently used first; bounded by {@link #maxChannels}. */
    private final LinkedHashMap<Entry, Entry> open = new LinkedHashMap<>(16, 0.75f, true);

    private final int maxChannels;
    /** How long an entry is trusted before it is checked again. */
    private final long window;
    /** How often the reaper runs: an entry unused for one to two periods is dropped. */
    private final long reapPeriod;
    /** Null for a loop's cache (one thread); model VTHREADS: one lock for its one cache. */
    private final ReentrantLock lock;
    /** When the reaper runs next (System.nanoTime()); only while {@link #reaping}: an empty cache needs no timer. */
    private long nextReap;

    private boolean reaping;

    /** Request-targets as sent, each with its cache key (see {@link Targets}). */
    private final Targets targets = new Targets(Limits.FILE_CACHE_ENTRIES);
    /** How small files' bytes are kept: read into memory of their own, or mapped from the file. */
    private final Config.Bodies bodies;
    /** Bytes of small files this cache may hold; {@link #bodyBytes} are held now (of entries still cached). */
    private final long bodyBudget;

    private long bodyBytes;
    /**
     * Mapped bodies: at most this many mappings at once ({@link #mappings} now). Each small file is
     * a mapping of its own, and the kernel's vm.max_map_count (65,530 by default) bounds them for the
     * whole process, the JVM's own included: past it every mmap fails, the JVM's too. A quarter of
     * it, shared between the caches as the bytes are; past it, files go by sendfile.
     */
    private final long maxMappings;

    private long mappings;

    /** What the cache did, for tests and the chapter's exercises: counted, never logged on the request path. */
    long hits;

    long misses;
    long revalidations;
    long opens;
    long closes;
    long bodiesLoaded;

    FileCache(
            Lookup files,
            int maxEntries,
            int maxChannels,
            Duration window,
            Duration reapPeriod,
            ReentrantLock lock,
            Config.Bodies bodies,
            long bodyBudget) {
        this.bodies = bodies;
        this.bodyBudget = bodyBudget;
        this.maxMappings = maxMapCount() / 4 / Math.max(1, Limits.BODY_CACHE_BYTES / Math.max(1, bodyBudget));
        this.files = files;
        this.maxChannels = maxChannels;
        this.window = window.toNanos();
        this.reapPeriod = reapPeriod.toNanos();
        this.lock = lock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FileCache.Entry> eldest) {
                if (size() > maxEntries) {
                    retire(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * The descriptors one of {@code caches} caches may keep open: a share of the process's limit
     * ({@link Limits#FD_CACHE_SHARE}), at most {@link Limits#FD_CACHE_MAX}. The connections need the
     * rest; the JVM has already raised the soft limit to the hard one.
     */
    static int channelBudget(int caches) {
        long limit = 1024; // the usual soft limit, if the platform will not say
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            limit = os.getMaxFileDescriptorCount();
        }
        return (int) Math.max(1, Math.min(Limits.FD_CACHE_MAX, limit / Limits.FD_CACHE_SHARE / caches));
    }

    /** The cache key: the decoded path, with its trailing slash (a directory and its index are two answers). */
    private static String key(RequestTarget target) {
        String path = String.join("/", target.segments());
        return target.trailingSlash() ? path + "/" : path;
    }

    // tag::fdcache-lookup[]
    /** What the path is: from the cache inside the window, after one stat past it, else from a new lookup. */
    Entry lookup(RequestTarget target) {
        return lookup(key(target), target, null);
    }

    // tag::composer-lookup[]
    /**
     * What the request's target names, or null for a target refused with 400. A target seen before
     * finds its key in {@link #targets} as sent, in its bytes: no String, no decoding, no list.
     */
    Entry lookup(Request req) {
        lock();
        try {
            String key = targets.get(req.buf, req.targetFrom, req.targetTo);
            if (key != null) {
                return lookup(key, null, req);
            }
            RequestTarget target = RequestTarget.parse(req.target());
            if (target == null) {
                return null;
            }
            key = key(target);
            targets.put(req.buf, req.targetFrom, req.targetTo, key);
            return lookup(key, target, req);
        } finally {
            unlock();
        }
    }
    // end::composer-lookup[]

    /** The lookup of {@code key}; {@code target} is decoded from {@code req} only if the file system must be asked. */
    private Entry lookup(String key, RequestTarget target, Request req) {
        lock();
        try {
            long now = System.nanoTime();
            Entry cached = entries.get(key);
            if (cached != null
                    && now - cached.checkedAt < window
                    && (cached.kind != Kind.FILE || cached.channel != null || cached.body != null)) {
                hits++; // nothing to ask: its descriptor or its bytes are the file (or there is no file to open)
                cached.active = true;
                return cached;
            }
            // Past the window, or a file whose descriptor is not open (never opened, or evicted): an
            // open may follow, and it must open the file this entry describes, so check that first.
            if (cached != null && cached.kind == Kind.FILE && files.unchanged(cached)) {
                revalidations++; // one stat: the same file, so the entry (and any open descriptor) stays
                cached.checkedAt = now;
                cached.bodyFailed = false;
                cached.active = true;
                return cached;
            }
            Entry fresh = files.resolve(target != null ? target : RequestTarget.parse(req.target()));
            if (cached != null && cached.sameAs(fresh)) {
                revalidations++; // the same answer (a directory, a 404): keep the entry
                cached.checkedAt = now;
                cached.active = true;
                return cached;
            }
            misses++;
            fresh.checkedAt = now;
            if (key.length() > Limits.MAX_CACHED_PATH) {
                // Not kept: a long path costs its lookup at every request, so that a client that invents
                // long paths cannot fill the cache's bounded count of entries with kilobytes each.
                // Retired from the start, its descriptor (if a response opens one) closes after it.
                fresh.retired = true;
                return fresh;
            }
            Entry replaced = entries.put(key, fresh);
            if (replaced != null) {
                retire(replaced); // changed, deleted or swapped: its descriptor goes once no response uses it
            }
            if (!reaping) {
                reaping = true;
                nextReap = now + reapPeriod;
            }
            return fresh;
        } finally {
            unlock();
        }
    }
    // end::fdcache-lookup[]

    // tag::fdcache-inflight[]
    /**
     * The entry's descriptor, opened on first use, for one response: it stays open at least until
     * that response calls {@link #release}. The lookup just before it checked the file (a hit
     * without a descriptor costs that one stat), so what opens is the file checked, as in stage 03.
     * Out of descriptors, the cache first closes the ones no response is using, then tries once more.
     */
    FileChannel acquire(Entry e) throws IOException {
        lock();
        try {
            if (e.channel == null) {
                if (!e.retired && open.size() >= maxChannels) {
                    evictChannel();
                }
                try {
                    e.channel = files.open(e);
                } catch (IOException ex) {
                    if (!Failures.isOutOfResources(ex) || !closeIdle()) {
                        throw ex;
                    }
                    e.channel = files.open(e);
                }
                opens++;
            }
            if (!e.retired) {
                open.put(e, e); // now the most recently used
            }
            e.inFlight++;
            e.active = true;
            return e.channel;
        } finally {
            unlock();
        }
    }

    /** The response that {@link #acquire}d the descriptor is done with it. */
    void release(Entry e) {
        lock();
        try {
            e.inFlight--;
            if (e.retired && e.inFlight == 0) {
                closeChannel(e);
            }
        } finally {
            unlock();
        }
    }
    // end::fdcache-inflight[]

    // tag::composer-body[]
    /**
     * A small file's bytes, for a response to send right after its head in one write; null for a
     * file that is sent from its descriptor (larger than {@link Limits#SMALL_FILE}, empty, past the
     * budget, or unreadable just now). Loaded at the file's first GET, from the file the lookup just
     * checked (as {@link #acquire} opens it), and kept as long as the entry. Read into memory, it is
     * the file as it was then, so a file changed in place is seen one window later, whole, never half
     * old and half new; mapped, it is the file as it is now (the page cache's pages), as stage 04's
     * descriptor was.
     */
    ByteBuffer body(Entry e) {
        lock();
        try {
            if (e.body != null && bodies == Config.Bodies.MAPPED && !mappingIntact(e)) {
                // A mapping shows the file as it is now: one truncated under it reads as zeros up to the
                // end of its last page, and fails past it. So each response first asks the file's size
                // (a stat: the price of mapping), and a file that shrank is not sent from its mapping:
                // from its descriptor, which stops where the file now ends, and the connection closes
                // short of the promised Content-Length, as stage 04 did; the next check looks it up again.
                dropBody(e);
                e.bodyFailed = true;
                return null;
            }
            if (e.body == null
                    && !e.retired
                    && !e.bodyFailed
                    && e.size > 0
                    && e.size <= Limits.SMALL_FILE
                    && bodyBytes + e.size <= bodyBudget
                    && (bodies != Config.Bodies.MAPPED || mappings < maxMappings)) {
                e.body = load(e);
                e.bodyFailed = e.body == null;
                if (e.body != null) {
                    bodyBytes += e.size;
                    mappings += bodies == Config.Bodies.MAPPED ? 1 : 0;
                    bodiesLoaded++;
                }
            }
            return e.body;
        } finally {
            unlock();
        }
    }

    /**
     * The cache lets an entry's bytes go. A connection that keeps a view of them (to answer its
     * next request from them) keeps them alive: they stay counted in the budget until it lets go
     * (see {@link #unview}), so that idle connections cannot hold bytes the budget no longer sees.
     */
    private void dropBody(Entry e) {
        if (e.body == null) {
            return;
        }
        e.body = null;
        mappings -= bodies == Config.Bodies.MAPPED ? 1 : 0; // unmapped once the buffer is collected: hence the margin
        if (e.viewers > 0) {
            e.bodyHeld = true;
        } else {
            bodyBytes -= e.size;
        }
    }

    /** A connection keeps a view of the entry's bytes between its requests. */
    void view(Entry e) {
        lock();
        try {
            e.viewers++;
        } finally {
            unlock();
        }
    }

    /** The connection lets its view of the entry's bytes go. */
    void unview(Entry e) {
        lock();
        try {
            if (--e.viewers == 0 && e.bodyHeld) {
                e.bodyHeld = false;
                bodyBytes -= e.size;
            }
        } finally {
            unlock();
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
    private static boolean mappingIntact(Entry e) {
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
     * the lookup just checked, as {@link #acquire} opens it; that descriptor is closed again, as a
     * small file's bytes need none.
     */
    private ByteBuffer load(Entry e) {
        int size = (int) e.size;
        try {
            if (e.channel != null) {
                return load(e.channel, size);
            }
            try (FileChannel ch = files.open(e)) {
                opens++;
                closes++;
                return load(ch, size);
            }
        } catch (IOException | RuntimeException | OutOfMemoryError ex) {

            // Out of descriptors, gone, or out of direct memory or mappings: send from a descriptor.
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
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                return null; // shorter than the lookup said: the descriptor path copes (it closes)
            }
        }
        return b.flip();
    }
    // end::composer-body[]

    // tag::fdcache-reaper[]
    /**
     * Warp's reaper pass, on the loop's timer: an entry used since the last pass becomes inactive,
     * one still inactive goes, its descriptor closed. One a response sends from stays, whatever its mark.
     */
    void reap(long now) {
        lock();
        try {
            if (!reaping || now - nextReap < 0) {
                return;
            }
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.inFlight > 0) {
                    continue;
                }
                if (e.active) {
                    e.active = false;
                } else {
                    it.remove();
                    retire(e);
                }
            }
            reaping = !entries.isEmpty();
            nextReap = now + reapPeriod;
        } finally {
            unlock();
        }
    }
    // end::fdcache-reaper[]

    /**
     * Nanoseconds until {@link #reap} has work, for the loop's select timeout; Long.MAX_VALUE when the cache is empty.
     */
    long nanosToReap(long now) {
        lock();
        try {
            return reaping ? nextReap - now : Long.MAX_VALUE;
        } finally {
            unlock();
        }
    }

    /** Paths cached, and descriptors kept open (those of retired entries still sending included). */
    int size() {
        return entries.size();
    }

    int openChannels() {
        return open.size();
    }

    /** Request-targets remembered as spelt. */
    int targetsRemembered() {
        lock();
        try {
            return targets.size();
        } finally {
            unlock();
        }
    }

    /** The server stops: every descriptor is closed (the connections that used them are closed first). */
    void close() {
        lock();
        try {
            for (Entry e : entries.values()) {
                e.retired = true;
                closeChannel(e);
            }
            for (Entry e : open.keySet().toArray(Entry[]::new)) {
                closeChannel(e);
            }
            entries.clear();
            targets.clear();
            bodyBytes = 0;
            reaping = false;
        } finally {
            unlock();
        }
    }

    private void retire(Entry e) {
        e.retired = true;
        dropBody(e);
        open.remove(e); // not the cache's any more: only its responses keep its descriptor
        if (e.inFlight == 0) {
            closeChannel(e);
        }
    }

    /** At the descriptor bound: the least recently used descriptor that no response is using is closed. */
    private void evictChannel() {
        for (Entry e : open.keySet()) {
            if (e.inFlight == 0) {
                closeChannel(e);
                return;
            }
        }
        // every cached descriptor is sending a response: this one goes over the bound until one is done
    }

    /** Out of descriptors: closes every cached one that no response is using; false if there was none. */
    private boolean closeIdle() {
        boolean any = false;
        for (Entry e : open.keySet().toArray(Entry[]::new)) {
            if (e.inFlight == 0) {
                closeChannel(e);
                any = true;
            }
        }
        return any;
    }

    private void closeChannel(Entry e) {
        open.remove(e);
        if (e.channel != null) {
            try {
                e.channel.close();
            } catch (IOException ignored) {
                // the descriptor is released either way
            }
            e.channel = null;
            closes++;
        }
    }

    private void lock() {
        if (lock != null) {
            lock.lock();
        }
    }

    private void unlock() {
        if (lock != null) {
            lock.unlock();
        }
    }

    // tag::composer-targets[]
    /**
     * Request-targets as the client spelt them, each with the cache key its decoding gave. Decoding
     * a target (percent escapes, UTF-8, dot segments) is a pure function of its bytes, so it runs
     * once per spelling, not once per request: a hit hashes and compares the bytes where they lie.
     * An open-addressing table of arrays, since a map keyed by an object would need a key object per
     * request. Bounded: past {@code max} spellings it starts again empty (a client that invents
     * targets costs a decoding each, as every request did in stage 04); a target longer than
     * {@link Limits#MEMO_TARGET} is decoded every time rather than kept.
     */
    static final class Targets {
        /**
         * The hash's multiplier, odd and drawn once per process: with a fixed one (String's 31) a
         * client can compute thousands of targets with one hash ("Aa" and "BB" collide under 31)
         * and make every probe walk all of them.
         */
        private static final int MULTIPLIER = new java.util.SplittableRandom().nextInt() | 1;
        /** Slots a lookup may probe; a target that would need more is not kept (a flood finds a short table). */
        private static final int MAX_PROBES = 8;

        private final byte[][] raw;
        private final String[] keys;
        private final int max;
        private int size;

        Targets(int max) {
            this.max = max;
            int capacity = Integer.highestOneBit(max * 2 - 1) << 1; // a power of two, at most half full
            raw = new byte[capacity][];
            keys = new String[capacity];
        }

        String get(byte[] buf, int from, int to) {
            int mask = raw.length - 1;
            int i = hash(buf, from, to) & mask;
            for (int probe = 0; probe < MAX_PROBES; probe++, i = (i + 1) & mask) {
                byte[] r = raw[i];
                if (r == null) {
                    return null;
                }
                if (Arrays.equals(r, 0, r.length, buf, from, to)) {
                    return keys[i];
                }
            }
            return null;
        }

        void put(byte[] buf, int from, int to, String key) {
            if (to - from > Limits.MEMO_TARGET) {
                return;
            }
            if (get(buf, from, to) != null) {
                return;
            }
            if (size >= max) {
                clear();
            }
            int mask = raw.length - 1;
            int i = hash(buf, from, to) & mask;
            for (int probe = 0; raw[i] != null; probe++, i = (i + 1) & mask) {
                if (probe == MAX_PROBES - 1) {
                    return; // a crowded neighbourhood: decoded at every request rather than slowing every lookup
                }
            }
            raw[i] = Arrays.copyOfRange(buf, from, to);
            keys[i] = key;
            size++;
        }

        void clear() {
            Arrays.fill(raw, null);
            Arrays.fill(keys, null);
            size = 0;
        }

        int size() {
            return size;
        }

        private static int hash(byte[] buf, int from, int to) {
            int h = 1;
            for (int i = from; i < to; i++) {
                h = MULTIPLIER * h + buf[i];
            }
            return h ^ (h >>> 16); // the table uses the low bits: fold the high ones in
        }
    }
    // end::composer-targets[]
}
