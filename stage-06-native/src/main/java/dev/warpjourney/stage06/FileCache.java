package dev.warpjourney.stage06;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * response still sends from it is {@link FileEntry#inFlight}, a plain count: a cache belongs to one
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
 * VTHREADS shares one cache between all its virtual threads: there every method takes its {@link Guard}'s lock.
 */
final class FileCache {

    /** How the cache asks the file system: {@link StaticFiles} does both. */
    interface Lookup {
        /** The whole lookup of a path, with every root and symlink check: what a miss costs. */
        FileEntry resolve(RequestTarget target);

        /** One stat: whether the path that found {@code file} still names that very file. */
        boolean unchanged(FileEntry file);

        /** Opens the file an entry describes, proven to be that file under the root. */
        FileChannel open(FileEntry file) throws IOException;

        /** The same, as a bare descriptor, with the calling loop's {@code linux}: for sendfile. */
        int openDescriptor(FileEntry file, Linux linux) throws IOException;
    }

    private final Lookup files;
    /** The owning loop's calls, which open bare descriptors; null in model VTHREADS, whose cache opens channels. */
    private final Linux linux;
    /** Paths to entries, least recently used first; bounded by {@link Limits#FILE_CACHE_ENTRIES}. */
    private final LinkedHashMap<String, FileEntry> entries;
    /** The entries whose descriptor is open, least recently used first; bounded by {@link #maxChannels}. */
    private final LinkedHashMap<FileEntry, FileEntry> open = new LinkedHashMap<>(16, 0.75f, true);

    private final int maxChannels;
    /** How long an entry is trusted before it is checked again. */
    private final long window;
    /** How often the reaper runs: an entry unused for one to two periods is dropped. */
    private final long reapPeriod;
    /** Nothing for a loop's cache (one thread); model VTHREADS: one lock for its one cache. */
    private final Guard guard;
    /** When the reaper runs next (System.nanoTime()); only while {@link #reaping}: an empty cache needs no timer. */
    private long nextReap;

    private boolean reaping;

    /** Request-targets as sent, each with its cache key (see {@link TargetMemo}). */
    private final TargetMemo targets = new TargetMemo(Limits.FILE_CACHE_ENTRIES);
    /** Small files' bytes, kept with their entries (see {@link SmallBodies}). */
    private final SmallBodies smallBodies;

    /** What the cache did, for tests and the chapter's exercises: counted, never logged on the request path. */
    long hits;

    long misses;
    long revalidations;
    long opens;
    long closes;

    FileCache(
            Lookup files,
            int maxEntries,
            int maxChannels,
            Duration window,
            Duration reapPeriod,
            Guard guard,
            Config.Bodies bodies,
            long bodyBudget) {
        this(files, maxEntries, maxChannels, window, reapPeriod, guard, bodies, bodyBudget, null);
    }

    /** With {@code linux}, an event loop's: the cache opens bare descriptors with the loop's calls (see {@link #acquireDescriptor}). */
    FileCache(
            Lookup files,
            int maxEntries,
            int maxChannels,
            Duration window,
            Duration reapPeriod,
            Guard guard,
            Config.Bodies bodies,
            long bodyBudget,
            Linux linux) {
        this.linux = linux;
        this.smallBodies = new SmallBodies(bodies, bodyBudget);
        this.files = files;
        this.maxChannels = maxChannels;
        this.window = window.toNanos();
        this.reapPeriod = reapPeriod.toNanos();
        this.guard = guard;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FileEntry> eldest) {
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
    FileEntry lookup(RequestTarget target) {
        return lookup(key(target), target, null);
    }

    // tag::composer-lookup[]
    /**
     * What the request's target names, or null for a target refused with 400. A target seen before
     * finds its key in {@link #targets} as sent, in its bytes: no String, no decoding, no list.
     */
    FileEntry lookup(Request req) {
        guard.lock();
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
            guard.unlock();
        }
    }
    // end::composer-lookup[]

    /** The lookup of {@code key}; {@code target} is decoded from {@code req} only if the file system must be asked. */
    private FileEntry lookup(String key, RequestTarget target, Request req) {
        guard.lock();
        try {
            long now = System.nanoTime();
            FileEntry cached = entries.get(key);
            if (cached != null
                    && now - cached.checkedAt < window
                    && (cached.kind != FileEntry.Kind.FILE || isOpen(cached) || cached.body != null)) {
                hits++; // nothing to ask: its descriptor or its bytes are the file (or there is no file to open)
                cached.active = true;
                return cached;
            }
            // Past the window, or a file whose descriptor is not open (never opened, or evicted): an
            // open may follow, and it must open the file this entry describes, so check that first.
            if (cached != null && cached.kind == FileEntry.Kind.FILE && files.unchanged(cached)) {
                revalidations++; // one stat: the same file, so the entry (and any open descriptor) stays
                cached.checkedAt = now;
                cached.bodyFailed = false;
                cached.active = true;
                return cached;
            }
            FileEntry fresh = files.resolve(target != null ? target : RequestTarget.parse(req.target()));
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
            FileEntry replaced = entries.put(key, fresh);
            if (replaced != null) {
                retire(replaced); // changed, deleted or swapped: its descriptor goes once no response uses it
            }
            if (!reaping) {
                reaping = true;
                nextReap = now + reapPeriod;
            }
            return fresh;
        } finally {
            guard.unlock();
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
    FileChannel acquire(FileEntry e) throws IOException {
        guard.lock();
        try {
            take(e);
            return e.channel;
        } finally {
            guard.unlock();
        }
    }

    /** {@link #acquire} in an event loop's cache: the open file as a bare descriptor, for sendfile. */
    int acquireDescriptor(FileEntry e) throws IOException {
        guard.lock();
        try {
            take(e);
            return e.descriptor;
        } finally {
            guard.unlock();
        }
    }

    private void take(FileEntry e) throws IOException {
        if (!isOpen(e)) {
            if (!e.retired && open.size() >= maxChannels) {
                evictChannel();
            }
            try {
                open(e);
            } catch (IOException ex) {
                if (!Failures.isOutOfResources(ex) || !closeIdle()) {
                    throw ex;
                }
                open(e);
            }
            opens++;
        }
        if (!e.retired) {
            open.put(e, e); // now the most recently used
        }
        e.inFlight++;
        e.active = true;
    }

    private void open(FileEntry e) throws IOException {
        if (linux != null) {
            e.descriptor = files.openDescriptor(e, linux);
        } else {
            e.channel = files.open(e);
        }
    }

    private static boolean isOpen(FileEntry e) {
        return e.channel != null || e.descriptor >= 0;
    }

    /** The response that {@link #acquire}d the descriptor is done with it. */
    void release(FileEntry e) {
        guard.lock();
        try {
            e.inFlight--;
            if (e.retired && e.inFlight == 0) {
                closeChannel(e);
            }
        } finally {
            guard.unlock();
        }
    }
    // end::fdcache-inflight[]

    // tag::composer-body-cache[]
    /**
     * A small file's bytes, for a response to send right after its head in one write; null for a file that is sent
     * from its descriptor (see {@link SmallBodies#body}).
     */
    ByteBuffer body(FileEntry e) {
        guard.lock();
        try {
            return smallBodies.body(e, files);
        } finally {
            guard.unlock();
        }
    }
    // end::composer-body-cache[]

    /** The small files' bytes, for tests that count what they did. */
    SmallBodies smallBodies() {
        return smallBodies;
    }

    /** A connection keeps a view of the entry's bytes between its requests. */
    void view(FileEntry e) {
        guard.lock();
        try {
            smallBodies.view(e);
        } finally {
            guard.unlock();
        }
    }

    /** The connection lets its view of the entry's bytes go. */
    void unview(FileEntry e) {
        guard.lock();
        try {
            smallBodies.unview(e);
        } finally {
            guard.unlock();
        }
    }

    // tag::fdcache-reaper[]
    /**
     * Warp's reaper pass, on the loop's timer: an entry used since the last pass becomes inactive,
     * one still inactive goes, its descriptor closed. One a response sends from stays, whatever its mark.
     * Returns what the pass did, or null when no pass was due.
     */
    Pass reap(long now) {
        guard.lock();
        try {
            if (!reaping || now - nextReap < 0) {
                return null;
            }
            int before = entries.size();
            int marked = 0;
            int spared = 0;
            Iterator<FileEntry> it = entries.values().iterator();
            while (it.hasNext()) {
                FileEntry e = it.next();
                if (e.inFlight > 0) {
                    spared++;
                    continue;
                }
                if (e.active) {
                    e.active = false;
                    marked++;
                } else {
                    it.remove();
                    retire(e);
                }
            }
            Pass pass = new Pass(now - nextReap, before, marked, before - entries.size(), spared);
            reaping = !entries.isEmpty();
            nextReap = now + reapPeriod;
            return pass;
        } finally {
            guard.unlock();
        }
    }
    // end::fdcache-reaper[]

    /**
     * What one reaper pass did: how late it ran after it was due, the entries it found, those it marked inactive (used
     * since the last pass), those it dropped (unused for a whole period) and those it spared (a response sending).
     */
    record Pass(long lateNanos, int entries, int marked, int dropped, int spared) {
        @Override
        public String toString() {
            return "reaper pass at " + System.currentTimeMillis() + " ms: " + lateNanos / 1_000_000 + " ms late, "
                    + entries + " entries, " + marked + " marked inactive, " + dropped + " dropped, " + spared
                    + " spared in flight";
        }
    }

    // tag::fdcache-reaper-log[]
    /**
     * With {@code -Dstage06.reaper.log=true}, every reaper pass is a line on stderr: how late it ran, what it
     * dropped. A diagnostic, once a period, never on the request path: it is how chapter 04 found out whether a
     * reaper that must wait for a carrier thread runs on time when the carriers are busy.
     */
    static final boolean LOG_PASSES = Boolean.getBoolean("stage06.reaper.log");

    static void log(String who, Pass pass) {
        if (pass != null && LOG_PASSES) {
            System.err.println(who + ": " + pass);
        }
    }
    // end::fdcache-reaper-log[]

    /**
     * Nanoseconds until {@link #reap} has work, for the loop's select timeout; Long.MAX_VALUE when the cache is empty.
     */
    long nanosToReap(long now) {
        guard.lock();
        try {
            return reaping ? nextReap - now : Long.MAX_VALUE;
        } finally {
            guard.unlock();
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
        guard.lock();
        try {
            return targets.size();
        } finally {
            guard.unlock();
        }
    }

    /** The server stops: every descriptor is closed (the connections that used them are closed first). */
    void close() {
        guard.lock();
        try {
            for (FileEntry e : entries.values()) {
                e.retired = true;
                closeChannel(e);
            }
            for (FileEntry e : open.keySet().toArray(FileEntry[]::new)) {
                closeChannel(e);
            }
            entries.clear();
            targets.clear();
            smallBodies.clear();
            reaping = false;
        } finally {
            guard.unlock();
        }
    }

    private void retire(FileEntry e) {
        e.retired = true;
        smallBodies.drop(e);
        open.remove(e); // not the cache's any more: only its responses keep its descriptor
        if (e.inFlight == 0) {
            closeChannel(e);
        }
    }

    /** At the descriptor bound: the least recently used descriptor that no response is using is closed. */
    private void evictChannel() {
        for (FileEntry e : open.keySet()) {
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
        for (FileEntry e : open.keySet().toArray(FileEntry[]::new)) {
            if (e.inFlight == 0) {
                closeChannel(e);
                any = true;
            }
        }
        return any;
    }

    private void closeChannel(FileEntry e) {
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
        if (e.descriptor >= 0) {
            linux.close(e.descriptor);
            e.descriptor = -1;
            closes++;
        }
    }
}
