package dev.warpjourney.bench;

/**
 * Heap bytes a JVM server allocated over one round's wrk run (its threads' allocation counters), and the requests
 * it answered.
 */
record Allocation(String scenario, String server, int round, long requests, long bytes) {
    double perRequest() {
        return requests == 0 ? Double.NaN : bytes / (double) requests;
    }
}
