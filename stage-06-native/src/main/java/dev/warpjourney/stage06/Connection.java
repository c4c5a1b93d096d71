package dev.warpjourney.stage06;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One client connection: its bytes in, the response being written, and its deadline.
 * Only the loop thread touches it.
 */
final class Connection {
    enum State {
        READING,
        WRITING,
        LINGERING,
        CLOSED
    }

    /** The socket's descriptor: this connection's alone until {@link #close}, after which its number is not ours. */
    private final int fd;
    /** The loop's calls to the kernel (see {@link Io}). */
    private final Io io;
    /** What the loop's epoll set waits for on {@link #fd}: EPOLLIN or EPOLLOUT, as the selector's interest set did. */
    private int interest = Linux.EPOLLIN;

    private final Loop loop;

    /** The loop's one read buffer while the loop serves this connection; null between wake-ups. */
    private ByteBuffer in;
    /** What this connection keeps of a request between wake-ups: nothing, when it is idle. */
    private final Incoming incoming;

    State state = State.READING;
    /** System.nanoTime() after which the loop acts on this connection; set by the loop's deadline verbs. */
    long deadline;
    /** The timeout queue this connection waits in, and its neighbours there. */
    TimeoutQueue queue;

    Connection prev;
    Connection next;
    /** Bytes of a request body still to read and drop. */
    private long bodyToSkip;
    /** Whether the body being dropped has its deadline set (once, when its first read leaves some to come). */
    private boolean skippingBody;
    /** The chunked body being dropped, and the request that answers once it has ended; null otherwise. */
    private ChunkedBody chunkedBody;

    private Request chunkedRequest;
    /** Whether the first byte of the request now being received has arrived (header timeout running). */
    private boolean requestStarted;
    /** Where the head now being received ends, or why it never will: the rules BlockingConnection follows too. */
    private final HeadFraming framing = new HeadFraming();

    /** The response being written, if any: one object for the connection's life (see {@link Outgoing}). */
    private final Outgoing outgoing;
    /**
     * Responses composed into the loop's write buffer and not written yet: the answers to requests
     * that came pipelined in one read, gathered into one write. Always 0 outside {@link #process}:
     * the buffer is the loop's, and the next connection's once this one's wake-up is over.
     */
    private int batched;

    Connection(int fd, Io io, Loop loop) {
        this.fd = fd;
        this.io = io;
        this.loop = loop;
        this.incoming = new Incoming(loop);
        this.outgoing = new Outgoing(loop.fileCache(), loop.reserve());
        loop.deadlines().awaitRequest(this);
        loop.connectionOpened();
    }

    /** The wake-up is over: the loop's buffer goes back, and an unfinished request's bytes stay here. */
    private void giveBack() {
        incoming.giveBack(in, state == State.CLOSED);
        in = null;
    }

    void onReadable() throws IOException {
        in = incoming.borrow();
        try {
            read();
        } finally {
            giveBack();
        }
    }

    private void read() throws IOException {
        if (state == State.LINGERING) {
            int n;
            do { // drop whatever comes until the socket is empty; its end means the client has closed too
                in.clear();
                n = io.read(fd, in);
            } while (n > 0);
            if (n < 0) {
                close();
            }
            return;
        }
        int n = io.read(fd, in);
        if (n < 0) {
            close(); // the client closed; whatever it half-sent is dropped
            return;
        }
        if (n > 0) {
            process();
        }
    }

    /** Whether the loop should call {@link #onReadable} when the socket is readable. */
    boolean waitsToRead() {
        return interest == Linux.EPOLLIN;
    }

    /** Whether the loop should call {@link #onWritable} when the socket can take more. */
    boolean waitsToWrite() {
        return interest == Linux.EPOLLOUT;
    }

    void onWritable() throws IOException {
        if (state == State.WRITING) {
            in = incoming.borrow();
            try {
                writeResponse();
                process(); // the response is out: answer what was pipelined behind it (nothing unless READING)
            } finally {
                giveBack();
            }
        }
    }

    /** Called by the loop when {@link #deadline} has passed. */
    void onTimeout() throws IOException {
        if (state == State.READING && requestStarted) {
            // The client began a request and did not finish it in time (RFC 9110 §15.5.9).
            in = incoming.borrow();
            try {
                send(Response.error(408), false, false);
            } finally {
                giveBack();
            }
        } else {
            close(); // idle keep-alive, a client that stopped reading, or the end of a lingering close
        }
    }

    boolean isIdle() {
        return state == State.READING && !requestStarted && incoming.isEmpty() && bodyToSkip == 0;
    }

    /** The server is shutting down and this connection has nothing in flight. */
    void closeIdle() {
        try {
            lingeringClose(); // not close(): a response we just sent may still be on its way
        } catch (IOException e) {
            close();
        }
    }

    /**
     * Parses and answers as many complete requests as the buffer holds, one at a time, in order.
     *
     * <p>This is the keep-alive loop (Warp's {@code recvRequest; processRequest; when keepAlive
     * loop}): a response that is written at once leaves the state READING and the loop takes the
     * next request; one that has to wait for the socket leaves it WRITING, and the loop stops
     * until {@link #onWritable} finishes the response and calls here again. Nothing calls back
     * into this method, so the stack is as deep for the ten-thousandth pipelined request as for
     * the first; and while a response waits nothing is read, so a client that sends without
     * reading fills its own socket buffers, not our heap.
     */
    private void process() throws IOException {
        processRequests();
        if (batched > 0 && state == State.READING) {
            flushBatch(); // the last of the pipelined requests in the buffer is answered: out they all go
        }
    }

    // tag::process[]
    private void processRequests() throws IOException {
        while (state == State.READING) {
            if (bodyToSkip > 0) {
                int drop = (int) Math.min(bodyToSkip, in.position());
                Incoming.consume(in, drop);
                bodyToSkip -= drop;
                if (bodyToSkip > 0) {
                    if (!skippingBody) {
                        // The body must come within the header timeout, as the head must: a read of a
                        // few of its bytes does not move the deadline, or a client sending a byte a
                        // minute would hold the connection for ever.
                        skippingBody = true;
                        loop.deadlines().awaitHead(this);
                    }
                    return;
                }
            }
            skippingBody = false;
            if (chunkedBody != null) {
                if (!skipChunkedBody()) {
                    return;
                }
                continue;
            }
            int end;
            try {
                int skip = framing.emptyLines(in.array(), in.position());
                if (skip > 0) {
                    Incoming.consume(in, skip);
                    // An empty line is the first byte of a request: the head's deadline runs from it, so a
                    // client that sends one every few seconds cannot hold the connection for ever.
                    startRequest();
                }
                if (in.position() == 0) {
                    if (!framing.begun()) {
                        awaitNextRequest(); // nothing of a request yet: idle
                    }
                    return; // only empty lines so far: the head's deadline runs on
                }
                startRequest();
                end = framing.headEnd(in.array(), in.position());
            } catch (HttpException e) {
                send(Response.error(e.status), false, false);
                return;
            }
            if (end == HeadFraming.INCOMPLETE) {
                if (!in.hasRemaining()) {
                    // Cannot happen within the framing's limits; never spin on a full buffer.
                    send(Response.error(431), false, false);
                } else if (!loop.mayKeep(in.position())) {
                    // Its bytes would be kept until the rest comes, and the loop already holds its budget
                    // of unfinished heads: a flood of half-sent heads cannot take the heap, only get 503.
                    send(Response.error(503), false, false);
                }
                return; // incomplete: wait for more bytes
            }
            requestStarted = false;
            framing.next();
            handle(end);
        }
    }
    // end::process[]

    /** A request's first byte has come: its whole head must follow within the header timeout (no Slowloris). */
    private void startRequest() {
        if (!requestStarted) {
            requestStarted = true;
            loop.deadlines().awaitHead(this);
        }
    }

    /** The buffer is empty between requests: wait, idle, for the next one, or close if the server is stopping. */
    private void awaitNextRequest() {
        requestStarted = false;
        if (loop.isDraining()) {
            closeIdle(); // shutting down: the last response is out and nothing else has come
            return;
        }
        loop.deadlines().awaitRequest(this);
    }

    /**
     * Answers the request whose head is the buffer's first {@code end} bytes, then consumes them:
     * the parsed request points into those bytes, so they stay until it is answered.
     */
    private void handle(int end) throws IOException {
        Request req = loop.request();
        try {
            RequestParser.parse(in.array(), 0, end, req);
        } catch (HttpException e) {
            if (send(Response.error(e.status), false, false)) {
                Incoming.consume(in, end);
            }
            return;
        }
        if (req.contentLength > Limits.MAX_DISCARDED_BODY) {
            if (send(Response.error(413), false, req.minorVersion == 0)) {
                Incoming.consume(in, end);
            }
            return;
        }
        if (req.chunked) {
            // Unlike a Content-Length body, a chunked one can be malformed, and a malformed one
            // gets a 400: so it is read to its end before we answer. The request is not complete
            // until then, so the request-head deadline keeps running (no Slowloris in the body).
            // Its head leaves the buffer before the body is read: the request takes a copy (rare).
            chunkedRequest = req.detach(end);
            Incoming.consume(in, end);
            requestStarted = true;
            chunkedBody = new ChunkedBody();
            return;
        }
        // tag::composer-pipeline[]
        // Another whole request already behind this one, and no body to read in between: its
        // response may wait in the write buffer and leave with the next one's.
        boolean more = req.contentLength == 0 && HeadFraming.headEnd(in.array(), end, in.position()) >= 0;
        if (!respond(req, more)) {
            return; // the responses before it wait for the socket: it is answered again from its head once they are out
        }
        // end::composer-pipeline[]
        bodyToSkip = req.contentLength;
        Incoming.consume(in, end);
    }

    private boolean respond(Request req, boolean more) throws IOException {
        Response response = loop.files().handle(req, loop.fileCache());
        boolean keepAlive = req.keepAlive && !loop.isDraining();
        return send(response, keepAlive, req.minorVersion == 0, more);
    }

    /** Drops what the buffer holds of a chunked body; true once the body has ended and its request is answered. */
    private boolean skipChunkedBody() throws IOException {
        int used;
        try {
            used = chunkedBody.feed(in.array(), in.position());
        } catch (HttpException e) {
            chunkedBody = null;
            chunkedRequest = null;
            send(Response.error(e.status), false, false);
            return false;
        }
        Incoming.consume(in, used);
        if (!chunkedBody.done()) {
            return false; // the rest of a line, or more data, is still to come
        }
        Request req = chunkedRequest;
        chunkedBody = null;
        chunkedRequest = null;
        requestStarted = false;
        respond(req, false);
        return true;
    }

    // tag::send[]
    private boolean send(Response r, boolean keepAlive, boolean http10) throws IOException {
        return send(r, keepAlive, http10, false);
    }

    /**
     * Composes a response and writes it, with the responses batched before it, or batches it.
     *
     * @param more whether another whole request waits in the read buffer behind this one: then a
     *             response that keeps the connection open and needs no descriptor waits in the loop's
     *             write buffer, and leaves with the next (at most as many as the buffer holds)
     * @return false when the response could not be composed now: the batch before it did not fit in
     *         the socket, so this request is answered again, from its head, once the batch is out
     */
    private boolean send(Response r, boolean keepAlive, boolean http10, boolean more) throws IOException {
        boolean fromFile = r.file != null && !r.omitBody && r.fileLength > 0;
        // A small file's bytes, cached: no descriptor at all.
        ByteBuffer small = fromFile ? outgoing.smallBody(r.file, r.fileOffset, r.fileLength) : null;
        byte[] body = r.omitBody || r.file != null ? NO_BYTES : r.body;
        byte[] prefix =
                ResponseHead.prefix(r, loop.heads()); // the file's pre-composed bytes, or this response's, composed now
        int length = prefix.length + ResponseHead.PER_RESPONSE + body.length + (small == null ? 0 : small.remaining());
        ByteBuffer out = loop.writeBuffer();
        if (batched > 0 && out.remaining() < length && !flushBatch()) {
            return false; // the batch waits for the socket, and this response with it
        }
        if (fromFile && small == null) {
            try {
                outgoing.openFile(r.file, r.fileOffset, r.fileLength);
            } catch (IOException e) {
                if (Failures.isOutOfResources(e)) {
                    // Out of descriptors: the file is there and cannot be opened now. 503 says "try
                    // again", and closing this connection gives a descriptor back.
                    return send(Response.error(503), false, http10);
                }
                // The file vanished between lookup and open: the head is not sent yet, so say so.
                return send(Response.error(404), keepAlive, http10, more);
            }
        }
        if (batched == 0) {
            out.clear();
            if (length > out.capacity()) {
                out = ByteBuffer.allocate(length); // a very long redirect (rare)
            }
        }
        ResponseHead.compose(prefix, keepAlive, http10, loop.dates().now(), out);
        out.put(body);
        if (more && keepAlive && !outgoing.hasFile() && out == loop.writeBuffer()) {
            if (small != null) {
                out.put(small); // copied: this response's bytes must be in the batch before the next one's
            }
            batched++;
            return true; // the next request, already in the buffer, is answered before anything is written
        }
        batched = 0;
        outgoing.start(out.flip(), small, !keepAlive);
        state = State.WRITING;
        writeResponse();
        outgoing.keepWhatIsLeft(out);
        return true;
    }

    /**
     * Writes the batched responses alone; false when the socket could not take them all (the rest waits, as a
     * response's).
     */
    private boolean flushBatch() throws IOException {
        ByteBuffer out = loop.writeBuffer();
        batched = 0;
        outgoing.start(out.flip(), null, false);
        state = State.WRITING;
        writeResponse();
        outgoing.keepWhatIsLeft(out);
        return state == State.READING;
    }

    private static final byte[] NO_BYTES = new byte[0];

    private void writeResponse() throws IOException {
        switch (outgoing.write(io, fd)) {
            case BLOCKED -> waitForWritable();
            case TRUNCATED -> close(); // we cannot keep the promised Content-Length
            case SENT -> {
                outgoing.finish();
                if (outgoing.closeAfter()) {
                    lingeringClose();
                    return;
                }
                state = State.READING;
                waitFor(Linux.EPOLLIN);
                loop.deadlines().awaitRequest(this);
                // No call to process() here: the loop that called us takes the next pipelined request.
            }
        }
    }
    // end::send[]

    /** Changes what the epoll set waits for, with one epoll_ctl, only when it changes (as the selector did). */
    private void waitFor(int events) {
        if (interest != events) {
            interest = events;
            io.interest(fd, events);
        }
    }

    private void waitForWritable() {
        waitFor(Linux.EPOLLOUT);
        loop.deadlines().awaitProgress(this);
    }

    /**
     * Closing a socket with unread bytes makes the kernel send RST, and a client that receives RST
     * may discard our last response before reading it. So we send FIN, drop whatever still
     * arrives for a short while, and only then close (RFC 9112 §9.6, nginx's lingering_close).
     */
    private void lingeringClose() throws IOException {
        state = State.LINGERING;
        io.shutdownOutput(fd);
        waitFor(Linux.EPOLLIN);
        loop.deadlines().linger(this);
    }

    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        batched = 0;
        loop.connectionClosed();
        outgoing.release();
        loop.deadlines().cancel(this);
        incoming.release();
        loop.disown(fd); // before the close: from the close on, the number may be another socket's
        io.close(fd); // the epoll set forgets it too: one system call
        loop.reserve().restore();
    }
}
