package dev.warpjourney.stage04;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

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

    private final SocketChannel channel;
    private final SelectionKey key;
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
    /** Where the head now being received ends, or why it never will: the framing rules, written once. */
    private final HeadFraming framing = new HeadFraming();

    private ByteBuffer outHead;
    /**
     * The cached file being sent and its descriptor, which the cache keeps open until {@link #closeFile} releases it.
     */
    private FileEntry outEntry;

    private FileChannel outFile;
    private long filePosition;
    private long fileEnd;
    private boolean closeAfterResponse;

    Connection(SocketChannel channel, SelectionKey key, Loop loop) {
        this.channel = channel;
        this.key = key;
        this.loop = loop;
        this.incoming = new Incoming(loop);
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
                n = channel.read(in);
            } while (n > 0);
            if (n < 0) {
                close();
            }
            return;
        }
        int n = channel.read(in);
        if (n < 0) {
            close(); // the client closed; whatever it half-sent is dropped
            return;
        }
        if (n > 0) {
            process();
        }
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
    // tag::process[]
    private void process() throws IOException {
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
            // Naive: decode everything buffered into a String each time bytes arrive.
            String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            int end;
            try {
                int skip = framing.emptyLines(text);
                if (skip > 0) {
                    Incoming.consume(in, skip);
                    text = text.substring(skip);
                    // An empty line is the first byte of a request: the head's deadline runs from it, so a
                    // client that sends one every few seconds cannot hold the connection for ever.
                    startRequest();
                }
                if (text.isEmpty()) {
                    if (!framing.begun()) {
                        awaitNextRequest(); // nothing of a request yet: idle
                    }
                    return; // only empty lines so far: the head's deadline runs on
                }
                startRequest();
                end = framing.headEnd(text, in.array(), in.position());
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
            String head = text.substring(0, end);
            Incoming.consume(in, end);
            requestStarted = false;
            framing.next();
            handle(head);
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

    private void handle(String head) throws IOException {
        Request req;
        try {
            req = RequestParser.parse(head);
        } catch (HttpException e) {
            send(Response.error(e.status), false, false);
            return;
        }
        if (req.contentLength() > Limits.MAX_DISCARDED_BODY) {
            send(Response.error(413), false, req.minorVersion() == 0);
            return;
        }
        if (req.chunked()) {
            // Unlike a Content-Length body, a chunked one can be malformed, and a malformed one
            // gets a 400: so it is read to its end before we answer. The request is not complete
            // until then, so the request-head deadline keeps running (no Slowloris in the body).
            requestStarted = true;
            chunkedBody = new ChunkedBody();
            chunkedRequest = req;
            return;
        }
        bodyToSkip = req.contentLength();
        respond(req);
    }

    private void respond(Request req) throws IOException {
        Response response = loop.files().handle(req, loop.fileCache());
        boolean keepAlive = req.keepAlive() && !loop.isDraining();
        send(response, keepAlive, req.minorVersion() == 0);
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
        respond(req);
        return true;
    }

    // tag::send[]
    private void send(Response r, boolean keepAlive, boolean http10) throws IOException {
        String head = ResponseHead.compose(r, keepAlive, http10, HttpDate.now());
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = r.omitBody || r.file != null ? new byte[0] : r.body;
        outHead = ByteBuffer.allocate(headBytes.length + body.length)
                .put(headBytes)
                .put(body)
                .flip();
        if (r.file != null && !r.omitBody && r.fileLength > 0) {
            try {
                outFile = openFile(r.file);
                outEntry = r.file;
            } catch (IOException e) {
                if (Failures.isOutOfResources(e)) {
                    // Out of descriptors: the file is there and cannot be opened now. 503 says "try
                    // again", and closing this connection gives a descriptor back.
                    send(Response.error(503), false, http10);
                    return;
                }
                // The file vanished between lookup and open: the head is not sent yet, so say so.
                send(Response.error(404), keepAlive, http10);
                return;
            }
            filePosition = r.fileOffset;
            fileEnd = r.fileOffset + r.fileLength;
        }
        closeAfterResponse = !keepAlive;
        state = State.WRITING;
        writeResponse();
    }

    // tag::fdcache-send[]
    /** The file's descriptor from the loop's cache: open already on a hit, no system call at all. */
    private FileChannel openFile(FileEntry file) throws IOException {
        try {
            return loop.fileCache().acquire(file);
        } catch (IOException e) {
            if (Failures.isOutOfResources(e) && loop.reserve().release()) {
                return loop.fileCache().acquire(file); // in the reserve descriptor's place
            }
            throw e;
        }
    }
    // end::fdcache-send[]

    private void writeResponse() throws IOException {
        while (outHead.hasRemaining()) {
            if (channel.write(outHead) == 0) {
                waitForWritable();
                return;
            }
        }
        while (outFile != null && filePosition < fileEnd) {
            // The kernel copies file pages to the socket (sendfile): the body never enters the heap.
            long n = outFile.transferTo(filePosition, fileEnd - filePosition, channel);
            if (n == 0) {
                if (filePosition >= outFile.size()) {
                    close(); // the file shrank under us: we cannot keep the promised Content-Length
                    return;
                }
                waitForWritable();
                return;
            }
            filePosition += n;
        }
        closeFile();
        outHead = null;
        if (closeAfterResponse) {
            lingeringClose();
            return;
        }
        state = State.READING;
        key.interestOps(SelectionKey.OP_READ);
        loop.deadlines().awaitRequest(this);
        // No call to process() here: the loop that called us takes the next pipelined request.
    }
    // end::send[]

    private void waitForWritable() {
        key.interestOps(SelectionKey.OP_WRITE);
        loop.deadlines().awaitProgress(this);
    }

    /**
     * Closing a socket with unread bytes makes the kernel send RST, and a client that receives RST
     * may discard our last response before reading it. So we send FIN, drop whatever still
     * arrives for a short while, and only then close (RFC 9112 §9.6, nginx's lingering_close).
     */
    private void lingeringClose() throws IOException {
        state = State.LINGERING;
        channel.shutdownOutput();
        key.interestOps(SelectionKey.OP_READ);
        loop.deadlines().linger(this);
    }

    // tag::fdcache-release[]
    /** The response is done with its file (sent, or its connection closed): the cache may close it again. */
    private void closeFile() {
        if (outFile != null) {
            loop.fileCache().release(outEntry);
            outFile = null;
            outEntry = null;
            loop.reserve().restore();
        }
    }
    // end::fdcache-release[]

    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        loop.connectionClosed();
        closeFile();
        loop.deadlines().cancel(this);
        incoming.release();
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        loop.reserve().restore();
    }
}
