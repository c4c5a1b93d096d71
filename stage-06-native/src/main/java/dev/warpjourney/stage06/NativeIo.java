package dev.warpjourney.stage06;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * One event loop's side of the kernel: its epoll set, its wake-up eventfd and the native memory its calls use, all
 * from one arena that lives as long as the loop. Used by the loop's thread alone, but for {@link #wake}.
 *
 * <p>The memory, and why it is native: the kernel can only read and write memory that stays put, and the Java heap's
 * objects move. The JDK copes by copying a heap buffer into a direct one of its own at every read or write; here the
 * loop owns its native buffers, made once: the read lands in {@link #readMemory} and is copied once into the parser's
 * heap array (the parser reads bytes in an array, as in stage 05), the response head is composed straight into
 * {@link #writeMemory}, and a small file's bytes are already native (the file cache keeps them in direct buffers).
 * Nothing here is allocated per request.
 */
final class NativeIo implements Io {
    /** How many ready descriptors one epoll_wait returns at most: the rest wait for the next one (level-triggered). */
    static final int MAX_EVENTS = 512;

    /** The loop's memory: every segment below. Closed with the loop (see {@link #close()}), never before. */
    private final Arena arena = NativeMemory.shared();

    final Linux linux = new Linux(arena);
    /** The loop's epoll set: every socket of the loop, and its wake-up eventfd. */
    final int epoll;
    /** Written by another thread to wake the loop (a hand-off, a stop); read by the loop to reset it. */
    final int wakeup;
    /** What epoll_wait fills: one {@link Linux#EPOLL_EVENT} per ready descriptor. */
    final MemorySegment events;
    /** Where a read lands first: as large as the largest read the loop makes. */
    private final MemorySegment readMemory;
    /** The loop's write buffer's memory: a head is composed into {@link #writeBuffer} and written from here. */
    private final MemorySegment writeMemory;
    /** {@link #writeMemory} as a ByteBuffer, for the head composer. */
    final ByteBuffer writeBuffer;
    /** Where a head kept on the heap (what a full socket left of it) is copied to be written. */
    private final MemorySegment spill;
    /** The two iovecs of a gathering write: head, then body. */
    private final MemorySegment iovecs;
    /** Set once, by {@link #close()}: no {@link #wake} may write to the eventfd's number any more. */
    private boolean closed;
    /** The JDK's costs put back ({@link Config.JdkCost}), to measure each native move: all false as built. */
    private final boolean jdkAccept;

    private final boolean jdkNodelay;
    private final boolean jdkClose;
    private final boolean jdkTransferTo;
    private final boolean noMsgMore;

    NativeIo(Set<Config.JdkCost> jdkCosts) throws IOException {
        this.jdkAccept = jdkCosts.contains(Config.JdkCost.ACCEPT);
        this.jdkNodelay = jdkCosts.contains(Config.JdkCost.NODELAY);
        this.jdkClose = jdkCosts.contains(Config.JdkCost.CLOSE);
        this.jdkTransferTo = jdkCosts.contains(Config.JdkCost.TRANSFER_TO);
        this.noMsgMore = jdkCosts.contains(Config.JdkCost.NO_MSG_MORE);
        this.epoll = linux.epollCreate();
        if (epoll < 0) {
            arena.close();
            throw Linux.exception("epoll_create1", epoll);
        }
        this.wakeup = linux.eventfd();
        if (wakeup < 0 || linux.epollCtl(epoll, Linux.EPOLL_CTL_ADD, wakeup, Linux.EPOLLIN) < 0) {
            IOException e = Linux.exception("eventfd", wakeup);
            linux.close(epoll);
            if (wakeup >= 0) {
                linux.close(wakeup);
            }
            arena.close();
            throw e;
        }
        this.events = Linux.events(arena, MAX_EVENTS);
        this.readMemory = arena.allocate(Limits.READ_BUFFER_SIZE);
        this.writeMemory = arena.allocate(Limits.WRITE_BUFFER_SIZE);
        this.writeBuffer = writeMemory.asByteBuffer();
        this.spill = arena.allocate(Limits.WRITE_BUFFER_SIZE);
        this.iovecs = arena.allocate(Linux.IOVEC, 2);
    }

    /**
     * One connection from {@code listener}'s backlog, non-blocking, with TCP_NODELAY (the listener's): its descriptor,
     * or minus errno ({@code -EAGAIN}: the backlog is empty).
     */
    int accept(int listener) {
        if (!jdkAccept) {
            return nodelay(linux.accept4(listener));
        }
        int fd = linux.accept(listener);
        if (fd >= 0) {
            // The JDK's calls around its accept (JDK 25, ServerSocketChannelImpl and IOUtil.configureBlocking):
            // the flags read and set, the local address asked twice. Their results change nothing here.
            int flags = linux.fcntl(fd, Linux.F_GETFL, 0);
            linux.fcntl(fd, Linux.F_SETFL, flags | Linux.O_NONBLOCK);
            linux.fcntl(fd, Linux.F_GETFL, 0);
            linux.localPort(fd);
            linux.localPort(fd);
        }
        return nodelay(fd);
    }

    private int nodelay(int fd) {
        if (fd >= 0 && jdkNodelay) {
            linux.setsockopt(fd, Linux.IPPROTO_TCP, Linux.TCP_NODELAY, 1); // already set: the listener's
        }
        return fd;
    }

    /** Adds a descriptor to the loop's epoll set, waiting for {@code events}. */
    void register(int fd, int events) throws IOException {
        int r = linux.epollCtl(epoll, Linux.EPOLL_CTL_ADD, fd, events);
        if (r < 0) {
            throw Linux.exception("epoll_ctl", r);
        }
    }

    @Override
    public void interest(int fd, int events) {
        linux.epollCtl(epoll, Linux.EPOLL_CTL_MOD, fd, events); // fails only for a closed fd: nothing to wait for
    }

    /** Removes a descriptor that stays open (a shared listener) from this loop's epoll set. */
    void deregister(int fd) {
        linux.epollCtl(epoll, Linux.EPOLL_CTL_DEL, fd, 0);
    }

    /** Waits for ready descriptors, at most {@code millis} (-1: for ever); how many, 0 when interrupted by a signal. */
    int await(int millis) throws IOException {
        int n = linux.epollWait(epoll, events, millis);
        if (n == -Linux.EINTR) {
            return 0;
        }
        if (n < 0) {
            throw Linux.exception("epoll_wait", n);
        }
        return n;
    }

    /**
     * From any thread: wakes the loop. Its own memory for the call (one eventfd write, off the request path: a stop, a
     * hand-off), as this loop's scratch memory is its thread's.
     */
    synchronized void wake() {
        if (closed) {
            return; // the eventfd is closed, and its number may be another file's now
        }
        try (Arena call = NativeMemory.confined()) {
            new Linux(call).signal(wakeup);
        }
    }

    /** On the loop's thread, once woken by {@link #wake}: the eventfd is readable until read. */
    void woken() {
        linux.drain(wakeup);
    }

    // tag::native-read[]
    @Override
    public int read(int fd, ByteBuffer dst) throws IOException {
        int room = Math.min(dst.remaining(), (int) readMemory.byteSize());
        while (true) {
            long n = linux.read(fd, readMemory.address(), room);
            if (n > 0) {
                // One copy, to the parser's array: the JDK makes the same copy, from its temporary direct buffer.
                MemorySegment.copy(
                        readMemory, ValueLayout.JAVA_BYTE, 0, dst.array(), dst.arrayOffset() + dst.position(), (int) n);
                dst.position(dst.position() + (int) n);
                return (int) n;
            }
            if (n == 0) {
                return room == 0 ? 0 : -1; // end of stream (a read of 0 bytes asked reads nothing: not the end)
            }
            if (n == -Linux.EAGAIN) {
                return 0;
            }
            if (n != -Linux.EINTR) {
                throw Linux.exception("read", n);
            }
        }
    }
    // end::native-read[]

    // tag::native-write[]
    @Override
    public long write(int fd, ByteBuffer head, boolean more) throws IOException {
        long address = address(head);
        int len = Math.min(head.remaining(), (int) spill.byteSize());
        // send with MSG_MORE is Warp's head before its sendfile: the kernel holds the head back until the body's
        // first bytes fill the segment, so head and body leave in one packet, as nginx's TCP_CORK makes them.
        long n = more && !noMsgMore
                ? linux.send(fd, address, len, Linux.MSG_MORE | Linux.MSG_NOSIGNAL)
                : linux.write(fd, address, len);
        return advance(head, null, n, "write");
    }

    @Override
    public long write(int fd, ByteBuffer head, ByteBuffer body, long bodyBase) throws IOException {
        int headLen = Math.min(head.remaining(), (int) spill.byteSize());
        Linux.iovec(iovecs, 0, address(head), headLen);
        Linux.iovec(iovecs, 1, bodyBase + body.position(), body.remaining());
        return advance(head, body, linux.writev(fd, iovecs, 2), "writev");
    }
    // end::native-write[]

    /**
     * Where {@code head}'s remaining bytes are in native memory: in the loop's write buffer, where they were composed;
     * else (a head kept on the heap after a full socket, or a very long redirect) copied to the spill buffer first.
     */
    private long address(ByteBuffer head) {
        if (head == writeBuffer) {
            return writeMemory.address() + head.position();
        }
        int len = Math.min(head.remaining(), (int) spill.byteSize());
        MemorySegment.copy(MemorySegment.ofBuffer(head), 0, spill, 0, len);
        return spill.address();
    }

    /** Moves the buffers past what the kernel took: the head's bytes first, then the body's. */
    private static long advance(ByteBuffer head, ByteBuffer body, long n, String call) throws IOException {
        if (n == -Linux.EAGAIN || n == -Linux.EINTR) {
            return 0;
        }
        if (n < 0) {
            throw Linux.exception(call, n);
        }
        int fromHead = (int) Math.min(n, head.remaining());
        head.position(head.position() + fromHead);
        if (body != null) {
            body.position(body.position() + (int) (n - fromHead));
        }
        return n;
    }

    // tag::native-sendfile[]
    @Override
    public long sendfile(int fd, int file, long position, long count) throws IOException {
        // One call: no fstat for the size (the kernel says 0 at the file's end), no copy_file_range that a
        // socket refuses, as the JDK's transferTo makes before each sendfile.
        if (jdkTransferTo) {
            linux.fstat(file); // the size, asked before each transfer
            long copied = linux.copyFileRange(file, position, fd, count); // refused for a socket (EINVAL)
            if (copied > 0) {
                return copied; // a kernel that takes it: those bytes are sent
            }
        }
        long n = linux.sendfile(fd, file, position, count);
        if (n == 0) {
            return -1; // the file ended before the Content-Length promised
        }
        if (n == -Linux.EAGAIN || n == -Linux.EINTR) {
            return 0;
        }
        if (n < 0) {
            throw Linux.exception("sendfile", n);
        }
        return n;
    }
    // end::native-sendfile[]

    @Override
    public void shutdownOutput(int fd) throws IOException {
        int r = linux.shutdown(fd, Linux.SHUT_WR);
        if (r < 0) {
            throw Linux.exception("shutdown", r);
        }
    }

    @Override
    public void close(int fd) {
        if (jdkClose) {
            // The JDK's close of a registered channel: out of the selector's epoll set first, SO_LINGER read, a
            // shutdown of both sides (after a lingering close's own, it fails), then the close itself.
            deregister(fd);
            linux.getsockopt(fd, Linux.SOL_SOCKET, Linux.SO_LINGER);
            linux.shutdown(fd, Linux.SHUT_RDWR);
        }
        linux.close(fd); // an error leaves the descriptor closed all the same (Linux): nothing to retry
    }

    /** The loop has ended: its epoll set, its eventfd and its memory go. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        linux.close(epoll);
        linux.close(wakeup);
        arena.close();
    }
}
