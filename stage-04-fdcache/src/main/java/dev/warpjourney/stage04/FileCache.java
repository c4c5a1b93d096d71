package dev.warpjourney.stage04;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
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

        private Entry(
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
        static Entry file(Path real, Path requested, PosixFileAttributes attrs) {
            return new Entry(
                    Kind.FILE,
                    real,
                    requested,
                    attrs.permissions(),
                    attrs.fileKey(),
                    attrs.size(),
                    attrs.lastModifiedTime().toMillis());
        }

        /** A directory (asked for without its slash), nothing to serve, or a refusal. */
        static Entry of(Kind kind) {
            return new Entry(kind, null, null, null, null, 0, 0);
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
                            && permissions.equals(fresh.permissions));
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

    /** What the cache did, for tests and the chapter's exercises: counted, never logged on the request path. */
    long hits;

    long misses;
    long revalidations;
    long opens;
    long closes;

    FileCache(Lookup files, int maxEntries, int maxChannels, Duration window, Duration reapPeriod, ReentrantLock lock) {
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
        lock();
        try {
            String key = key(target);
            long now = System.nanoTime();
            Entry cached = entries.get(key);
            if (cached != null
                    && now - cached.checkedAt < window
                    && (cached.kind != Kind.FILE || cached.channel != null)) {
                hits++; // nothing to ask: its descriptor is the file (or there is no file to open)
                cached.active = true;
                return cached;
            }
            // Past the window, or a file whose descriptor is not open (never opened, or evicted): an
            // open may follow, and it must open the file this entry describes, so check that first.
            if (cached != null && cached.kind == Kind.FILE && files.unchanged(cached)) {
                revalidations++; // one stat: the same file, so the entry (and any open descriptor) stays
                cached.checkedAt = now;
                cached.active = true;
                return cached;
            }
            Entry fresh = files.resolve(target);
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
            reaping = false;
        } finally {
            unlock();
        }
    }

    private void retire(Entry e) {
        e.retired = true;
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
}
