package dev.warpjourney.bench;

/** One warm-up run: the throughput the JIT had reached. */
record WarmUp(String scenario, int idle, String server, int run, double seconds, double requestsPerSecond) {}
