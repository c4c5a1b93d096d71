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
 * @param quota       a CPU budget of its own for every server, a fraction of each server CPU (warp@0.3: 0.3 of a
 *                    core), instead of the journey's --server-quota; NaN: the journey's
 * @param gapMs       the latency pass: each connection waits a random 0 to 2 x gapMs before each request
 *                    (paced.lua), so that every server is offered the same load; NaN: as fast as the server answers
 * @param depth       requests wrk sends in one write on each connection (pipeline.lua), 1 without pipelining
 */
record Scenario(
        String name,
        String path,
        int connections,
        boolean close,
        boolean manyFiles,
        String what,
        double quota,
        double gapMs,
        int depth) {

    Scenario(String name, String path, int connections, boolean close, boolean manyFiles, String what) {
        this(name, path, connections, close, manyFiles, what, Double.NaN, Double.NaN, 1);
    }

    /** Requests in flight per connection in the pipeline scenario: TechEmpower's plaintext test sends 16. */
    static final int PIPELINE_DEPTH = 16;

    /**
     * A scenario by name; NAME@F is scenario NAME with every server held to F of each of its CPUs
     * (the headline comparison at a second budget: see {@link #headline()}).
     */
    static Scenario of(String name) {
        int at = name.indexOf('@');
        if (at > 0) {
            Scenario base = of(name.substring(0, at));
            double quota;
            try {
                quota = Double.parseDouble(name.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        name + ": the budget after @ is a fraction of a core, e.g. warp@0.3");
            }
            if (!base.wrk() || !(quota > 0 && quota <= 1)) {
                throw new IllegalArgumentException(
                        name + ": a budget (0 < F <= 1) after a wrk scenario, e.g. warp@0.3");
            }
            return new Scenario(
                    name,
                    base.path,
                    base.connections,
                    base.close,
                    base.manyFiles,
                    base.what + ", every server held to " + quota + " of a core",
                    quota,
                    Double.NaN,
                    base.depth);
        }
        return switch (name) {
            // weighttp -c 1000 -k against nginx's 151-byte index.html: Warp's own benchmark.
            case "warp" ->
                new Scenario(name, "/index.html", 1000, false, false, "151-byte file, keep-alive, 1,000 connections");
            // 100 active connections while the harness holds N idle ones.
            case "c10k" ->
                new Scenario(
                        name,
                        "/index.html",
                        100,
                        false,
                        false,
                        "151-byte file, 100 active connections beside N idle ones");
            case "close" ->
                new Scenario(name, "/index.html", 50, true, false, "151-byte file, a new connection per request");
            case "large" -> new Scenario(name, "/1m.bin", 20, false, false, "1 MiB file, keep-alive, 20 connections");
            // TechEmpower's plaintext test: requests pipelined 16 at a time, answered in order.
            case "pipeline" ->
                new Scenario(
                        name,
                        "/index.html",
                        100,
                        false,
                        false,
                        "151-byte file, " + PIPELINE_DEPTH + " requests pipelined per write, 100 connections",
                        Double.NaN,
                        Double.NaN,
                        PIPELINE_DEPTH);
            case "manyfiles" ->
                new Scenario(name, "/files/", 100, false, true, "a random file of 10,000 (1-8 KiB), 100 connections");
            // Not a wrk scenario: slow connections trickle headers while a probe client measures (see Slowloris).
            case "slowloris" ->
                new Scenario(
                        name,
                        "/index.html",
                        1,
                        false,
                        false,
                        "N connections trickling headers, a fresh client probing");
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The same scenario on fewer connections. */
    Scenario withConnections(int n) {
        return new Scenario(name, path, n, close, manyFiles, what, quota, gapMs, depth);
    }

    /** The same scenario with every connection pacing its requests (the latency pass). */
    Scenario paced(double gapMs) {
        if (manyFiles) {
            throw new IllegalArgumentException("the latency pass paces one file's scenarios only");
        }
        return new Scenario(name, path, connections, close, manyFiles, what, quota, gapMs, depth);
    }

    boolean isPaced() {
        return !Double.isNaN(gapMs);
    }

    boolean pipelined() {
        return depth > 1;
    }

    /**
     * A scenario with a budget of its own is the headline comparison at another budget: it runs
     * only the newest stage, nginx and the floor (the others would add an hour and no verdict).
     */
    boolean headline() {
        return !Double.isNaN(quota);
    }

    /**
     * The floor server answers every request with the same 151 bytes: only meaningful where that is the file asked for.
     */
    boolean floorApplies() {
        return path.equals("/index.html");
    }

    /** Whether wrk drives this scenario (every one but slowloris). */
    boolean wrk() {
        return !name.equals("slowloris");
    }
}
