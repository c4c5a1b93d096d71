package dev.warpjourney.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb HTTP/1.1 client over a plain socket: it writes exactly the bytes it is given
 * and reads responses byte by byte, so tests see what the server really sent.
 */
public final class RawClient implements AutoCloseable {
    /** Long enough for a loaded CI machine, short enough that a hung server fails the test. */
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int readTimeoutMillis;

    public RawClient(int port) {
        this(port, READ_TIMEOUT_MILLIS);
    }

    /** A client whose reads give up after {@code readTimeoutMillis} (a probe that must be answered quickly). */
    public RawClient(int port, int readTimeoutMillis) {
        this(port, readTimeoutMillis, 0);
    }

    /**
     * A client with a small socket receive buffer, set before it connects (the TCP window is
     * negotiated then): the server can get only that far ahead of a slow reader, so a large
     * response is still being sent from the file while the client reads.
     */
    public static RawClient withReceiveBuffer(int port, int receiveBufferBytes) {
        return new RawClient(port, READ_TIMEOUT_MILLIS, receiveBufferBytes);
    }

    private RawClient(int port, int readTimeoutMillis, int receiveBufferBytes) {
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(readTimeoutMillis);
            this.readTimeoutMillis = readTimeoutMillis;
            // Buffered: reading a head byte by byte must not cost a system call per byte (deep pipelines).
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Socket socket() {
        return socket;
    }

    public RawClient send(String ascii) {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response to a GET (or any request whose response has a body). */
    public HttpResponse read() {
        return read(false);
    }

    /** Reads one response to a HEAD request: fields only, never a body. */
    public HttpResponse readHead() {
        return read(true);
    }

    public HttpResponse read(boolean headRequest) {
        try {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int state = 0; // how much of CR LF CR LF has been seen
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after " + head.size() + " bytes of a response head: "
                            + head.toString(StandardCharsets.ISO_8859_1));
                }
                head.write(b);
                state = switch (state) {
                    case 0, 2 -> b == '\r' ? state + 1 : 0;
                    case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                    default -> 0;
                };
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 3) {
                throw new IOException("malformed status line: " + lines[0]);
            }
            List<String[]> fields = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed field line: " + lines[i]);
                }
                fields.add(new String[] {
                    lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()
                });
            }
            int status = Integer.parseInt(statusLine[1]);
            byte[] body = new byte[0];
            boolean bodiless = headRequest || status == 304 || status == 204 || (status >= 100 && status < 200);
            if (!bodiless) {
                String length = null;
                for (String[] f : fields) {
                    if (f[0].equalsIgnoreCase("Content-Length")) {
                        length = f[1];
                    }
                }
                if (length == null) {
                    throw new IOException("response without Content-Length: " + text);
                }
                body = in.readNBytes(Integer.parseInt(length));
                if (body.length != Integer.parseInt(length)) {
                    throw new IOException("body cut short: " + body.length + " of " + length);
                }
            }
            return new HttpResponse(text, statusLine[0], status, statusLine[2], fields, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads whatever arrives until the server closes the connection; fails if it does not close in time. */
    public byte[] readUntilClosed() {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server has closed its side (EOF, or a reset) within the timeout; no bytes may arrive first. */
    public boolean closedByServer(int timeoutMillis) {
        try {
            socket.setSoTimeout(timeoutMillis);
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected the connection to close, got byte " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset: closed as well
        } finally {
            try {
                socket.setSoTimeout(readTimeoutMillis);
            } catch (IOException ignored) {
                // socket already closed
            }
        }
    }

    /**
     * Reads whatever arrives until the server closes the connection, and returns it; a reset counts
     * as the close (a server that stops draining a client still writing may reset). Fails if the
     * connection is still open after the read timeout.
     */
    public byte[] readRestAllowingReset() {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] sink = new byte[4096];
        try {
            int n;
            while ((n = in.read(sink)) >= 0) {
                rest.write(sink, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + readTimeoutMillis + " ms", e);
        } catch (IOException e) {
            // connection reset: closed as well
        }
        return rest.toByteArray();
    }

    /**
     * Reads and drops whatever arrives (an error response, say) until the server closes the
     * connection. True if it closed (EOF or reset) within the timeout, false if it stayed open.
     */
    public boolean drainUntilClosed(int timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            byte[] sink = new byte[4096];
            while (true) {
                int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout(left);
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset: closed as well
        }
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
