package dev.warpjourney.stage06;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening socket, made by the loop's own system calls (socket, setsockopt, bind, listen), and who may still use
 * it. In accept mode SHARED every loop's epoll set holds the one listener, so no loop may close it while another
 * could still call accept4 on its number: a closed number is soon another file's. A stop therefore first shuts the
 * socket down ({@link #stop}, from any thread: the kernel refuses new connections at once, the number stays valid),
 * and the last of its users to let go closes it ({@link #release}). The JDK solves the same problem inside
 * ServerSocketChannel (a closed channel's descriptor is swapped for a dead one until no thread uses it).
 */
final class Listener {
    /** The listening socket's descriptor: non-blocking, close-on-exec; valid until the last {@link #release}. */
    final int fd;
    /** The port it is bound to (the one asked for, or the kernel's pick for 0), read once, at bind. */
    final int port;
    /** How many acceptors still hold it: one per loop in mode SHARED, else one. */
    private final AtomicInteger users;

    private final AtomicBoolean stopped = new AtomicBoolean();

    private Listener(int fd, int port, int users) {
        this.fd = fd;
        this.port = port;
        this.users = new AtomicInteger(users);
    }

    // tag::native-listen[]
    /**
     * A bound, non-blocking listening socket on {@code port} of the configured host, for {@code users} acceptors.
     * IPv4 only, as the bindings' socket address is (an IPv6 one is a longer struct; the harness and the tests use
     * 127.0.0.1).
     */
    static Listener open(Config config, int port, boolean reusePort, int users) throws IOException {
        InetAddress host = InetAddress.getByName(config.host());
        if (!(host instanceof Inet4Address)) {
            throw new IOException("stage 06 listens on IPv4 addresses only, not " + host);
        }
        try (Arena call = NativeMemory.confined()) { // start-up: memory for these few calls, then gone
            Linux linux = new Linux(call);
            // SO_REUSEPORT (Linux 3.9), set before bind: every socket with it, of the same user, may
            // bind the same address and port, and each gets an accept queue of its own. The kernel
            // spreads new connections over the queues by a hash of the addresses and ports, so one
            // loop's accept never races another's: no loop is woken for a connection it will not
            // get (compare SHARED), and no thread stands between the kernel and the loop (compare
            // HANDOFF). N processes can share a port the same way: that is prefork. The price: a
            // port held by another SO_REUSEPORT socket of the same user (another stage left running) is
            // joined, not refused as "in use"; a socket without the option still makes bind fail.
            int fd = linux.listener(host.getHostAddress(), port, Limits.LISTEN_BACKLOG, reusePort);
            if (fd == -Linux.EADDRINUSE || fd == -Linux.EACCES) {
                throw new BindException(Linux.exception("bind", fd).getMessage()); // Main says "cannot listen"
            }
            if (fd < 0) {
                throw Linux.exception("listen on " + host.getHostAddress() + ":" + port, fd);
            }
            // TCP_NODELAY on the listener: Linux copies it to every socket accept4 returns, so a
            // connection costs no setsockopt of its own. A file's body can follow its head in a
            // second write (sendfile); without it that write could wait for the ACK of the first
            // (Nagle + delayed ACK, ~40 ms).
            int r = linux.setsockopt(fd, Linux.IPPROTO_TCP, Linux.TCP_NODELAY, 1);
            int bound = r < 0 ? r : linux.localPort(fd);
            if (bound < 0) {
                linux.close(fd);
                throw Linux.exception("listener", bound);
            }
            return new Listener(fd, bound, users);
        }
    }
    // end::native-listen[]

    /** From any thread, once or more: no new connections. The socket stays open (see the class comment). */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            try (Arena call = NativeMemory.confined()) {
                new Linux(call).shutdown(fd, Linux.SHUT_RDWR);
            }
        }
    }

    boolean isStopped() {
        return stopped.get();
    }

    /** One user lets go; the last one closes the socket. */
    void release(Linux linux) {
        if (users.decrementAndGet() == 0) {
            stop();
            linux.close(fd);
        }
    }
}
