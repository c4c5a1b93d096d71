package dev.warpjourney.bench;

/**
 * What wrk does in one scenario.
 *
 * @param name        the scenario's name on the command line and in result files
 * @param path        the URL path requested (ignored by manyfiles, which picks from paths.txt)
 * @param connections wrk's -c
 * @param close       a new connection per request (wrk reconnects after each Connection: close)
 * @param manyFiles   each request a random file of the 10,000
 * @param what        one line for the summary table
 */
record Scenario(String name, String path, int connections, boolean close, boolean manyFiles, String what) {

    static Scenario of(String name) {
        return switch (name) {
            // weighttp -c 1000 -k against nginx's 151-byte index.html: Warp's own benchmark.
            case "warp" -> new Scenario(name, "/index.html", 1000, false, false, "151-byte file, keep-alive, 1,000 connections");
            // 100 active connections while the harness holds N idle ones.
            case "c10k" -> new Scenario(name, "/index.html", 100, false, false, "151-byte file, 100 active connections beside N idle ones");
            case "close" -> new Scenario(name, "/index.html", 50, true, false, "151-byte file, a new connection per request");
            case "large" -> new Scenario(name, "/1m.bin", 20, false, false, "1 MiB file, keep-alive, 20 connections");
            case "manyfiles" -> new Scenario(name, "/files/", 100, false, true, "a random file of 10,000 (1-8 KiB), 100 connections");
            // Not a wrk scenario: slow connections trickle headers while a probe client measures (see Slowloris).
            case "slowloris" -> new Scenario(name, "/index.html", 1, false, false, "N connections trickling headers, a fresh client probing");
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The same scenario on fewer connections. */
    Scenario withConnections(int n) {
        return new Scenario(name, path, n, close, manyFiles, what);
    }

    /** The floor server answers every request with the same 151 bytes: only meaningful where that is the file asked for. */
    boolean floorApplies() {
        return path.equals("/index.html");
    }

    /** Whether wrk drives this scenario (every one but slowloris). */
    boolean wrk() {
        return !name.equals("slowloris");
    }
}
