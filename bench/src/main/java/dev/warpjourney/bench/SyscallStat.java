package dev.warpjourney.bench;

/** One system call's figures over the strace rounds: per request, and time per call. */
record SyscallStat(
        String name,
        Spread calls,
        Spread perRequest,
        Spread usecsPerCall,
        Spread usecsPerRequest,
        Spread errorsPerRequest) {}
