package dev.warpjourney.stage06;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the server tells one kind of failure from another, in one place: running out of a resource (worth a pause or
 * a 503, since it passes) apart from a client that is gone (close its connection), and an unexpected error (a bug, or
 * an Error in one connection's work), which closes that connection and is reported once per kind.
 */
final class Failures {
    private Failures() {}

    /** Kinds of unexpected error already reported: each is logged once, so a client that causes one cannot flood the log. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    /**
     * Out of descriptors (EMFILE, ENFILE), socket buffers (ENOBUFS) or memory (ENOMEM). The JDK hands over no errno,
     * only its strerror(3) text: as a FileSystemException's reason when a file will not open
     * (sun.nio.fs.UnixException), as the IOException's message when a socket call fails (sun.nio.ch's native code).
     * So that text is what is compared, the reason where the exception's type gives one.
     */
    static boolean isOutOfResources(IOException e) {
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        return reason != null
                && (reason.contains("Too many open files") // EMFILE, and ENFILE's "... in system"
                        || reason.contains("No buffer space available") // ENOBUFS
                        || reason.contains("Cannot allocate memory")); // ENOMEM
    }

    /** Reports an error that closed one connection, the first time its kind occurs. */
    static void unexpected(Throwable e) {
        if (REPORTED.size() < 64 && REPORTED.add(e.getClass().getName())) {
            System.err.println("stage06: closing a connection after an unexpected error (logged once per kind): " + e);
        }
    }
}
