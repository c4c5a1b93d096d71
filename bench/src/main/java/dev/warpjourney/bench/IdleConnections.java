package dev.warpjourney.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * N keep-alive connections that each fetched the 151-byte page once and then sit idle: the load
 * the c10k scenario puts beside wrk's 100 active connections. They are opened in small batches
 * (a server with a short listen backlog would otherwise drop SYNs and stall the opening for
 * seconds at a time), on one selector thread of the harness.
 */
final class IdleConnections implements AutoCloseable {
    /** Below the JDK's default listen backlog of 50, so that no server sees its queue overflow. */
    private static final int BATCH = 40;

    private static final byte[] REQUEST =
            "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<SocketChannel> open = new ArrayList<>();

    static IdleConnections open(int port, int count, long timeoutMillis) throws IOException {
        IdleConnections idle = new IdleConnections();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try (Selector selector = Selector.open()) {
            for (int done = 0; done < count; done += BATCH) {
                int n = Math.min(BATCH, count - done);
                idle.batch(selector, port, n, deadline);
            }
        } catch (IOException | RuntimeException e) {
            idle.close();
            throw e;
        }
        return idle;
    }

    private void batch(Selector selector, int port, int n, long deadline) throws IOException {
        int pending = 0;
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            ch.register(selector, SelectionKey.OP_CONNECT, new Progress());
            pending++;
        }
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (pending > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new IOException("opening idle connections timed out with " + open.size() + " open");
            }
            selector.select(left);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                SocketChannel ch = (SocketChannel) key.channel();
                Progress p = (Progress) key.attachment();
                if (key.isConnectable()) {
                    ch.finishConnect();
                    ch.write(ByteBuffer.wrap(REQUEST)); // 44 bytes: always fits an empty socket buffer
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    buf.clear();
                    int r = ch.read(buf);
                    if (r < 0) {
                        throw new IOException("server closed an idle connection while it was being opened");
                    }
                    p.accept(buf.array(), r);
                    if (p.complete()) {
                        key.cancel();
                        open.add(ch);
                        pending--;
                    }
                }
            }
        }
        selector.selectNow(); // flush the cancelled keys so the channels can go back to blocking use later
    }

    /** How many the server has not closed: a non-blocking read returns 0 on an open, idle connection. */
    int stillOpen() {
        int alive = 0;
        ByteBuffer buf = ByteBuffer.allocate(1);
        for (SocketChannel ch : open) {
            try {
                buf.clear();
                if (ch.read(buf) == 0) {
                    alive++;
                }
            } catch (IOException e) {
                // reset: closed
            }
        }
        return alive;
    }

    @Override
    public void close() {
        for (SocketChannel ch : open) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        open.clear();
    }

    /** Reads one response: head up to CR LF CR LF, then Content-Length bytes. */
    private static final class Progress {
        private final StringBuilder head = new StringBuilder();
        private long bodyLeft = -1;

        void accept(byte[] bytes, int n) {
            int i = 0;
            while (bodyLeft < 0 && i < n) {
                head.append((char) bytes[i++]);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    String h = head.toString().toLowerCase();
                    int at = h.indexOf("content-length:");
                    bodyLeft = at < 0
                            ? 0
                            : Long.parseLong(
                                    h.substring(at + 15, h.indexOf('\r', at)).trim());
                }
            }
            if (bodyLeft > 0) {
                bodyLeft -= n - i;
            }
        }

        boolean complete() {
            return bodyLeft == 0;
        }
    }
}
