package dev.warpjourney.bench;

/** Memory of a server holding {@code idle} idle connections, measured before a round's wrk run. */
record Memory(String server, int idle, int round, long rssKib, long heapUsedKib) {}
