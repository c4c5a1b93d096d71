package dev.warpjourney.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The floor: the fastest a Java NIO server can answer on loopback, to read every stage against.
 * One epoll loop; it parses nothing and opens no file. It counts request ends (CR LF CR LF) and
 * writes one pre-built response per request: the headers a real server would send and the
 * 151-byte page. A stage can only approach this line.
 *
 * <p>{@code java FloorServer PORT [--close]}: with --close every response says Connection: close
 * and the connection is closed after it (the close scenario).
 */
public final class FloorServer {
    private FloorServer() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        boolean close = args.length > 1 && args[1].equals("--close");
        byte[] response = response(close);

        Selector selector = Selector.open();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024); // one buffer for the whole loop
        System.out.println("floor listening on http://127.0.0.1:" + port + "/");
        while (true) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                try {
                    if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = listener.accept()) != null) {
                            ch.configureBlocking(false);
                            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            ch.register(selector, SelectionKey.OP_READ, new State());
                        }
                        continue;
                    }
                    SocketChannel ch = (SocketChannel) key.channel();
                    State s = (State) key.attachment();
                    if (key.isReadable()) {
                        in.clear();
                        int n = ch.read(in);
                        if (n < 0) {
                            ch.close();
                            continue;
                        }
                        for (int i = 0; i < n; i++) { // count CR LF CR LF, across reads
                            byte b = in.get(i);
                            s.match = (b == '\r')
                                    ? (s.match == 2 ? 3 : 1)
                                    : (b == '\n' && (s.match == 1 || s.match == 3)) ? s.match + 1 : 0;
                            if (s.match == 4) {
                                s.pending++;
                                s.match = 0;
                            }
                        }
                    }
                    flush(ch, key, s, response, close);
                } catch (IOException e) {
                    key.channel().close();
                }
            }
        }
    }

    /** The one response, to every request: the headers a real server would send and the 151-byte page. */
    static byte[] response(boolean close) {
        return ("HTTP/1.1 200 OK\r\n"
                        + "Date: Sat, 01 Sep 2012 00:00:00 GMT\r\n"
                        + "Server: floor\r\n"
                        + "Content-Type: text/html\r\n"
                        + "Content-Length: " + Corpus.INDEX_HTML.length() + "\r\n"
                        + (close ? "Connection: close\r\n" : "")
                        + "\r\n" + Corpus.INDEX_HTML)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void flush(SocketChannel ch, SelectionKey key, State s, byte[] response, boolean close)
            throws IOException {
        while (s.out != null || s.pending > 0) {
            if (s.out == null) {
                int count = close ? 1 : s.pending; // pipelined requests get their responses in one write
                s.out = ByteBuffer.allocate(response.length * count);
                for (int i = 0; i < count; i++) {
                    s.out.put(response);
                }
                s.out.flip();
                s.pending -= count;
            }
            ch.write(s.out);
            if (s.out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            s.out = null;
            if (close) {
                ch.close();
                return;
            }
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    private static final class State {
        int match;
        int pending;
        ByteBuffer out;
    }
}
