package dev.warpjourney.stage06;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The response a connection is writing, from the moment it is composed until its last byte is out. It has one of
 * three shapes: a head alone (an error, a redirect, a 304, a HEAD); a head and a small file's bytes from the cache,
 * written together by one writev(2); or a head and then a file's bytes by sendfile(2), from a descriptor the cache
 * keeps open while the response needs it. {@link #write} says how far it got, as a {@link Progress}.
 *
 * <p>One per connection, made with it and reused for each of its responses; only the loop's thread touches it.
 */
final class Outgoing {
    /** What a {@link #write} got done. */
    enum Progress {
        /** Every byte is out. */
        SENT,
        /** The socket is full: the rest waits until it can take more. */
        BLOCKED,
        /** The file shrank under us: the promised Content-Length cannot be kept. */
        TRUNCATED
    }

    /** The loop's file cache and reserve descriptor, for the loop's life. */
    private final FileCache cache;

    private final ReserveDescriptor reserve;

    /** The head being written: the loop's buffer while it is composed and first written, a copy of what is left after. */
    private ByteBuffer head;
    /** A small file's bytes being written after the head: this connection's view of the cached bytes. */
    private ByteBuffer body;
    /**
     * The last file this connection sent from its cached bytes, and its view of them: a keep-alive client asking again
     * reuses both.
     */
    private FileEntry viewOf;

    private ByteBuffer view;
    /** The native address of {@link #view}'s first byte (position 0), found once per view: the writev's second iovec. */
    private long viewBase;
    /** The cached file being sent and its descriptor, which the cache keeps open until {@link #closeFile} releases it. */
    private FileEntry entry;

    /** The file's descriptor, open in the cache; -1 when this response sends no file. */
    private int file = -1;

    private long filePosition;
    private long fileEnd;
    /** Whether the connection closes once this response is out. */
    private boolean closeAfter;

    Outgoing(FileCache cache, ReserveDescriptor reserve) {
        this.cache = cache;
        this.reserve = reserve;
    }

    /**
     * A small file's bytes {@code [offset, offset + length)} as this connection's own view of them (the bytes are
     * shared, their position cannot be); null when the cache keeps no bytes for the file.
     */
    ByteBuffer smallBody(FileEntry file, long offset, long length) {
        ByteBuffer bytes = cache.body(file);
        if (bytes == null) {
            return null;
        }
        if (viewOf != file) {
            dropView();
            view = bytes.duplicate();
            viewBase = MemorySegment.ofBuffer(view.clear()).address(); // a direct buffer: the cache keeps no heap bytes
            viewOf = file;
            cache.view(file);
        }
        view.clear().position((int) offset).limit((int) (offset + length));
        return view;
    }

    // tag::fdcache-send[]
    /** The file's descriptor from the loop's cache: open already on a hit, no system call at all. */
    void openFile(FileEntry file, long offset, long length) throws IOException {
        try {
            this.file = cache.acquireDescriptor(file);
        } catch (IOException e) {
            if (!Failures.isOutOfResources(e) || !reserve.release()) {
                throw e;
            }
            this.file = cache.acquireDescriptor(file); // in the reserve descriptor's place
        }
        this.entry = file;
        this.filePosition = offset;
        this.fileEnd = offset + length;
    }
    // end::fdcache-send[]

    /** Whether this response sends a file from its descriptor. */
    boolean hasFile() {
        return file >= 0;
    }

    /** Whether the connection closes once this response is out. */
    boolean closeAfter() {
        return closeAfter;
    }

    /** The response is composed: {@code head} (and a small file's {@code body}, or null) are to be written. */
    void start(ByteBuffer head, ByteBuffer body, boolean closeAfter) {
        this.head = head;
        this.body = body;
        this.closeAfter = closeAfter;
    }

    // tag::composer-write[]
    /** Writes what the socket takes of the response, up to all of it. */
    Progress write(Io io, int fd) throws IOException {
        while (head.hasRemaining() || (body != null && body.hasRemaining())) {
            // Head and a small file's bytes in one writev(2): the whole response in one system call. A head
            // before a file's sendfile goes with MSG_MORE, as Warp sent it.
            long n = body == null ? io.write(fd, head, hasFile()) : io.write(fd, head, body, viewBase);
            if (n == 0) {
                return Progress.BLOCKED;
            }
        }
        // end::composer-write[]
        while (file >= 0 && filePosition < fileEnd) {
            // The kernel copies file pages to the socket (sendfile): the body never enters the heap.
            long n = io.sendfile(fd, file, filePosition, fileEnd - filePosition);
            if (n < 0) {
                return Progress.TRUNCATED;
            }
            if (n == 0) {
                return Progress.BLOCKED;
            }
            filePosition += n;
        }
        return Progress.SENT;
    }

    /**
     * After a write that the socket did not take whole: the loop's buffer {@code out} is the next response's (any
     * connection's), so what is left of the head moves here: nothing, once the head is out and only the body waits.
     */
    void keepWhatIsLeft(ByteBuffer out) {
        if (head == out) {
            head = out.hasRemaining()
                    ? ByteBuffer.allocate(out.remaining()).put(out).flip()
                    : NO_HEAD;
        }
    }

    /** An empty head, for a response whose head is out and whose body still waits for the socket. */
    private static final ByteBuffer NO_HEAD = ByteBuffer.allocate(0);

    /** Every byte is out: the file goes back to the cache, and a view of bytes the cache let go is dropped. */
    void finish() {
        closeFile();
        head = null;
        body = null;
        if (viewOf != null && viewOf.retired) {
            dropView(); // the cache let these bytes go: an idle connection does not keep them alive
        }
    }

    /** The connection closes: what it holds of the cache goes back. */
    void release() {
        closeFile();
        body = null;
        dropView();
    }

    // tag::fdcache-release[]
    /** The response is done with its file (sent, or its connection closed): the cache may close it again. */
    private void closeFile() {
        if (file >= 0) {
            cache.release(entry);
            file = -1;
            entry = null;
            reserve.restore();
        }
    }
    // end::fdcache-release[]

    /**
     * Lets this connection's view of a cached file's bytes go (the cache counts the bytes until every view is gone).
     */
    private void dropView() {
        if (viewOf != null) {
            cache.unview(viewOf);
            viewOf = null;
            view = null;
        }
    }
}
