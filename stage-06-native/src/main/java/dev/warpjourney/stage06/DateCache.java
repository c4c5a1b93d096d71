package dev.warpjourney.stage06;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The Date header's value, as the bytes a response head copies, made at most once a second.
 *
 * <p>Every response must carry a Date (RFC 9110 §6.6.1), with one-second resolution. Stage 04 ran
 * the {@code DateTimeFormatter} for each response, with the objects it makes each time. Warp keeps
 * the formatted date and lets a thread refresh it every second; here the response that first sees
 * a new second makes the new bytes (the clock read is
 * {@code System.currentTimeMillis()}, which Linux answers from the vDSO, without a system call),
 * so an idle server does no work at all and there is no thread to stop.
 *
 * <p>Model LOOPS gives each loop its own; model VTHREADS shares one among all its virtual threads.
 * Sharing is safe without a lock: the second and its bytes travel together in one immutable
 * object behind one volatile field, and two threads that both see a new second both make the same
 * bytes, one of which is kept.
 *
 * <p>{@code --date per-request} switches the cache off: every response formats its own Date, as stage 04's did, so
 * that the chapter can measure what the cache saves in the running server.
 */
final class DateCache {
    /** One second's Date value; never changed once made. */
    private record Second(long epochSecond, byte[] imfFixdate) {}

    /** Once a second (the cache), or for each response (the cache switched off, to measure it). */
    private final Config.Dates how;

    private volatile Second current = new Second(Long.MIN_VALUE, new byte[0]);

    DateCache(Config.Dates how) {
        this.how = how;
    }

    // tag::composer-date[]
    /** "Sun, 06 Nov 1994 08:49:37 GMT" for the current second: no allocation, except once a second. */
    byte[] now() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        if (how == Config.Dates.PER_REQUEST) {
            return HttpDate.format(Instant.ofEpochSecond(second)).getBytes(StandardCharsets.US_ASCII);
        }
        Second s = current;
        if (s.epochSecond() != second) {
            s = new Second(
                    second, HttpDate.format(Instant.ofEpochSecond(second)).getBytes(StandardCharsets.US_ASCII));
            current = s;
        }
        return s.imfFixdate();
    }
    // end::composer-date[]
}
