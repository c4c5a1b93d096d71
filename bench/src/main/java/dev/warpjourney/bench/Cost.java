package dev.warpjourney.bench;

import java.util.Map;

/** One round of the system-call pass: strace -f -c over a wrk run on {@code connections} connections. */
record Cost(
        String scenario,
        int idle,
        String server,
        int round,
        int connections,
        long requests,
        Map<String, Syscall> syscalls) {
    double syscallsPerRequest() {
        return requests == 0
                ? Double.NaN
                : syscalls.values().stream().mapToLong(Syscall::calls).sum() / (double) requests;
    }
}
