package dev.warpjourney.stage06;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One descriptor held in reserve. Under a descriptor limit every accepted connection costs one and serving it costs
 * one more, for the file: without a reserve the last connection accepted could only get a 503. With it, that file
 * opens in the reserve's place, and accept(2) is what fails first: the server stops taking clients it could not
 * serve. (libuv keeps a reserve descriptor for the same kind of reason.)
 *
 * <p>One per event loop, taken when the loop is made and released when it ends; one for a server of virtual threads.
 * Shared, mutable there: any connection may spend it or take it back, so it is swapped atomically (a loop's one
 * thread never contends for it).
 */
final class ReserveDescriptor {
    /** What the reserve descriptor is open on: any file will do, this one always exists. */
    private static final Path RESERVE = Path.of("/dev/null");

    /** The reserve, open; null while spent. */
    private final AtomicReference<FileChannel> held = new AtomicReference<>();

    ReserveDescriptor() {
        restore();
    }

    /** Gives the reserve descriptor back to the process so that a file can open; false if it is spent. */
    boolean release() {
        FileChannel r = held.getAndSet(null);
        if (r == null) {
            return false;
        }
        try {
            r.close();
        } catch (IOException ignored) {
            // the descriptor is released either way
        }
        return true;
    }

    /** Takes the reserve again once it is spent and a descriptor has come back (a file or a connection closed). */
    void restore() {
        if (held.get() == null) {
            try {
                FileChannel r = FileChannel.open(RESERVE);
                if (!held.compareAndSet(null, r)) {
                    r.close(); // another connection took it back first
                }
            } catch (IOException e) {
                // still out of descriptors: the next one to come back will do
            }
        }
    }
}
