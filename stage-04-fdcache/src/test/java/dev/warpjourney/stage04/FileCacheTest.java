package dev.warpjourney.stage04;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file cache alone: hits, revalidation, retirement, the reaper, the bounds, with real files. */
class FileCacheTest {

    @TempDir
    Path root;

    private StaticFiles files;
    /** How many whole lookups, and how many one-stat checks, reached the file system. */
    private final AtomicInteger resolved = new AtomicInteger();

    private final AtomicInteger checked = new AtomicInteger();
    /** Makes the one-stat check say "changed" whatever the file is (a stat that failed for a moment, say). */
    private final AtomicBoolean statDisagrees = new AtomicBoolean();

    @BeforeEach
    void files() throws IOException {
        Files.writeString(root.resolve("a.txt"), "aaa");
        Files.writeString(root.resolve("b.txt"), "bbbb");
        Files.writeString(root.resolve("c.txt"), "ccccc");
        files = new StaticFiles(root);
    }

    private FileCache cache(int maxEntries, int maxChannels, Duration window) {
        return cache(maxEntries, maxChannels, window, window);
    }

    private FileCache cache(int maxEntries, int maxChannels, Duration window, Duration reapPeriod) {
        FileCache.Lookup counting = new FileCache.Lookup() {
            @Override
            public FileEntry resolve(RequestTarget target) {
                resolved.incrementAndGet();
                return files.resolve(target);
            }

            @Override
            public boolean unchanged(FileEntry file) {
                checked.incrementAndGet();
                return !statDisagrees.get() && files.unchanged(file);
            }

            @Override
            public java.nio.channels.FileChannel open(FileEntry file) throws IOException {
                return files.open(file);
            }
        };
        return new FileCache(counting, maxEntries, maxChannels, window, reapPeriod, Guard.NONE);
    }

    private static RequestTarget target(String path) {
        return RequestTarget.parse(path);
    }

    @Test
    void insideTheWindowAHitTouchesNoFile() throws IOException {
        FileCache cache = cache(16, 16, Duration.ofHours(1));
        FileEntry first = cache.lookup(target("/a.txt"));
        cache.acquire(first); // its descriptor is open from here on
        cache.release(first);
        FileEntry second = cache.lookup(target("/a.txt"));
        assertThat(second).isSameAs(first);
        assertThat(first.kind).isEqualTo(FileEntry.Kind.FILE);
        assertThat(first.size).isEqualTo(3);
        assertThat(first.contentType).startsWith("text/plain");
        assertThat(resolved.get()).isEqualTo(1);
        assertThat(checked.get()).isZero();
        assertThat(cache.hits).isEqualTo(1);
        assertThat(cache.misses).isEqualTo(1);
    }

    @Test
    void insideTheWindowAFileWithoutADescriptorIsCheckedBeforeItMayBeOpened() {
        FileCache cache = cache(16, 16, Duration.ofHours(1));
        FileEntry first = cache.lookup(target("/a.txt")); // a HEAD, say: nothing opened
        assertThat(cache.lookup(target("/a.txt"))).isSameAs(first);
        assertThat(checked.get()).as("one stat, since an open may follow").isEqualTo(1);
        assertThat(resolved.get()).isEqualTo(1);
    }

    @Test
    void aDirectoryAndItsIndexAreTwoKeys() throws IOException {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/index.html"), "<p>");
        FileCache cache = cache(16, 16, Duration.ofHours(1));
        assertThat(cache.lookup(target("/d")).kind).isEqualTo(FileEntry.Kind.DIRECTORY);
        assertThat(cache.lookup(target("/d/")).kind).isEqualTo(FileEntry.Kind.FILE);
        assertThat(cache.lookup(target("/a.txt/")).kind).isEqualTo(FileEntry.Kind.MISSING);
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void aMissingFileIsRememberedForTheWindowOnly() throws Exception {
        FileCache cache = cache(16, 16, Duration.ofMillis(200));
        assertThat(cache.lookup(target("/new.txt")).kind).isEqualTo(FileEntry.Kind.MISSING);
        Files.writeString(root.resolve("new.txt"), "new");
        assertThat(cache.lookup(target("/new.txt")).kind)
                .as("inside the window")
                .isEqualTo(FileEntry.Kind.MISSING);
        Thread.sleep(300);
        assertThat(cache.lookup(target("/new.txt")).kind).as("after it").isEqualTo(FileEntry.Kind.FILE);
    }

    @Test
    void afterTheWindowTheSameFileCostsOneStatAndKeepsItsDescriptor() throws IOException {
        FileCache cache = cache(16, 16, Duration.ZERO); // every lookup checks
        FileEntry e = cache.lookup(target("/a.txt"));
        FileChannel ch = cache.acquire(e); // opening checks too: the entry may be a window old
        cache.release(e);
        assertThat(cache.lookup(target("/a.txt"))).isSameAs(e);
        assertThat(cache.acquire(e)).isSameAs(ch);
        cache.release(e);
        assertThat(ch.isOpen()).isTrue();
        assertThat(cache.revalidations).isEqualTo(1);
        assertThat(cache.opens).isEqualTo(1);
        assertThat(resolved.get()).as("whole lookups").isEqualTo(1);
        assertThat(checked.get()).as("one-stat checks: the second lookup's").isEqualTo(1);
    }

    @Test
    void aChmodIsAChange() throws IOException {
        FileCache cache = cache(16, 16, Duration.ZERO);
        FileEntry e = cache.lookup(target("/a.txt"));
        Files.setPosixFilePermissions(
                root.resolve("a.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        FileEntry again = cache.lookup(target("/a.txt"));
        assertThat(again).isNotSameAs(e);
        assertThat(e.retired).isTrue();
    }

    @Test
    void aFileSwappedInsideTheWindowIsNeverOpenedThroughItsOldEntry() throws IOException {
        FileCache cache = cache(16, 16, Duration.ofHours(1));
        FileEntry e = cache.lookup(target("/a.txt")); // looked up (a HEAD, say), never opened
        Path outside = Files.createTempFile("outside", ".txt"); // not under the root
        try {
            Files.writeString(outside, "secret");
            Path link = root.resolve(".link");
            Files.createSymbolicLink(link, outside);
            Files.move(
                    link, root.resolve("a.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // Inside the window, but no descriptor holds the old file: the lookup checks before an open can follow.
            assertThat(cache.lookup(target("/a.txt")).kind)
                    .as("looked up anew: outside the root")
                    .isEqualTo(FileEntry.Kind.MISSING);
            assertThat(e.retired).isTrue();
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aReplacedFileRetiresItsEntryButNotADescriptorInUse() throws IOException {
        FileCache cache = cache(16, 16, Duration.ZERO);
        FileEntry old = cache.lookup(target("/a.txt"));
        FileChannel sending = cache.acquire(old); // a response is sending from it
        Path tmp = root.resolve(".a.tmp");
        Files.writeString(tmp, "AAA"); // same size: only the file key tells them apart (and perhaps the mtime)
        Files.move(tmp, root.resolve("a.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileEntry fresh = cache.lookup(target("/a.txt"));
        assertThat(fresh).isNotSameAs(old);
        assertThat(old.retired).isTrue();
        assertThat(sending.isOpen()).as("still sending").isTrue();
        cache.reap(System.nanoTime() + Duration.ofHours(1).toNanos());
        assertThat(sending.isOpen()).as("the reaper leaves it too").isTrue();
        cache.release(old);
        assertThat(sending.isOpen()).as("closed once its response is done").isFalse();
        assertThat(cache.acquire(fresh)).isNotSameAs(sending);
        cache.release(fresh);
    }

    @Test
    void theReaperMarksThenClosesAndSparesWhatIsInFlight() throws IOException {
        FileCache cache = cache(16, 16, Duration.ofHours(1), Duration.ofMillis(10));
        FileEntry idle = cache.lookup(target("/a.txt"));
        FileChannel idleChannel = cache.acquire(idle);
        cache.release(idle);
        FileEntry busy = cache.lookup(target("/b.txt"));
        FileChannel busyChannel = cache.acquire(busy);
        long t = System.nanoTime();
        assertThat(cache.nanosToReap(t))
                .isLessThanOrEqualTo(Duration.ofMillis(10).toNanos());
        FileCache.Pass first = cache.reap(t + Duration.ofMillis(20).toNanos()); // used since: marked inactive only
        assertThat(idleChannel.isOpen()).isTrue();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(first.entries()).isEqualTo(2);
        assertThat(first.marked())
                .as("the idle one; the busy one is spared, not marked")
                .isEqualTo(1);
        assertThat(first.spared()).isEqualTo(1);
        assertThat(first.dropped()).isZero();
        assertThat(first.lateNanos()).isBetween(0L, Duration.ofMillis(20).toNanos());
        assertThat(first.toString()).contains("1 marked inactive, 0 dropped, 1 spared in flight");
        FileCache.Pass second = cache.reap(t + Duration.ofMillis(40).toNanos()); // unused for a whole period: gone
        assertThat(second.dropped()).isEqualTo(1);
        assertThat(second.spared()).isEqualTo(1);
        assertThat(cache.reap(t + Duration.ofMillis(41).toNanos()))
                .as("not due: no pass")
                .isNull();
        assertThat(idleChannel.isOpen()).isFalse();
        assertThat(cache.size()).isEqualTo(1);
        for (int i = 3; i < 10; i++) {
            cache.reap(t + Duration.ofMillis(20L * i).toNanos());
        }
        assertThat(busyChannel.isOpen())
                .as("a response in flight across many periods")
                .isTrue();
        cache.release(busy);
        cache.reap(t + Duration.ofMillis(300).toNanos());
        cache.reap(t + Duration.ofMillis(320).toNanos());
        assertThat(busyChannel.isOpen()).isFalse();
        assertThat(cache.size()).isZero();
        assertThat(cache.nanosToReap(t)).as("an empty cache needs no timer").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theReaperPassesOncePerPeriodHoweverOftenItIsCalled() throws IOException {
        Duration period = Duration.ofHours(1); // only the times handed to reap count, not the clock
        FileCache cache = cache(16, 16, Duration.ofHours(1), period);
        long now = System.nanoTime();
        FileEntry a = cache.lookup(target("/a.txt")); // the first entry starts the timer
        FileChannel channel = cache.acquire(a);
        cache.release(a);
        long due = now + cache.nanosToReap(now);
        assertThat(due - now).as("the first pass is a period away").isGreaterThan(period.toNanos() / 2);
        cache.reap(due - 1); // not yet due: nothing happens
        assertThat(a.active).isTrue();
        cache.reap(due); // due: a was used since, so it is only marked
        assertThat(a.active).isFalse();
        cache.reap(due + 1);
        cache.reap(due + period.toNanos() - 1); // the next pass is a whole period after this one
        assertThat(cache.size())
                .as("dropped only when unused for a whole period")
                .isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
        cache.reap(due + period.toNanos());
        assertThat(cache.size()).isZero();
        assertThat(channel.isOpen()).isFalse();
        assertThat(cache.closes).isEqualTo(1);
    }

    @Test
    void aStatThatDisagreesButALookupThatFindsTheSameFileKeepsTheEntryAndItsDescriptor() throws IOException {
        FileCache cache = cache(16, 16, Duration.ZERO); // every lookup is past the window
        FileEntry first = cache.lookup(target("/a.txt"));
        FileChannel channel = cache.acquire(first);
        cache.release(first);
        statDisagrees.set(true);
        assertThat(cache.lookup(target("/a.txt")))
                .as("the whole lookup found the very same file")
                .isSameAs(first);
        assertThat(channel.isOpen()).isTrue();
        assertThat(first.retired).isFalse();
        assertThat(resolved.get()).isEqualTo(2);
        assertThat(cache.revalidations).isEqualTo(1);
        assertThat(cache.misses).isEqualTo(1);
    }

    @Test
    void theDescriptorBoundClosesTheLeastRecentlyUsedIdleOne() throws IOException {
        FileCache cache = cache(16, 2, Duration.ofHours(1));
        FileEntry a = cache.lookup(target("/a.txt"));
        FileEntry b = cache.lookup(target("/b.txt"));
        FileEntry c = cache.lookup(target("/c.txt"));
        FileChannel ca = cache.acquire(a);
        cache.release(a);
        FileChannel cb = cache.acquire(b);
        cache.release(b);
        assertThat(cache.acquire(a)).isSameAs(ca); // a used again: b is now the least recently used
        cache.release(a);
        cache.acquire(c);
        assertThat(cb.isOpen()).isFalse();
        assertThat(ca.isOpen()).isTrue();
        assertThat(cache.openChannels()).isEqualTo(2);
        // every cached descriptor in flight: the next one goes over the bound rather than cut a response
        FileChannel again = cache.acquire(a);
        FileChannel cb2 = cache.acquire(b);
        assertThat(again.isOpen()).isTrue();
        assertThat(cb2.isOpen()).isTrue();
        assertThat(cache.openChannels()).isEqualTo(3);
    }

    @Test
    void theEntryBoundEvictsTheLeastRecentlyUsedPath() throws IOException {
        FileCache cache = cache(2, 16, Duration.ofHours(1));
        FileEntry a = cache.lookup(target("/a.txt"));
        FileChannel ca = cache.acquire(a);
        cache.release(a);
        cache.lookup(target("/b.txt"));
        cache.lookup(target("/c.txt"));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(a.retired).isTrue();
        assertThat(ca.isOpen()).isFalse();
        assertThat(cache.lookup(target("/a.txt"))).isNotSameAs(a);
    }

    @Test
    void closeClosesEveryDescriptor() throws IOException {
        FileCache cache = cache(16, 16, Duration.ofHours(1));
        FileEntry a = cache.lookup(target("/a.txt"));
        FileChannel ca = cache.acquire(a);
        cache.release(a);
        FileEntry b = cache.lookup(target("/b.txt"));
        FileChannel cb = cache.acquire(b);
        cache.lookup(target("/b.txt"));
        cache.close();
        assertThat(ca.isOpen()).isFalse();
        assertThat(cb.isOpen()).isFalse();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theBudgetIsAShareOfTheDescriptorLimit() {
        int one = FileCache.channelBudget(1);
        assertThat(one).isBetween(1, Limits.FD_CACHE_MAX);
        assertThat(FileCache.channelBudget(1_000_000)).isEqualTo(1);
        // Split between the caches: with enough loops each gets a hundred or so, below the cap.
        long limit =
                ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assertThat(one).isEqualTo((int) Math.min(Limits.FD_CACHE_MAX, limit / Limits.FD_CACHE_SHARE));
        int caches = (int) Math.max(1, limit / Limits.FD_CACHE_SHARE / 100);
        assertThat(FileCache.channelBudget(caches))
                .isEqualTo((int) Math.max(1, limit / Limits.FD_CACHE_SHARE / caches));
    }
}
