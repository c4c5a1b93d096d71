package dev.warpjourney.stage06;

import java.util.Arrays;

// tag::composer-targets[]
/**
 * Request-targets as the client spelt them, each with the cache key its decoding gave. Decoding
 * a target (percent escapes, UTF-8, dot segments) is a pure function of its bytes, so it runs
 * once per spelling, not once per request: a hit hashes and compares the bytes where they lie.
 * An open-addressing table of arrays, since a map keyed by an object would need a key object per
 * request. Bounded: past {@code max} spellings it starts again empty (a client that invents
 * targets costs a decoding each, as every request did in stage 04); a target longer than
 * {@link Limits#MEMO_TARGET} is decoded every time rather than kept.
 */
final class TargetMemo {
    /**
     * The hash's multiplier, odd and drawn once per process: with a fixed one (String's 31) a
     * client can compute thousands of targets with one hash ("Aa" and "BB" collide under 31)
     * and make every probe walk all of them.
     */
    private static final int MULTIPLIER = new java.util.SplittableRandom().nextInt() | 1;
    /** Slots a lookup may probe; a target that would need more is not kept (a flood finds a short table). */
    private static final int MAX_PROBES = 8;

    private final byte[][] raw;
    private final String[] keys;
    private final int max;
    private int size;

    TargetMemo(int max) {
        this.max = max;
        int capacity = Integer.highestOneBit(max * 2 - 1) << 1; // a power of two, at most half full
        raw = new byte[capacity][];
        keys = new String[capacity];
    }

    String get(byte[] buf, int from, int to) {
        int mask = raw.length - 1;
        int i = hash(buf, from, to) & mask;
        for (int probe = 0; probe < MAX_PROBES; probe++, i = (i + 1) & mask) {
            byte[] r = raw[i];
            if (r == null) {
                return null;
            }
            if (Arrays.equals(r, 0, r.length, buf, from, to)) {
                return keys[i];
            }
        }
        return null;
    }

    void put(byte[] buf, int from, int to, String key) {
        if (to - from > Limits.MEMO_TARGET) {
            return;
        }
        if (get(buf, from, to) != null) {
            return;
        }
        if (size >= max) {
            clear();
        }
        int mask = raw.length - 1;
        int i = hash(buf, from, to) & mask;
        for (int probe = 0; raw[i] != null; probe++, i = (i + 1) & mask) {
            if (probe == MAX_PROBES - 1) {
                return; // a crowded neighbourhood: decoded at every request rather than slowing every lookup
            }
        }
        raw[i] = Arrays.copyOfRange(buf, from, to);
        keys[i] = key;
        size++;
    }

    void clear() {
        Arrays.fill(raw, null);
        Arrays.fill(keys, null);
        size = 0;
    }

    int size() {
        return size;
    }

    private static int hash(byte[] buf, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = MULTIPLIER * h + buf[i];
        }
        return h ^ (h >>> 16); // the table uses the low bits: fold the high ones in
    }
}
// end::composer-targets[]
