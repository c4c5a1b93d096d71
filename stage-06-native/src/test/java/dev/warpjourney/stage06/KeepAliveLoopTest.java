package dev.warpjourney.stage06;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keep-alive loop driven by hand, on a scripted channel: what the client sent, how much the
 * socket takes per write, and how deep the stack is at every write. No epoll, no thread: the
 * test calls what the loop would call, so every step is deterministic.
 */
class KeepAliveLoopTest {

    private static final int PIPELINED = 10_000;

    @TempDir
    static Path root;

    private static Loop loop;

    @BeforeAll
    static void makeLoop() throws IOException {
        Files.writeString(root.resolve("a.txt"), "aaa\n");
        // The connection only needs its loop's files, limits and timeouts. The loop is made and never
        // started: its thread must not run beside this test (the deadline bookkeeping is that thread's
        // alone), and its files stay open (a stopped server closes the root's descriptor).
        Config config = new Config("127.0.0.1", 0, root, Duration.ofSeconds(10), Duration.ofSeconds(60));
        loop = new Loop("keep-alive-test", config, new StaticFiles(root), null);
    }

    /** The descriptor the scripted connections are given: never used as one, the script stands in for the socket. */
    private static final int FD = 1_000_000;

    /**
     * A socket that hands out the scripted input and takes writes up to a budget; it records stack depths. It stands
     * in for the loop's calls to the kernel ({@link Io}), and remembers what the loop waits for, as epoll would.
     */
    static class ScriptedChannel implements Io {
        final byte[] input;
        int inputPos;
        int reads;
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        /** Bytes writes may still take before they return 0 (the socket buffer is full). */
        long writeBudget = Long.MAX_VALUE;

        int minDepth = Integer.MAX_VALUE;
        int maxDepth;
        boolean outputShut;
        /** Calls to write, a gathering one counted once: the system calls a real socket would have made. */
        int writeCalls;
        /** What the loop's epoll set would wait for: EPOLLIN or EPOLLOUT. */
        int interest = Linux.EPOLLIN;

        ScriptedChannel(byte[] input) {
            this.input = input;
        }

        public int read(ByteBuffer dst) {
            reads++;
            if (inputPos == input.length) {
                return 0;
            }
            int n = Math.min(dst.remaining(), input.length - inputPos);
            dst.put(input, inputPos, n);
            inputPos += n;
            return n;
        }

        public int write(ByteBuffer src) {
            writeCalls++;
            return take(src);
        }

        private int take(ByteBuffer src) {
            int depth = StackWalker.getInstance().walk(frames -> (int) frames.count());
            minDepth = Math.min(minDepth, depth);
            maxDepth = Math.max(maxDepth, depth);
            int n = (int) Math.min(src.remaining(), writeBudget);
            byte[] bytes = new byte[n];
            src.get(bytes);
            output.writeBytes(bytes);
            writeBudget -= n;
            return n;
        }

        @Override
        public int read(int fd, ByteBuffer dst) {
            return read(dst);
        }

        @Override
        public long write(int fd, ByteBuffer head, boolean more) {
            return write(head);
        }

        /** A gathering write (stage 05's head and small body), within the same budget: buffer after buffer, as writev(2). */
        @Override
        public long write(int fd, ByteBuffer head, ByteBuffer body, long bodyBase) {
            writeCalls++;
            long total = 0;
            for (ByteBuffer b : new ByteBuffer[] {head, body}) {
                if (!b.hasRemaining()) {
                    continue;
                }
                total += take(b);
                if (b.hasRemaining()) {
                    break; // the budget ran out inside this buffer
                }
            }
            return total;
        }

        @Override
        public long sendfile(int fd, int file, long position, long count) {
            throw new UnsupportedOperationException("the script serves small files only");
        }

        @Override
        public void shutdownOutput(int fd) {
            outputShut = true;
        }

        @Override
        public void close(int fd) {
            // nothing to release
        }

        @Override
        public void interest(int fd, int events) {
            interest = events;
        }
    }

    /** Requests alternating between a file (200) and a missing one (404), so that the order shows. */
    private static byte[] pipelined(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("GET /").append(i % 2 == 0 ? "a.txt" : "missing").append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** How many request heads end within the first {@code length} bytes. */
    private static int completeRequests(byte[] input, int length) {
        int count = 0;
        for (int i = 3; i < length; i++) {
            if (input[i] == '\n' && input[i - 1] == '\r' && input[i - 2] == '\n' && input[i - 3] == '\r') {
                count++;
            }
        }
        return count;
    }

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    private static List<Integer> statuses(ScriptedChannel ch) {
        List<Integer> out = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(ch.output.toString(StandardCharsets.ISO_8859_1));
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    private static void assertAlternating(List<Integer> statuses, int count) {
        assertThat(statuses).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(statuses.get(i)).as("response " + i).isEqualTo(i % 2 == 0 ? 200 : 404);
        }
    }

    @Test
    void tenThousandPipelinedRequestsAreAnsweredInOrderWithAFlatStack() throws IOException {
        ScriptedChannel ch = new ScriptedChannel(pipelined(PIPELINED));
        Connection c = new Connection(FD, ch, loop);
        while (ch.inputPos < ch.input.length) {
            c.onReadable(); // each call reads one buffer-full: hundreds of requests
        }
        assertAlternating(statuses(ch), PIPELINED);
        assertThat(ch.reads).as("one buffer-full per read, not one request").isLessThan(PIPELINED / 100);
        // Every response is written from the same depth, give or take the file path's own frames;
        // a loop that recursed once per request would be hundreds of frames deeper by the end of a read.
        System.out.printf(
                "keep-alive loop: %d pipelined requests, stack depth at write %d..%d%n",
                PIPELINED, ch.minDepth, ch.maxDepth);
        assertThat(ch.maxDepth - ch.minDepth)
                .as("stack growth across %d pipelined requests", PIPELINED)
                .isLessThan(16);
    }

    /**
     * Twenty requests pipelined in one read: their responses go out in order, in one write, where
     * they went in twenty. A socket that takes only part of the batch gets the rest once it drains,
     * and the requests still in the buffer behind it are answered after it, byte for byte the same.
     */
    @Test
    void pipelinedRequestsInOneReadAreAnsweredInOneWrite() throws IOException {
        ScriptedChannel one = new ScriptedChannel(pipelined(20));
        new Connection(FD, one, loop).onReadable();
        assertAlternating(statuses(one), 20);
        assertThat(one.writeCalls).as("write calls for 20 pipelined responses").isEqualTo(1);

        ScriptedChannel slow = new ScriptedChannel(pipelined(20));
        slow.writeBudget = 700; // a few responses, then a full socket
        Connection c = new Connection(FD, slow, loop);
        c.onReadable();
        assertThat(c.state).isEqualTo(Connection.State.WRITING);
        while (c.state == Connection.State.WRITING) {
            slow.writeBudget = 300;
            c.onWritable();
        }
        // The same bytes, however the socket took them (but for the Date, which may have turned a second).
        assertThat(slow.output.toString(StandardCharsets.ISO_8859_1).replaceAll("Date: [^\r]*", "Date: x"))
                .isEqualTo(one.output.toString(StandardCharsets.ISO_8859_1).replaceAll("Date: [^\r]*", "Date: x"));
        assertAlternating(statuses(slow), 20);
    }

    /**
     * Stage 05 composes every head in the loop's one write buffer. A response whose head is out
     * and whose body waits for the socket must not keep pointing at that buffer: the next response
     * composed there (here another connection's, whose write fails, so its bytes stay in the
     * buffer) would go out in the middle of this one's body.
     */
    @Test
    void aResponseWaitingForTheSocketKeepsNothingOfTheLoopsWriteBuffer() throws IOException {
        byte[] request = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ScriptedChannel whole = new ScriptedChannel(request);
        new Connection(FD, whole, loop).onReadable();
        String expected = whole.output.toString(StandardCharsets.ISO_8859_1);
        assertThat(expected).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\naaa\n");

        ScriptedChannel slow = new ScriptedChannel(request);
        slow.writeBudget = expected.length() - 4; // the head goes out, the body waits
        Connection a = new Connection(FD, slow, loop);
        a.onReadable();
        assertThat(a.state).isEqualTo(Connection.State.WRITING);

        ScriptedChannel reset =
                new ScriptedChannel("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                    @Override
                    public int write(ByteBuffer src) {
                        throw new java.io.UncheckedIOException(new IOException("connection reset by peer"));
                    }
                };
        assertThatThrownBy(() -> new Connection(FD, reset, loop).onReadable())
                .isInstanceOf(java.io.UncheckedIOException.class); // its 404 stays composed in the loop's buffer

        slow.writeBudget = Long.MAX_VALUE;
        a.onWritable();
        String got = slow.output.toString(StandardCharsets.ISO_8859_1);
        assertThat(got)
                .as("one response, whole, and nothing of the other connection's")
                .endsWith("\r\n\r\naaa\n")
                .doesNotContain("404")
                .hasSize(expected.length());
    }

    @Test
    void whileAResponseWaitsForTheSocketNothingIsRead() throws IOException {
        ScriptedChannel ch = new ScriptedChannel(pipelined(PIPELINED));
        Connection c = new Connection(FD, ch, loop);
        ch.writeBudget = 100; // the first response does not fit: the socket is full

        c.onReadable();
        assertThat(ch.reads).isEqualTo(1);
        assertThat(ch.inputPos)
                .as("buffered ahead: at most one read buffer")
                .isLessThanOrEqualTo(Limits.READ_BUFFER_SIZE);
        assertThat(ch.interest).as("waiting to write, not reading").isEqualTo(Linux.EPOLLOUT);
        assertThat(c.state).isEqualTo(Connection.State.WRITING);

        // Still full: a writable wake-up writes nothing more and reads nothing.
        c.onWritable();
        assertThat(ch.reads).isEqualTo(1);
        assertThat(ch.interest).isEqualTo(Linux.EPOLLOUT);

        // The socket drains: what was buffered is answered, and reading resumes only then.
        ch.writeBudget = Long.MAX_VALUE;
        int bufferedBefore = ch.inputPos;
        c.onWritable();
        assertThat(ch.reads).as("answering the buffered requests needs no read").isEqualTo(1);
        assertThat(ch.interest).isEqualTo(Linux.EPOLLIN);
        assertThat(statuses(ch))
                .as("every complete request in the buffer is answered")
                .hasSize(completeRequests(ch.input, bufferedBefore));

        while (ch.inputPos < ch.input.length) {
            c.onReadable();
        }
        assertAlternating(statuses(ch), PIPELINED);
    }

    @Test
    void aChunkedGetSentByteByByteIsAnsweredAndTheNextRequestToo() throws IOException {
        byte[] all = ("GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3;x=\"y\"\r\nabc\r\n0\r\nT: 1\r\n\r\n" + "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ScriptedChannel ch = new ScriptedChannel(all) {
            @Override
            public int read(ByteBuffer dst) {
                if (inputPos == input.length || !dst.hasRemaining()) {
                    return 0;
                }
                reads++;
                dst.put(input[inputPos++]);
                return 1;
            }
        };
        Connection c = new Connection(FD, ch, loop);
        while (ch.inputPos < all.length) {
            c.onReadable();
        }
        assertThat(statuses(ch)).containsExactly(200, 404);
        assertThat(ch.output.toString(StandardCharsets.ISO_8859_1)).contains("\r\n\r\naaa\n");
        assertThat(c.state).isEqualTo(Connection.State.READING);
    }

    @Test
    void brokenChunkedFramingGets400AndAClose() throws IOException {
        byte[] all = ("GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "3\r\nabcd\r\n0\r\n\r\n"
                        + "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ScriptedChannel ch = new ScriptedChannel(all);
        Connection c = new Connection(FD, ch, loop);
        c.onReadable();
        String out = ch.output.toString(StandardCharsets.ISO_8859_1);
        assertThat(statuses(ch)).containsExactly(400);
        assertThat(out).contains("\r\nConnection: close\r\n");
        assertThat(ch.outputShut).as("FIN sent: lingering close").isTrue();
        assertThat(c.state).isEqualTo(Connection.State.LINGERING);
    }
}
