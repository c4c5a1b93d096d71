package dev.warpjourney.stage06;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection in model VTHREADS, served by its own virtual thread in plain blocking
 * code: the same HTTP behaviour as {@link Connection}, without a state machine. Where Connection
 * must remember, between wake-ups, how far it got (reading a head, dropping a body, writing a
 * file), this class simply is there in its code, and the virtual thread's stack remembers it
 * while the JDK parks it.
 *
 * <p>Timeouts: every read waits at most until its deadline, through the socket's SO_TIMEOUT set
 * to what is left of it (the request head has one deadline for all its reads, so a client that
 * trickles cannot extend it: no Slowloris); writes are bounded by the server's
 * {@link TimeoutManager}, since the JDK has no write timeout.
 */
final class BlockingConnection implements Runnable {

    /** Where this connection is, for a stop that wants to close the idle ones. */
    private static final int BUSY = 0;

    private static final int IDLE = 1;
    private static final int CLOSED = 2;

    /** Bytes of a file written through the blocking write when the socket is full (see {@link #sendFile}). */
    private static final int STALL_WRITE = 8192;

    private final SocketChannel channel;
    private final BlockingServer server;
    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private final TimeoutManager.Handle writeTimeout;
    /** BUSY, IDLE or CLOSED. Shared, mutable: this connection's thread and a stopping server's both swap it. */
    private final AtomicInteger state = new AtomicInteger(BUSY);

    /** What has come and is not processed yet, and the way to wait for more. */
    private final BlockingInput input;
    /** Where the head now being received ends, or why it never will: the rules Connection follows too. */
    private final HeadFraming framing = new HeadFraming();
    /** System.nanoTime() by which the head of the request being received must be complete; 0 before its first byte. */
    private long headDeadline;
    /** Allocated by a connection whose socket ever filled up (see {@link #sendFile}). */
    private ByteBuffer stall;
    /**
     * The request being handled, refilled by the parser for each request; {@link #headLength}: its head's bytes at
     * the input buffer's start.
     */
    private final Request request = new Request();

    private int headLength;
    /** Response heads are composed here; made at the first response, kept for the connection's life. */
    private ByteBuffer out;
    /** Enough for every head but a redirect to a very long path. */
    private static final int OUT_SIZE = 1024;

    private static final byte[] NO_BYTES = new byte[0];

    BlockingConnection(SocketChannel channel, BlockingServer server) throws IOException {
        this.channel = channel;
        this.server = server;
        this.input = new BlockingInput(channel, server);
        this.headerTimeoutNanos = server.config().requestHeaderTimeout().toNanos();
        this.idleTimeoutNanos = server.config().idleTimeout().toNanos();
        this.writeTimeout = server.writeTimeouts().register(channel);
    }

    @Override
    public void run() {
        try {
            // On a virtual thread the JDK keeps the socket non-blocking underneath, switched once at its
            // first untimed read or write. A timed read does not switch it for good: it switches and
            // switches back around each call, four fcntl(2) calls (sun.nio.ch.SocketChannelImpl.blockingRead),
            // and every read here is timed. A write of nothing makes the one switch now.
            channel.write(ByteBuffer.allocate(0));
            serve();
        } catch (IOException e) {
            // The client is gone (reset, broken pipe, the end of the stream or a timeout mid-body), or
            // the connection was closed under us, by a stop or by the timeout manager: close.
        } catch (RuntimeException | Error e) {
            Failures.unexpected(
                    e); // a bug, or an Error in this connection's work: this thread ends, the server does not
        } finally {
            close();
        }
    }

    /**
     * The keep-alive loop in Warp's shape: {@code recvRequest; processRequest; when keepAlive loop}.
     * A plain loop, so the stack is as deep for the ten-thousandth pipelined request as for the
     * first; and it reads only when the buffer holds no complete request, so a client that sends
     * without reading fills its own socket buffers, not our heap.
     */
    // tag::keepalive[]
    private void serve() throws IOException {
        boolean keepAlive = true;
        while (keepAlive) {
            try {
                Request req = recvRequest();
                if (req == null) {
                    return; // the client closed or stayed idle, or the server is stopping: no response owed
                }
                keepAlive = processRequest(req);
            } catch (HttpException e) {
                send(Response.error(e.status), false, false);
                keepAlive = false;
            }
        }
        lingeringClose();
    }
    // end::keepalive[]

    /**
     * The next request head, or null when the connection should simply close. Throws for a head
     * that gets an error response: 408 when it did not come in time, 414, 431, or the parser's.
     */
    private Request recvRequest() throws IOException, HttpException {
        framing.next(); // the buffer's first bytes, after any empty lines, are this request's
        while (true) {
            int skip = framing.emptyLines(input.buf, input.len);
            if (skip > 0) {
                input.consume(skip);
                startRequest(); // an empty line is the first byte of a request: the head's deadline runs from it
            }
            if (input.len == 0 && framing.begun()) {
                if (!readBefore(headDeadline)) {
                    return null; // the client gave up
                }
                continue; // only empty lines so far: the head's deadline runs on
            }
            if (input.len == 0) {
                headDeadline = 0;
                if (!awaitRequest()) {
                    return null; // the client closed or stayed idle, or the server is stopping
                }
                continue;
            }
            startRequest();
            int end = framing.headEnd(input.buf, input.len);
            if (end != HeadFraming.INCOMPLETE) {
                RequestParser.parse(input.buf, 0, end, request);
                headLength = end; // consumed once the request is answered: it points into these bytes
                return request;
            }
            if (input.full()) {
                if (input.buf.length == Limits.READ_BUFFER_SIZE) {
                    throw new HttpException(431, "head does not fit"); // cannot happen within the framing's limits
                }
                input.grow(); // a long head: room for the longest we accept
            }
            if (!readBefore(headDeadline)) {
                return null; // the client gave up mid-head
            }
        }
    }

    /** The request's first byte has come: its whole head must follow within the header timeout. */
    private void startRequest() {
        if (headDeadline == 0) {
            headDeadline = System.nanoTime() + headerTimeoutNanos;
        }
    }

    /**
     * Waits, idle, for the first bytes of the next request; false when the connection is to close
     * instead: the client closed it, the idle timeout passed, or the server is stopping.
     */
    private boolean awaitRequest() throws IOException {
        // Marked idle first, the stop checked next: a stop that begins in between sees the mark and
        // closes us (closeIfIdle), one that began before is seen here.
        state.set(IDLE);
        if (server.isDraining()) {
            return false; // the last response is out and nothing else has come
        }
        int n;
        try {
            n = input.read(idleTimeoutNanos);
        } catch (SocketTimeoutException e) {
            return false; // idle keep-alive: close
        } catch (IOException e) {
            if (state.get() == CLOSED) {
                return false; // closed by a stop while idle
            }
            throw e;
        }
        if (n > 0 && state.compareAndSet(IDLE, BUSY)) {
            return true;
        }
        if (n > 0) {
            // Bytes came, but a stop closed us meanwhile (closeIfIdle sent our FIN): a request we will not
            // answer. Drop what comes for a moment before closing, so that the unread bytes do not make
            // the close a reset that could destroy our last response in flight (see lingeringClose).
            lingeringClose();
        }
        return false;
    }

    /** Reads more of a request, waiting at most until {@code deadline}; false at the end of the stream. */
    private boolean readBefore(long deadline) throws IOException, HttpException {
        long left = deadline - System.nanoTime();
        try {
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            return input.read(left) > 0;
        } catch (SocketTimeoutException e) {
            // The client began a request and did not finish it in time (RFC 9110 §15.5.9).
            throw new HttpException(408, "request head timed out");
        }
    }

    /** Answers one request; false when the connection closes after it. */
    private boolean processRequest(Request req) throws IOException, HttpException {
        boolean http10 = req.minorVersion == 0;
        if (req.contentLength > Limits.MAX_DISCARDED_BODY) {
            send(Response.error(413), false, http10);
            return false;
        }
        if (req.chunked) {
            // Unlike a Content-Length body, a chunked one can be malformed, and a malformed one gets a
            // 400: so it is read to its end before we answer, still under the request head's deadline.
            // The head leaves the buffer first, so the request takes a copy of it (rare).
            req = req.detach(headLength);
            input.consume(headLength);
            headLength = 0;
            skipChunkedBody();
        }
        headDeadline = 0;
        Response response = server.files().handle(req, server.fileCache());
        boolean keepAlive = send(response, req.keepAlive && !server.isDraining(), http10);
        input.consume(headLength);
        headLength = 0;
        // A Content-Length body is dropped after the answer, as Connection does. All of it must come
        // within the header timeout (a timeout ends the connection with an exception): a deadline
        // per read would let a client sending a byte a minute hold the connection for ever.
        long bodyToSkip = req.contentLength;
        long bodyDeadline = System.nanoTime() + headerTimeoutNanos;
        while (keepAlive && bodyToSkip > 0) {
            long left = bodyDeadline - System.nanoTime();
            if (input.len == 0 && (left <= 0 || input.read(left) < 0)) {
                throw new EOFException("the client closed in the middle of a body");
            }
            int drop = (int) Math.min(bodyToSkip, input.len);
            input.consume(drop);
            bodyToSkip -= drop;
        }
        return keepAlive;
    }

    private void skipChunkedBody() throws IOException, HttpException {
        ChunkedBody body = new ChunkedBody();
        while (true) {
            input.consume(body.feed(input.buf, input.len));
            if (body.done()) {
                return;
            }
            if (input.full()) {
                input.grow(); // a long chunk line or trailer (ChunkedBody bounds it)
            }
            if (!readBefore(headDeadline)) {
                throw new EOFException("the client closed in the middle of a body");
            }
        }
    }

    /** Writes a whole response; returns whether the connection stays open after it. */
    // tag::send[]
    private boolean send(Response r, boolean keepAlive, boolean http10) throws IOException {
        FileChannel file = null;
        ByteBuffer body = null;
        if (r.file != null && !r.omitBody && r.fileLength > 0) {
            ByteBuffer bytes = server.fileCache().body(r.file);
            if (bytes != null) {
                body = bytes.duplicate().clear().position((int) r.fileOffset).limit((int)
                        (r.fileOffset + r.fileLength));
            } else {
                try {
                    file = openFile(r.file);
                } catch (IOException e) {
                    if (Failures.isOutOfResources(e)) {
                        // Out of descriptors: the file is there and cannot be opened now. 503 says "try
                        // again", and closing this connection gives a descriptor back.
                        return send(Response.error(503), false, http10);
                    }
                    // The file vanished between lookup and open: the head is not sent yet, so say so.
                    return send(Response.error(404), keepAlive, http10);
                }
            }
        }
        try {
            byte[] small = r.omitBody || r.file != null ? NO_BYTES : r.body;
            byte[] prefix = ResponseHead.prefix(r, server.config().heads());
            int need = prefix.length + ResponseHead.PER_RESPONSE + small.length;
            if (out == null || out.capacity() < need) {
                out = ByteBuffer.allocate(Math.max(need, OUT_SIZE)); // kept for the connection's life
            }
            out.clear();
            ResponseHead.compose(prefix, keepAlive, http10, server.dates().now(), out);
            out.put(small).flip();
            writeTimeout.resume();
            if (body != null) {
                writeGathering(out, body); // head and a small file's bytes in one writev(2)
            } else {
                write(out);
            }
            if (file != null) {
                sendFile(file, r.fileOffset, r.fileOffset + r.fileLength);
            }
            writeTimeout.pause();
        } finally {
            if (file != null) {
                server.fileCache().release(r.file); // the cache may close it again
                server.reserve().restore();
            }
        }
        return keepAlive;
    }

    private void writeGathering(ByteBuffer head, ByteBuffer body) throws IOException {
        ByteBuffer[] both = {head, body};
        while (head.hasRemaining() || body.hasRemaining()) {
            channel.write(both); // parks on the JDK's write poller while the socket is full
            writeTimeout.tickle();
        }
    }

    private void write(ByteBuffer out) throws IOException {
        while (out.hasRemaining()) {
            channel.write(out); // parks on the JDK's write poller while the socket is full
            writeTimeout.tickle();
        }
    }

    /**
     * The kernel copies file pages to the socket (sendfile): the body never enters the heap. But
     * transferTo does not wait: the JDK keeps the socket non-blocking underneath, so when it is full
     * sendfile(2) says EAGAIN and transferTo returns 0, on a virtual thread as on a loop. A blocking
     * write does wait (it parks on the write poller), so then the next few bytes of the file go out
     * that way, and sendfile takes over again once there is room.
     */
    private void sendFile(FileChannel file, long position, long end) throws IOException {
        while (position < end) {
            long n = file.transferTo(position, end - position, channel);
            if (n == 0) {
                if (stall == null) {
                    stall = ByteBuffer.allocate(STALL_WRITE);
                }
                stall.clear().limit((int) Math.min(STALL_WRITE, end - position));
                n = file.read(stall, position);
                if (n <= 0) {
                    throw new IOException("the file shrank under us: we cannot keep the promised Content-Length");
                }
                write(stall.flip());
            }
            position += n;
            writeTimeout.tickle();
        }
    }
    // end::send[]

    /** The file's descriptor from the server's cache: open already on a hit. */
    private FileChannel openFile(FileEntry file) throws IOException {
        try {
            return server.fileCache().acquire(file);
        } catch (IOException e) {
            if (Failures.isOutOfResources(e) && server.reserve().release()) {
                return server.fileCache().acquire(file); // in the reserve descriptor's place
            }
            throw e;
        }
    }

    /**
     * Closing a socket with unread bytes makes the kernel send RST, and a client that receives RST
     * may discard our last response before reading it. So we send FIN, drop whatever still
     * arrives for a short while, and only then close (RFC 9112 §9.6, nginx's lingering_close).
     */
    private void lingeringClose() throws IOException {
        channel.shutdownOutput();
        long deadline = System.nanoTime() + Limits.LINGER_TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            input.clear(); // dropped
            try {
                if (input.read(left) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                return;
            }
        }
    }

    /**
     * From a stopping server's thread: an idle connection (waiting for a request, nothing of one
     * read) is closed. Our FIN goes out first, after the last response, which the kernel may still
     * be sending; then the input is shut, so that the waiting read ends at once at the end of the
     * stream and the thread closes the socket.
     */
    void closeIfIdle() {
        if (state.compareAndSet(IDLE, CLOSED)) {
            try {
                channel.shutdownOutput();
                channel.shutdownInput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** From a server that stops now: whatever this connection waits on fails at once. */
    void abort() {
        state.set(CLOSED);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    private void close() {
        state.set(CLOSED);
        writeTimeout.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        input.release();
        server.connectionClosed(this);
    }
}
