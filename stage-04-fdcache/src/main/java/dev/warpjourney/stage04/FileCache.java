package dev.warpjourney.stage04;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * What the server remembers of the document root between requests: for each request path, what
 * its lookup found (a file with its size, dates and ETag, a directory, nothing, or a refusal), and
 * for a file, its descriptor, kept open. A hit costs no system call at all: no readlink, access or
 * statx for the lookup, no openat, fstat or close for the body. Warp has the same two caches (its
 * file-info cache and its fd cache), nginx has {@code open_file_cache}.
 *
 * <p><b>Freshness.</b> An entry is trusted for {@link #window} after the lookup it reflects. The
 * first request after that looks the path up again, with every root and symlink check of a miss,
 * and keeps the entry (and its open descriptor) only if it is still the same file: same file key
 * (device and inode), size and modification time. So whatever happens to a file, a response
 * reflects the file system as it was at most one window earlier; and as a cached descriptor is
 * the file it was opened on, a name swapped for a symlink to {@code /etc/passwd} serves the old
 * file's bytes inside the window and 404 after it, never a byte from outside the root.
 *
 * <p><b>Lifetime.</b> Warp's reaper, without its thread: every window the loop's own timer calls
 * {@link #reap}; an entry used since the last pass is marked inactive, one still inactive (unused
 * for a whole window) is dropped and its descriptor closed. What keeps a descriptor open while a
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
    enum Kind { FILE, DIRECTORY, MISSING, FORBIDDEN }

    /** One path's lookup, as the file system answered it at {@link #checkedAt}. */
    static final class Entry {
        final Kind kind;
        /** FILE: the real path, under the root; what the descriptor is opened on. Null otherwise. */
        final Path file;
        /** FILE: the file key (device and inode): a file replaced by a new one, even of the same size and date, is another file. */
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

        private Entry(Kind kind, Path file, Object identity, long size, long mtimeMillis) {
            this.kind = kind;
            this.file = file;
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

        /** A regular file, readable, under the root. */
        static Entry file(Path real, BasicFileAttributes attrs) {
            return new Entry(Kind.FILE, real, attrs.fileKey(), attrs.size(), attrs.lastModifiedTime().toMillis());
        }

        /** A directory (asked for without its slash), nothing to serve, or a refusal. */
        static Entry of(Kind kind) {
            return new Entry(kind, null, null, 0, 0);
        }

        /** Whether a new lookup found the very thing this entry describes, so that it (and its descriptor) can stay. */
        boolean sameAs(Entry fresh) {
            if (kind != fresh.kind) {
                return false;
            }
            return kind != Kind.FILE || (file.equals(fresh.file) && identity != null && identity.equals(fresh.identity)
                    && size == fresh.size && mtimeMillis == fresh.mtimeMillis);
        }
    }

    /** The lookup of a miss: {@link StaticFiles#resolve}, with every root and symlink check. */
    private final Function<RequestTarget, Entry> resolver;
    /** Paths to entries, least recently used first; bounded by {@link Limits#FILE_CACHE_ENTRIES}. */
    private final LinkedHashMap<String, Entry> entries;
    /** The entries whose descriptor is open, least recently used first; bounded by {@link #maxChannels}. */
    private final LinkedHashMap<Entry, Entry> open = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxChannels;
    /** How long an entry is trusted, and the reaper's period. */
    private final long window;
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

    FileCache(Function<RequestTarget, Entry> resolver, int maxEntries, int maxChannels, Duration window, ReentrantLock lock) {
        this.resolver = resolver;
        this.maxChannels = maxChannels;
        this.window = window.toNanos();
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
    /** What the path is: from the cache inside the window, else from a new lookup. */
    Entry lookup(RequestTarget target) {
        lock();
        try {
            String key = key(target);
            long now = System.nanoTime();
            Entry cached = entries.get(key);
            if (cached != null && now - cached.checkedAt < window) {
                hits++;
                cached.active = true;
                return cached;
            }
            Entry fresh = resolver.apply(target);
            if (cached != null && cached.sameAs(fresh)) {
                revalidations++; // the same file: keep the entry and its open descriptor
                cached.checkedAt = now;
                cached.active = true;
                return cached;
            }
            misses++;
            fresh.checkedAt = now;
            Entry replaced = entries.put(key, fresh);
            if (replaced != null) {
                retire(replaced); // changed, deleted or swapped: its descriptor goes once no response uses it
            }
            if (!reaping) {
                reaping = true;
                nextReap = now + window;
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
     * that response calls {@link #release}. Out of descriptors, the cache first closes the ones no
     * response is using, then tries once more.
     */
    FileChannel acquire(Entry e) throws IOException {
        lock();
        try {
            if (e.channel == null) {
                if (!e.retired && open.size() >= maxChannels) {
                    evictChannel();
                }
                try {
                    e.channel = FileChannel.open(e.file, StandardOpenOption.READ);
                } catch (IOException ex) {
                    if (!Loop.isOutOfResources(ex) || !closeIdle()) {
                        throw ex;
                    }
                    e.channel = FileChannel.open(e.file, StandardOpenOption.READ);
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
            nextReap = now + window;
        } finally {
            unlock();
        }
    }
    // end::fdcache-reaper[]

    /** Nanoseconds until {@link #reap} has work, for the loop's select timeout; Long.MAX_VALUE when the cache is empty. */
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
    boolean closeIdleChannels() {
        lock();
        try {
            return closeIdle();
        } finally {
            unlock();
        }
    }

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
