package dev.warpjourney.bench.rows;

/**
 * A line of syscalls.csv: one system call of one server in one scenario under strace, per request
 * answered, median over the strace rounds with its min and max.
 *
 * @param usecsPerCall strace's time per call, as written (null in a run that did not time calls)
 * @param idle the idle connections held meanwhile, connections wrk's connections, rounds the strace rounds,
 *     requests the requests of a strace round: null in an older run that did not record them
 */
public record SyscallRow(
        String scenario,
        String server,
        String syscall,
        double perRequest,
        Double perRequestMin,
        Double perRequestMax,
        Figure usecsPerCall,
        Double usecsPerCallMin,
        Double usecsPerCallMax,
        Double errorsPerRequest,
        Integer idle,
        Integer connections,
        Integer rounds,
        Double requests) {
    public static SyscallRow of(Cells c) {
        return new SyscallRow(
                c.text("scenario"),
                c.text("server"),
                c.text("syscall"),
                c.number("per_request"),
                c.number("per_request_min"),
                c.number("per_request_max"),
                c.figure("usecs_per_call"),
                c.number("usecs_per_call_min"),
                c.number("usecs_per_call_max"),
                c.number("errors_per_request"),
                c.integer("idle"),
                c.integer("connections"),
                c.integer("rounds"),
                c.number("requests"));
    }
}
