package dev.warpjourney.stage06;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The Linux system calls this stage makes itself, through the FFM API (java.lang.foreign, final since Java 22): the
 * C library's functions, each bound once to a method handle, called with memory this class owns. One instance per
 * event loop, used by that loop's thread only: it holds the loop's scratch memory (the errno capture, an int for
 * setsockopt, the socket address), allocated once in the loop's arena, never per request.
 *
 * <p>Every call returns what the kernel returned, or, when that is -1, minus the errno the call left, captured at
 * once (the JVM may run code between the call and a later read of errno that changes it): {@code accept4} on an empty
 * backlog returns {@code -EAGAIN}. So the hot path tests a number and allocates nothing; the caller decides which
 * errors are exceptions.
 *
 * <p>What the JDK did for us and no longer does: check a descriptor is open (a closed or reused number here reads
 * or writes whatever now has it), check a buffer's bounds (a wrong length is a wrong memory access, not an
 * exception), and close on garbage collection. The chapter counts that as this stage's price.
 *
 * <p>The constants are those of x86_64 and aarch64 Linux (the two share them); {@link #EPOLL_EVENT} differs between
 * the two, and is chosen by architecture.
 */
final class Linux {
    /** Whether this is a system these bindings are right for: Linux, on x86_64 or aarch64. */
    static final boolean SUPPORTED = "Linux".equals(System.getProperty("os.name"))
            && switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64", "aarch64" -> true;
                default -> false;
            };

    // Address families, socket types and flags (<sys/socket.h>, <fcntl.h>).
    static final int AF_INET = 2;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800; // O_NONBLOCK
    static final int SOCK_CLOEXEC = 0x80000; // O_CLOEXEC
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_REUSEPORT = 15;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int TCP_CORK = 3;
    /** send(2): more data follows, do not push a segment yet (Warp's head before its sendfile). */
    static final int MSG_MORE = 0x8000;
    /** send(2): a peer that closed gives EPIPE, not SIGPIPE (the JVM ignores SIGPIPE anyway). */
    static final int MSG_NOSIGNAL = 0x4000;

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 0x800;
    static final int SO_LINGER = 13;
    static final int SHUT_WR = 1;
    static final int SHUT_RDWR = 2;
    static final int O_RDONLY = 0;
    static final int O_NOFOLLOW = 0x20000;
    static final int O_DIRECTORY = 0x10000;
    static final int O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    // epoll (<sys/epoll.h>).
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;

    // errno values (<errno.h>) this stage acts on.
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EPIPE = 32;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ENOMEM = 12;
    static final int ENOBUFS = 105;
    static final int ELOOP = 40;
    static final int EADDRINUSE = 98;
    static final int EBADF = 9;
    /** openat(2)'s "the current directory" as the directory descriptor. */
    static final int AT_FDCWD = -100;

    /**
     * {@code struct epoll_event}: a 32-bit event mask, then 64 bits of the caller's data (here the descriptor). On
     * x86_64 the C library declares it packed (12 bytes, the data unaligned at offset 4), on aarch64 it is naturally
     * aligned (16 bytes, the data at 8): a layout that is right on one is wrong on the other.
     */
    static final StructLayout EPOLL_EVENT =
            "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"))
                    ? MemoryLayout.structLayout(
                            ValueLayout.JAVA_INT.withName("events"), ValueLayout.JAVA_LONG_UNALIGNED.withName("data"))
                    : MemoryLayout.structLayout(
                            ValueLayout.JAVA_INT.withName("events"),
                            MemoryLayout.paddingLayout(4),
                            ValueLayout.JAVA_LONG.withName("data"));

    private static final long EVENT_DATA = EPOLL_EVENT.byteOffset(MemoryLayout.PathElement.groupElement("data"));

    /** {@code struct iovec}: a base address and a length, one per buffer of a gathering write. */
    static final StructLayout IOVEC =
            MemoryLayout.structLayout(ValueLayout.ADDRESS.withName("base"), ValueLayout.JAVA_LONG.withName("len"));

    /** {@code struct sockaddr_in}: family, port and address in network byte order, eight bytes of zeros. */
    private static final long SOCKADDR_IN = 16;

    // tag::native-setup[]
    /** The platform's C calling convention, and the C library's symbols by name. */
    private static final Linker LINKER = Linker.nativeLinker();

    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    /** Where each call leaves its errno, read before anything else can change it. */
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout P = ValueLayout.ADDRESS;
    // end::native-setup[]

    // One handle per function, bound once. Each takes the capture segment first (captureCallState).
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(I, I, P, I));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle ACCEPT4 = critical("accept4", FunctionDescriptor.of(I, I, P, P, I));
    private static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", FunctionDescriptor.of(I, I));
    private static final MethodHandle EPOLL_CTL = critical("epoll_ctl", FunctionDescriptor.of(I, I, I, I, P));
    private static final MethodHandle EPOLL_WAIT = bind("epoll_wait", FunctionDescriptor.of(I, I, P, I, I));
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(I, I, P, P));
    // The JDK's calls, made only to measure what they cost (see JdkCost): never on this stage's own path.
    private static final MethodHandle ACCEPT = critical("accept", FunctionDescriptor.of(I, I, P, P));
    /** fcntl is variadic in C: the third argument is declared as such, or some platforms would pass it wrong. */
    private static final MethodHandle FCNTL = LINKER.downcallHandle(
            symbol("fcntl"),
            FunctionDescriptor.of(I, I, I, I),
            Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(2));

    private static final MethodHandle GETSOCKOPT = bind("getsockopt", FunctionDescriptor.of(I, I, I, I, P, P));
    /**
     * fstat as the JDK's libnio makes it: the fstat system call itself (the C library's own fstat now makes newfstatat),
     * through syscall(2), variadic after the call's number, which is the architecture's.
     */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            symbol("syscall"),
            FunctionDescriptor.of(L, L, I, P),
            Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(1));

    private static final long SYS_FSTAT = "aarch64".equals(System.getProperty("os.arch")) ? 80 : 5;
    private static final MethodHandle COPY_FILE_RANGE =
            bind("copy_file_range", FunctionDescriptor.of(L, I, P, I, P, L, I));
    // tag::native-critical[]
    // The calls of the request path on a non-blocking socket do not wait for a client, so they are bound
    // "critical": the JVM skips the thread-state transition around them (an ordinary call marks the thread as in
    // native code, so that a garbage collection may proceed without it, and checks for one on the way back). A
    // critical call must be short, as a collection waits for it to return; sendfile of a file not in the page
    // cache waits for the disk, the price of binding it so. epoll_wait, which sleeps, is bound the ordinary way.
    // The buffers are passed as addresses (a C pointer is a 64-bit integer here): no MemorySegment object per call.
    private static final MethodHandle READ = critical("read", FunctionDescriptor.of(L, I, L, L));
    private static final MethodHandle WRITE = critical("write", FunctionDescriptor.of(L, I, L, L));
    private static final MethodHandle WRITEV = critical("writev", FunctionDescriptor.of(L, I, L, I));
    private static final MethodHandle SEND = critical("send", FunctionDescriptor.of(L, I, L, L, I));
    // end::native-critical[]
    private static final MethodHandle SENDFILE = critical("sendfile", FunctionDescriptor.of(L, I, I, P, L));
    private static final MethodHandle OPENAT = bind("openat", FunctionDescriptor.of(I, I, P, I, I));
    private static final MethodHandle SHUTDOWN = critical("shutdown", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle CLOSE = critical("close", FunctionDescriptor.of(I, I));

    // tag::native-bind[]
    /** A C function of the C library as a method handle that also captures errno (see {@link #result}). */
    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle critical(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(
                symbol(name),
                descriptor,
                Linker.Option.captureCallState("errno"),
                Linker.Option.critical(false)); // false: no Java heap arrays are passed, only native addresses
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name + ": Linux only"));
    }
    // end::native-bind[]

    /** The loop's scratch memory, all from its arena: the errno capture, setsockopt's int, a socket address. */
    private final MemorySegment capture;

    private final MemorySegment intValue;
    private final MemorySegment address;
    private final MemorySegment offset;
    private final MemorySegment event;
    /** Room for what the JDK's calls return and this stage ignores (a struct stat, a struct linger). */
    private final MemorySegment ignored;

    Linux(Arena arena) {
        this.ignored = arena.allocate(256, 8); // struct stat is 144 bytes on x86_64, 128 on aarch64
        this.capture = arena.allocate(CAPTURE);
        this.intValue = arena.allocate(I);
        this.address = arena.allocate(SOCKADDR_IN, 4);
        this.offset = arena.allocate(L);
        this.event = arena.allocate(EPOLL_EVENT);
    }

    // tag::native-call[]
    /** The result, or minus the errno the call captured when it returned -1. */
    private long result(long r) {
        return r == -1 ? -(int) ERRNO.get(capture, 0L) : r;
    }

    // end::native-call[]

    /** A non-blocking, close-on-exec TCP socket bound to host:port and listening; or minus errno. */
    int listener(String ipv4, int port, int backlog, boolean reusePort) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return fd;
        }
        int r = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        if (r >= 0 && reusePort) {
            r = setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
        }
        if (r >= 0) {
            r = bind(fd, ipv4, port);
        }
        if (r >= 0) {
            r = listen(fd, backlog);
        }
        if (r < 0) {
            close(fd);
            return r;
        }
        return fd;
    }

    int socket(int domain, int type, int protocol) {
        try {
            return (int) result((int) SOCKET.invokeExact(capture, domain, type, protocol));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int setsockopt(int fd, int level, int name, int value) {
        intValue.set(I, 0, value);
        try {
            return (int) result((int) SETSOCKOPT.invokeExact(capture, fd, level, name, intValue, 4));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int bind(int fd, String ipv4, int port) {
        address.fill((byte) 0);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET); // sin_family, the host's byte order
        address.set(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        String[] parts = ipv4.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
        }
        for (int i = 0; i < 4; i++) {
            address.set(ValueLayout.JAVA_BYTE, 4 + i, (byte) Integer.parseInt(parts[i]));
        }
        try {
            return (int) result((int) BIND.invokeExact(capture, fd, address, (int) SOCKADDR_IN));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int listen(int fd, int backlog) {
        try {
            return (int) result((int) LISTEN.invokeExact(capture, fd, backlog));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // tag::native-call[]
    /**
     * One connection from the listener's backlog, already non-blocking and close-on-exec: one system call where the
     * JDK makes an accept, three fcntl and two getsockname. {@code -EAGAIN}: the backlog is empty.
     */
    int accept4(int listener) {
        try {
            return (int) result((int) ACCEPT4.invokeExact(
                    capture, listener, MemorySegment.NULL, MemorySegment.NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
    // end::native-call[]

    int epollCreate() {
        try {
            return (int) result((int) EPOLL_CREATE1.invokeExact(capture, EPOLL_CLOEXEC));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Adds, changes or removes {@code fd} in the epoll set, with the descriptor itself as its data. */
    int epollCtl(int epfd, int op, int fd, int events) {
        event.set(I, 0, events);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, EVENT_DATA, fd);
        try {
            return (int) result((int) EPOLL_CTL.invokeExact(capture, epfd, op, fd, event));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** An array of {@code n} epoll events for {@link #epollWait}, from the loop's arena. */
    static MemorySegment events(Arena arena, int n) {
        return arena.allocate(EPOLL_EVENT, n);
    }

    /** Waits for ready descriptors (at most {@code timeoutMillis}, -1 for ever); the count, or minus errno. */
    int epollWait(int epfd, MemorySegment events, int timeoutMillis) {
        int max = (int) (events.byteSize() / EPOLL_EVENT.byteSize());
        try {
            return (int) result((int) EPOLL_WAIT.invokeExact(capture, epfd, events, max, timeoutMillis));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The event mask of the i-th ready descriptor. */
    static int readyEvents(MemorySegment events, int i) {
        return events.get(I, i * EPOLL_EVENT.byteSize());
    }

    /** The descriptor of the i-th ready event (its data, as {@link #epollCtl} set it). */
    static int readyFd(MemorySegment events, int i) {
        return (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * EPOLL_EVENT.byteSize() + EVENT_DATA);
    }

    /** A non-blocking eventfd: what another thread writes to wake the loop (the selector's wakeup). */
    int eventfd() {
        try {
            return (int) result((int) EVENTFD.invokeExact(capture, 0, EFD_NONBLOCK | EFD_CLOEXEC));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The port a listener is bound to (getsockname), or minus errno. */
    int localPort(int fd) {
        address.fill((byte) 0);
        intValue.set(I, 0, (int) SOCKADDR_IN);
        try {
            int r = (int) result((int) GETSOCKNAME.invokeExact(capture, fd, address, intValue));
            return r < 0
                    ? r
                    : Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Adds 1 to an eventfd's counter, which makes it readable: how another thread wakes a loop. */
    long signal(int eventfd) {
        offset.set(L, 0, 1L);
        return write(eventfd, offset.address(), 8);
    }

    /** Reads (and so resets) an eventfd's counter. */
    long drain(int eventfd) {
        return read(eventfd, offset.address(), 8);
    }

    /** Reads at most {@code len} bytes to native memory at {@code address}; 0 at end of stream, or minus errno. */
    long read(int fd, long address, long len) {
        try {
            return result((long) READ.invokeExact(capture, fd, address, len));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Writes {@code len} bytes of native memory at {@code address}; the bytes written, or minus errno. */
    long write(int fd, long address, long len) {
        try {
            return result((long) WRITE.invokeExact(capture, fd, address, len));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** A gathering write of {@code count} iovecs (see {@link #IOVEC}); the bytes written, or minus errno. */
    long writev(int fd, MemorySegment iovecs, int count) {
        if (count < 0 || count * IOVEC.byteSize() > iovecs.byteSize()) {
            throw new IndexOutOfBoundsException("iovecs hold fewer than " + count);
        }
        try {
            return result((long) WRITEV.invokeExact(capture, fd, iovecs.address(), count));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Sets iovec {@code i} of {@code iovecs} to {@code len} bytes at {@code address}. */
    static void iovec(MemorySegment iovecs, int i, long address, long len) {
        long at = i * IOVEC.byteSize();
        iovecs.set(L, at, address);
        iovecs.set(L, at + ValueLayout.ADDRESS.byteSize(), len);
    }

    /** send(2) with flags ({@link #MSG_MORE}: the head waits for the body that follows). */
    long send(int fd, long address, long len, int flags) {
        try {
            return result((long) SEND.invokeExact(capture, fd, address, len, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * The kernel copies {@code count} bytes of file {@code in} from {@code position} to socket {@code out}: one call,
     * where the JDK's transferTo adds an fstat and a copy_file_range that a socket refuses. The bytes sent, or minus
     * errno.
     */
    long sendfile(int out, int in, long position, long count) {
        offset.set(L, 0, position);
        try {
            return result((long) SENDFILE.invokeExact(capture, out, in, offset, count));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** How the JDK turns a file name into bytes here (sun.jnu.encoding), so that openat names the file it would. */
    private static final Charset FILE_NAMES =
            Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);

    /** openat(2) of one name in directory {@code dirfd}, read-only, close-on-exec, {@code extraFlags} added. */
    int openat(int dirfd, String name, int extraFlags) {
        try (Arena call = NativeMemory.confined()) { // a lookup, on the file cache's miss path, never per request
            MemorySegment path = call.allocateFrom(name, FILE_NAMES);
            return (int) result((int) OPENAT.invokeExact(capture, dirfd, path, O_RDONLY | O_CLOEXEC | extraFlags, 0));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int shutdown(int fd, int how) {
        try {
            return (int) result((int) SHUTDOWN.invokeExact(capture, fd, how));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int close(int fd) {
        try {
            return (int) result((int) CLOSE.invokeExact(capture, fd));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * An IOException for a call that returned minus {@code errno}, worded as the C library's strerror words it, so
     * that {@link Failures#isOutOfResources} reads a native failure as it reads the JDK's.
     */
    static IOException exception(String call, long minusErrno) {
        int errno = (int) -minusErrno;
        String reason = switch (errno) {
            case EMFILE -> "Too many open files";
            case ENFILE -> "Too many open files in system";
            case ENOBUFS -> "No buffer space available";
            case ENOMEM -> "Cannot allocate memory";
            case EPIPE -> "Broken pipe";
            case ECONNRESET -> "Connection reset by peer";
            case ENOENT -> "No such file or directory";
            case ELOOP -> "Too many levels of symbolic links";
            case ENOTDIR -> "Not a directory";
            case EACCES -> "Permission denied";
            case EADDRINUSE -> "Address already in use";
            default -> "errno " + errno;
        };
        return new IOException(call + ": " + reason);
    }

    // tag::native-jdk-calls[]
    /** accept(2), without accept4's flags: the socket comes back blocking, as the JDK's accept gets it. */
    int accept(int listener) {
        try {
            return (int) result((int) ACCEPT.invokeExact(capture, listener, MemorySegment.NULL, MemorySegment.NULL));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    int fcntl(int fd, int command, int argument) {
        try {
            return (int) result((int) FCNTL.invokeExact(capture, fd, command, argument));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** getsockopt(2) into scratch memory whose value nobody reads: the JDK asks SO_LINGER before each close. */
    int getsockopt(int fd, int level, int name) {
        intValue.set(I, 0, (int) ignored.byteSize());
        try {
            return (int) result((int) GETSOCKOPT.invokeExact(capture, fd, level, name, ignored, intValue));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** fstat(2), for its cost alone: the JDK's transferTo asks the file's size before each sendfile. */
    int fstat(int fd) {
        try {
            return (int) result((long) SYSCALL.invokeExact(capture, SYS_FSTAT, fd, ignored));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** copy_file_range(2) from a file to a socket: what the JDK tries first, and the kernel refuses (EINVAL). */
    long copyFileRange(int in, long position, int out, long count) {
        offset.set(L, 0, position);
        try {
            return result((long) COPY_FILE_RANGE.invokeExact(capture, in, offset, out, MemorySegment.NULL, count, 0));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
    // end::native-jdk-calls[]

    /** invokeExact declares Throwable; a downcall throws nothing but an Error of the JVM's, passed on as it is. */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            return e;
        }
        return new IllegalStateException(t);
    }
}
