package dev.warpjourney.stage05;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

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

    // tag::buffer[]
    // The loop's one read buffer, lent to this connection while the loop serves it.
    private ByteBuffer in;
    // Bytes of an unfinished request (or a pipelined one waiting behind a slow write), kept between
    // wake-ups. Null for an idle connection: idle connections hold no buffer at all.
    private byte[] leftover;
    // end::buffer[]

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

    /** The head being written: the loop's buffer while {@link #send} runs, a copy of what is left after. */
    private ByteBuffer outHead;
    /** A small file's bytes being written after the head: this connection's view of the cached bytes. */
    private ByteBuffer outBody;
    /** The two buffers of a gathering write, made once per connection. */
    private ByteBuffer[] pair;
    /**
     * The last file this connection sent from its cached bytes, and its view of them: a keep-alive client asking again
     * reuses both.
     */
    private FileCache.Entry viewOf;

    private ByteBuffer view;
    /**
     * The cached file being sent and its descriptor, which the cache keeps open until {@link #closeFile} releases it.
     */
    private FileCache.Entry outEntry;

    private FileChannel outFile;
    private long filePosition;
    private long fileEnd;
    private boolean closeAfterResponse;
    /**
     * Responses composed into the loop's write buffer and not written yet: the answers to requests
     * that came pipelined in one read, gathered into one write. Always 0 outside {@link #process}:
     * the buffer is the loop's, and the next connection's once this one's wake-up is over.
     */
    private int batched;

    Connection(SocketChannel channel, SelectionKey key, Loop loop) {
        this.channel = channel;
        this.key = key;
        this.loop = loop;
        loop.deadlines().awaitRequest(this);
        loop.connectionOpened();
    }

    /** Lends the loop's buffer to this connection, with its leftover bytes at the front. */
    private void borrowBuffer() {
        in = loop.readBuffer();
        in.clear();
        if (leftover != null) {
            in.put(leftover);
            loop.keptBytes(-leftover.length);
            leftover = null;
        }
    }

    /** Gives the buffer back, keeping only the bytes still unprocessed. */
    private void returnBuffer() {
        if (in.position() > 0 && state != State.CLOSED) {
            leftover = Arrays.copyOf(in.array(), in.position());
            loop.keptBytes(leftover.length);
        }
        in = null;
    }

    void onReadable() throws IOException {
        borrowBuffer();
        try {
            read();
        } finally {
            returnBuffer();
        }
    }

    private void read() throws IOException {
        if (state == State.LINGERING) {
            ByteBuffer sink = in;
            while (true) {
                sink.clear();
                int n = channel.read(sink);
                if (n < 0) {
                    close();
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
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
            borrowBuffer();
            try {
                writeResponse();
                process(); // the response is out: answer what was pipelined behind it (nothing unless READING)
            } finally {
                returnBuffer();
            }
        }
    }

    /** Called by the loop when {@link #deadline} has passed. */
    void onTimeout() throws IOException {
        if (state == State.READING && requestStarted) {
            // The client began a request and did not finish it in time (RFC 9110 §15.5.9).
            borrowBuffer();
            try {
                send(Response.error(408), false, false);
            } finally {
                returnBuffer();
            }
        } else {
            close(); // idle keep-alive, a client that stopped reading, or the end of a lingering close
        }
    }

    boolean isIdle() {
        return state == State.READING && !requestStarted && leftover == null && bodyToSkip == 0;
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
                consume(drop);
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
                    consume(skip);
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
                consume(end);
            }
            return;
        }
        if (req.contentLength > Limits.MAX_DISCARDED_BODY) {
            if (send(Response.error(413), false, req.minorVersion == 0)) {
                consume(end);
            }
            return;
        }
        if (req.chunked) {
            // Unlike a Content-Length body, a chunked one can be malformed, and a malformed one
            // gets a 400: so it is read to its end before we answer. The request is not complete
            // until then, so the request-head deadline keeps running (no Slowloris in the body).
            // Its head leaves the buffer before the body is read: the request takes a copy (rare).
            chunkedRequest = req.detach(end);
            consume(end);
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
        consume(end);
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
        consume(used);
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

    private void consume(int count) {
        byte[] a = in.array();
        int remaining = in.position() - count;
        System.arraycopy(a, count, a, 0, remaining);
        in.position(remaining);
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
        outBody = null;
        ByteBuffer small = null;
        if (r.file != null && !r.omitBody && r.fileLength > 0) {
            ByteBuffer bytes = loop.fileCache().body(r.file);
            if (bytes != null) {
                small = bodyView(r.file, bytes, r.fileOffset, r.fileLength); // a small file: no descriptor at all
            }
        }
        byte[] body = r.omitBody || r.file != null ? NO_BYTES : r.body;
        byte[] prefix = ResponseHead.prefix(r); // the file's pre-composed bytes, or this response's, composed now
        int length = prefix.length + ResponseHead.PER_RESPONSE + body.length + (small == null ? 0 : small.remaining());
        ByteBuffer out = loop.writeBuffer();
        if (batched > 0 && out.remaining() < length && !flushBatch()) {
            return false; // the batch waits for the socket, and this response with it
        }
        if (small != null) {
            outBody = small;
        } else if (r.file != null && !r.omitBody && r.fileLength > 0) {
            try {
                outFile = openFile(r.file);
                outEntry = r.file;
            } catch (IOException e) {
                if (Failures.isOutOfResources(e)) {
                    // Out of descriptors: the file is there and cannot be opened now. 503 says "try
                    // again", and closing this connection gives a descriptor back.
                    return send(Response.error(503), false, http10);
                }
                // The file vanished between lookup and open: the head is not sent yet, so say so.
                return send(Response.error(404), keepAlive, http10, more);
            }
            filePosition = r.fileOffset;
            fileEnd = r.fileOffset + r.fileLength;
        }
        if (batched == 0) {
            out.clear();
            if (length > out.capacity()) {
                out = ByteBuffer.allocate(length); // a very long redirect (rare)
            }
        }
        ResponseHead.compose(prefix, keepAlive, http10, loop.dates().now(), out);
        out.put(body);
        if (more && keepAlive && outFile == null && out == loop.writeBuffer()) {
            if (outBody != null) {
                out.put(outBody); // copied: this response's bytes must be in the batch before the next one's
                outBody = null;
            }
            batched++;
            return true; // the next request, already in the buffer, is answered before anything is written
        }
        batched = 0;
        outHead = out.flip();
        closeAfterResponse = !keepAlive;
        state = State.WRITING;
        writeResponse();
        keepWhatIsLeft(out);
        return true;
    }

    /**
     * Writes the batched responses alone; false when the socket could not take them all (the rest waits, as a
     * response's).
     */
    private boolean flushBatch() throws IOException {
        ByteBuffer out = loop.writeBuffer();
        batched = 0;
        outHead = out.flip();
        outBody = null;
        closeAfterResponse = false;
        state = State.WRITING;
        writeResponse();
        keepWhatIsLeft(out);
        return state == State.READING;
    }

    /**
     * After a write that the socket did not take whole: the loop's buffer is the next response's
     * (any connection's), so what is left of the head moves here: nothing, once the head is out
     * and only the body waits.
     */
    private void keepWhatIsLeft(ByteBuffer out) {
        if (outHead == out) {
            outHead = out.hasRemaining()
                    ? ByteBuffer.allocate(out.remaining()).put(out).flip()
                    : NO_HEAD;
        }
    }

    private static final byte[] NO_BYTES = new byte[0];
    /** An empty head, for a response whose head is out and whose body still waits for the socket. */
    private static final ByteBuffer NO_HEAD = ByteBuffer.allocate(0);

    /** This connection's own position in a cached file's bytes (the bytes are shared; their position cannot be). */
    private ByteBuffer bodyView(FileCache.Entry file, ByteBuffer bytes, long offset, long length) {
        if (viewOf != file) {
            dropView();
            view = bytes.duplicate();
            viewOf = file;
            loop.fileCache().view(file);
        }
        view.clear().position((int) offset).limit((int) (offset + length));
        return view;
    }

    /**
     * Lets this connection's view of a cached file's bytes go (the cache counts the bytes until every view is gone).
     */
    private void dropView() {
        if (viewOf != null) {
            loop.fileCache().unview(viewOf);
            viewOf = null;
            view = null;
        }
    }

    private ByteBuffer[] gather(ByteBuffer head, ByteBuffer body) {
        if (pair == null) {
            pair = new ByteBuffer[2];
        }
        pair[0] = head;
        pair[1] = body;
        return pair;
    }

    // tag::fdcache-send[]
    /** The file's descriptor from the loop's cache: open already on a hit, no system call at all. */
    private FileChannel openFile(FileCache.Entry file) throws IOException {
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

    // tag::composer-write[]
    private void writeResponse() throws IOException {
        while (outHead.hasRemaining() || (outBody != null && outBody.hasRemaining())) {
            // Head and a small file's bytes in one writev(2): the whole response in one system call.
            long n = outBody == null ? channel.write(outHead) : channel.write(gather(outHead, outBody));
            if (n == 0) {
                waitForWritable();
                return;
            }
        }
        // end::composer-write[]
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
        outBody = null;
        if (viewOf != null && viewOf.retired) {
            dropView(); // the cache let these bytes go: an idle connection does not keep them alive
        }
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
        batched = 0;
        loop.connectionClosed();
        closeFile();
        loop.deadlines().cancel(this);
        if (leftover != null) {
            loop.keptBytes(-leftover.length);
        }
        leftover = null;
        outBody = null;
        dropView();
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        loop.reserve().restore();
    }
}
