package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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
        return cache(maxEntries, maxChannels, window, reapPeriod, Config.Bodies.MEMORY, Limits.BODY_CACHE_BYTES);
    }

    private FileCache cache(
            int maxEntries,
            int maxChannels,
            Duration window,
            Duration reapPeriod,
            Config.Bodies bodies,
            long bodyBudget) {
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

            @Override
            public int openDescriptor(FileEntry file, Linux linux) throws IOException {
                return files.openDescriptor(file, linux);
            }
        };
        return new FileCache(counting, maxEntries, maxChannels, window, reapPeriod, Guard.NONE, bodies, bodyBudget);
    }

    private static String text(java.nio.ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static Request get(String target) throws HttpException {
        return ForTests.parse("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    // Stage 05: small files' bytes, the pre-composed 200, and targets remembered as spelt.

    @Test
    void aSmallFilesBytesAreReadOnceAndServeInsideTheWindowWithoutADescriptor() throws IOException {
        for (Config.Bodies how : List.of(Config.Bodies.MEMORY, Config.Bodies.MAPPED)) {
            FileCache cache = cache(16, 16, Duration.ofHours(1), Duration.ofHours(1), how, 1 << 20);
            FileEntry a = cache.lookup(target("/a.txt"));
            assertThat(text(cache.body(a))).as(how.name()).isEqualTo("aaa");
            assertThat(cache.body(a)).isSameAs(a.body);
            assertThat(cache.smallBodies().loaded).isEqualTo(1);
            assertThat(cache.openChannels())
                    .as("the descriptor closed once the bytes were in")
                    .isZero();
            assertThat(cache.opens - cache.closes).isZero();
            int checks = checked.get();
            assertThat(cache.lookup(target("/a.txt")))
                    .as("a hit: the bytes are the file")
                    .isSameAs(a);
            assertThat(checked.get()).isEqualTo(checks);
            checked.set(0);
        }
    }

    @Test
    void withBodiesSendfileNoFileKeepsItsBytesAndEachGoesFromItsDescriptor() throws IOException {
        FileCache cache = cache(16, 16, Duration.ofHours(1), Duration.ofHours(1), Config.Bodies.SENDFILE, 1 << 20);
        FileEntry a = cache.lookup(target("/a.txt"));
        assertThat(cache.body(a))
                .as("no bytes kept: the single write switched off")
                .isNull();
        assertThat(cache.body(a)).isNull();
        assertThat(cache.smallBodies().loaded).isZero();
        assertThat(cache.smallBodies().opened).isZero();
        assertThat(a.body).isNull();
    }

    @Test
    void aFileRewrittenAtTheSameSizeWithItsDateRestoredIsSeenAfterTheWindow() throws Exception {
        Duration window = Duration.ofMillis(200);
        FileCache cache = cache(16, 16, window, Duration.ofHours(1), Config.Bodies.MEMORY, 1 << 20);
        FileEntry a = cache.lookup(target("/a.txt"));
        assertThat(text(cache.body(a))).isEqualTo("aaa");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(root.resolve("a.txt"));
        Files.writeString(root.resolve("a.txt"), "AAA"); // same size
        Files.setLastModifiedTime(root.resolve("a.txt"), mtime); // and the date put back, as cp -p does
        Thread.sleep(window.toMillis() + 50);
        // Size, mtime, inode and permissions all agree; only the change time tells.
        assertThat(text(cache.body(cache.lookup(target("/a.txt"))))).isEqualTo("AAA");
    }

    @Test
    void aMappedFileThatShrankIsNeverSentFromItsMapping() throws Exception {
        Path f = root.resolve("shrinks.bin");
        byte[] bytes = new byte[4000]; // not zeros: the zeros a shrunk mapping reads would not tell
        java.util.Arrays.fill(bytes, (byte) 'x');
        Files.write(f, bytes);
        FileCache cache = cache(16, 16, Duration.ofHours(1), Duration.ofHours(1), Config.Bodies.MAPPED, 1 << 20);
        FileEntry e = cache.lookup(target("/shrinks.bin"));
        assertThat(cache.body(e)).isNotNull();
        // Truncated inside the window: the mapping would read 100 bytes and 3,900 zeros (all in its first page).
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertThat(cache.body(e)).as("not the mapping of a file that shrank").isNull();
        assertThat(cache.body(e)).as("nor reloaded before the next check").isNull();
        // In memory of the cache's own, the bytes are the file as it was: whole, 4,000 of them.
        Files.write(f, bytes);
        FileCache memory = cache(16, 16, Duration.ofHours(1), Duration.ofHours(1), Config.Bodies.MEMORY, 1 << 20);
        FileEntry m = memory.lookup(target("/shrinks.bin"));
        assertThat(memory.body(m)).isNotNull();
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertThat(memory.body(m).remaining()).isEqualTo(4000);
    }

    @Test
    void aFileChangedInPlaceKeepsItsOldBytesInsideTheWindowAndItsNewOnesAfter() throws Exception {
        FileCache cache = cache(16, 16, Duration.ofMillis(200));
        FileEntry a = cache.lookup(target("/a.txt"));
        assertThat(text(cache.body(a))).isEqualTo("aaa");
        Files.writeString(root.resolve("a.txt"), "AAAA"); // another size: the one stat sees it
        assertThat(text(cache.body(cache.lookup(target("/a.txt")))))
                .as("inside the window: whole, and old")
                .isEqualTo("aaa");
        Thread.sleep(250);
        FileEntry now = cache.lookup(target("/a.txt"));
        assertThat(now).isNotSameAs(a);
        assertThat(a.body).as("the old entry lets its bytes go").isNull();
        assertThat(text(cache.body(now))).isEqualTo("AAAA");
        assertThat(new String(now.ok.head, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("Content-Length: 4\r\n");
    }

    @Test
    void bytesLoadedAfterTheDescriptorWasOpenedComeFromThatDescriptorNotFromThePath() throws IOException {
        FileCache cache = cache(16, 16, Duration.ofHours(1), Duration.ofHours(1), Config.Bodies.MEMORY, 1 << 20);
        FileEntry a = cache.lookup(target("/a.txt"));
        a.bodyFailed = true; // as after a load that failed (out of descriptors, say): sent by its descriptor
        assertThat(cache.body(a)).isNull();
        cache.acquire(a);
        cache.release(a);
        Path fresh = root.resolve("a.new");
        Files.writeString(fresh, "zzz");
        Files.move(fresh, root.resolve("a.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Inside the window the entry is a hit with no check; bytes loaded now must be the file it checked.
        FileEntry hit = cache.lookup(target("/a.txt"));
        assertThat(hit).isSameAs(a);
        hit.bodyFailed = false; // a later try
        assertThat(text(cache.body(hit))).isEqualTo("aaa");
    }

    @Test
    void largeFilesAndFilesPastTheBudgetGoByTheirDescriptor() throws IOException {
        Files.write(root.resolve("big.bin"), new byte[Limits.SMALL_FILE + 1]);
        Files.write(root.resolve("edge.bin"), new byte[Limits.SMALL_FILE]);
        FileCache cache =
                cache(16, 16, Duration.ofHours(1), Duration.ofHours(1), Config.Bodies.MEMORY, Limits.SMALL_FILE + 3);
        assertThat(cache.body(cache.lookup(target("/big.bin")))).isNull();
        assertThat(cache.body(cache.lookup(target("/edge.bin")))).isNotNull();
        assertThat(cache.body(cache.lookup(target("/a.txt")))).isNotNull(); // 3 bytes: the budget's last
        assertThat(cache.body(cache.lookup(target("/b.txt"))))
                .as("past the budget")
                .isNull();
        Files.write(root.resolve("empty.txt"), new byte[0]);
        assertThat(cache.body(cache.lookup(target("/empty.txt")))).isNull();
    }

    @Test
    void aRetiredEntrysBytesReturnToTheBudget() throws Exception {
        FileCache cache = cache(16, 16, Duration.ofHours(1), Duration.ofHours(1), Config.Bodies.MEMORY, 4);
        FileEntry b = cache.lookup(target("/b.txt"));
        assertThat(cache.body(b)).isNotNull(); // 4 bytes: the whole budget
        assertThat(cache.body(cache.lookup(target("/a.txt")))).isNull();
        cache.reap(System.nanoTime() + Duration.ofHours(2).toNanos()); // marks b inactive
        cache.reap(System.nanoTime() + Duration.ofHours(4).toNanos()); // drops it
        assertThat(cache.size()).isZero();
        assertThat(cache.body(cache.lookup(target("/a.txt")))).isNotNull();
    }

    @Test
    void theCachedTwoHundredIsComposedOnceAndDescribesTheFile() throws IOException {
        FileCache cache = cache(16, 16, Duration.ofHours(1));
        FileEntry b = cache.lookup(target("/b.txt"));
        String head = new String(b.ok.head, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(head)
                .startsWith("HTTP/1.1 200 OK\r\nServer: " + ResponseHead.SERVER + "\r\n")
                .contains(
                        "\r\nContent-Type: text/plain",
                        "\r\nContent-Length: 4\r\n",
                        "\r\nETag: " + b.etag + "\r\n",
                        "\r\nLast-Modified: " + b.lastModified + "\r\n",
                        "\r\nAccept-Ranges: bytes\r\n")
                .endsWith("\r\n")
                .doesNotContain("Date:", "Connection:");
        assertThat(b.headOk.head).isEqualTo(b.ok.head);
        assertThat(b.headOk.omitBody).isTrue();
        assertThat(b.ok.omitBody).isFalse();
        assertThat(cache.lookup(target("/b.txt")).ok).isSameAs(b.ok);
        assertThat(ResponseHead.prefix(b.ok, Config.Heads.PER_FILE)).isSameAs(b.ok.head);
        // Switched off (--heads per-request): the same bytes, composed again for each response.
        byte[] composed = ResponseHead.prefix(b.ok, Config.Heads.PER_REQUEST);
        assertThat(composed).isEqualTo(b.ok.head).isNotSameAs(b.ok.head);
        assertThat(ResponseHead.prefix(b.ok, Config.Heads.PER_REQUEST)).isNotSameAs(composed);
    }

    @Test
    void aTargetSeenBeforeIsFoundAsSpeltWithoutDecoding() throws Exception {
        FileCache cache = cache(16, 16, Duration.ofHours(1));
        FileEntry a = cache.lookup(get("/a.txt"));
        assertThat(cache.lookup(get("/a.txt"))).isSameAs(a);
        assertThat(cache.lookup(get("/%61.txt")))
                .as("another spelling, the same key")
                .isSameAs(a);
        assertThat(cache.lookup(get("/x/../a.txt"))).isSameAs(a);
        assertThat(resolved.get()).isEqualTo(1);
        assertThat(cache.lookup(get("/a.txt?v=1"))).isSameAs(a);
        assertThat(cache.lookup(get("/%2e%2e/a.txt")))
                .as("refused, and never remembered")
                .isNull();
        assertThat(cache.lookup(get("/%2e%2e/a.txt"))).isNull();
        assertThat(cache.targetsRemembered())
                .as("four spellings, the refused one not among them")
                .isEqualTo(4);
        cache.lookup(get("/a.txt"));
        assertThat(cache.targetsRemembered()).isEqualTo(4);
    }

    @Test
    void theTargetMemoIsBoundedAndStartsAgainWhenFull() {
        TargetMemo memo = new TargetMemo(4);
        byte[] buf = "/0/1/2/3/4/5".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 4; i++) {
            memo.put(buf, 2 * i, 2 * i + 2, "k" + i);
        }
        assertThat(memo.size()).isEqualTo(4);
        assertThat(memo.get(buf, 2, 4)).isEqualTo("k1");
        memo.put(buf, 6, 8, "again"); // already there: nothing changes
        assertThat(memo.size()).isEqualTo(4);
        assertThat(memo.get(buf, 6, 8)).isEqualTo("k3");
        memo.put(buf, 10, 12, "k5"); // full: it starts again
        assertThat(memo.size()).isEqualTo(1);
        assertThat(memo.get(buf, 2, 4)).isNull();
        assertThat(memo.get(buf, 10, 12)).isEqualTo("k5");
        byte[] longTarget = ("/" + "a".repeat(Limits.MEMO_TARGET)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        memo.put(longTarget, 0, longTarget.length, "long");
        assertThat(memo.get(longTarget, 0, longTarget.length))
                .as("too long to keep")
                .isNull();
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
