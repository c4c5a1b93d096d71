package dev.warpjourney.bench;

/** One system call's line in strace -c's table: calls, failed calls, and seconds spent in it. */
record Syscall(long calls, long errors, double seconds) {
    double usecsPerCall() {
        return calls == 0 ? Double.NaN : seconds * 1e6 / calls;
    }
}
