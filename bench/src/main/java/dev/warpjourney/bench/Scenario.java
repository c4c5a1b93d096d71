package dev.warpjourney.bench;

import java.util.Arrays;

/**
 * What wrk does in one scenario: a {@link Kind} (what is asked for, and which passes the journey runs for it) on some
 * connections, perhaps at a CPU budget of its own.
 *
 * @param name        the scenario's name on the command line and in result files (warp, warp@0.3)
 * @param kind        the scenario it is, without its budget
 * @param connections wrk's -c
 * @param quota       a CPU budget of its own for every server, a fraction of each server CPU (warp@0.3: 0.3 of a
 *                    core), instead of the journey's --server-quota; NaN: the journey's
 * @param gapMs       the latency pass: each connection waits a random 0 to 2 x gapMs before each request
 *                    (paced.lua), so that every server is offered the same load; NaN: as fast as the server answers
 */
record Scenario(String name, Kind kind, int connections, double quota, double gapMs) {

    /** Requests in flight per connection in the pipeline scenario: TechEmpower's plaintext test sends 16. */
    static final int PIPELINE_DEPTH = 16;

    /**
     * The scenarios, each with what it asks for and the passes it takes part in beyond the throughput rounds. What a
     * kind does is decided here once, so that the harness asks a scenario ({@link #idleCurve()}) instead of testing its
     * name.
     */
    enum Kind {
        // weighttp -c 1000 -k against nginx's 151-byte index.html: Warp's own benchmark.
        WARP("/index.html", 1000, false, false, 1, "151-byte file, keep-alive, 1,000 connections"),
        // 100 active connections while the harness holds N idle ones.
        C10K("/index.html", 100, false, false, 1, "151-byte file, 100 active connections beside N idle ones"),
        CLOSE("/index.html", 50, true, false, 1, "151-byte file, a new connection per request"),
        LARGE("/1m.bin", 20, false, false, 1, "1 MiB file, keep-alive, 20 connections"),
        // TechEmpower's plaintext test: requests pipelined 16 at a time, answered in order.
        PIPELINE(
                "/index.html",
                100,
                false,
                false,
                PIPELINE_DEPTH,
                "151-byte file, " + PIPELINE_DEPTH + " requests pipelined per write, 100 connections"),
        MANYFILES("/files/", 100, false, true, 1, "a random file of 10,000 (1-8 KiB), 100 connections"),
        // Not a wrk scenario: slow connections trickle headers while a probe client measures (see Slowloris).
        SLOWLORIS("/index.html", 1, false, false, 1, "N connections trickling headers, a fresh client probing");

        /** The URL path requested (ignored by manyfiles, which picks from paths.txt). */
        final String path;
        /** wrk's -c. */
        final int connections;
        /** A new connection per request (wrk reconnects after each Connection: close). */
        final boolean close;
        /** Each request a random file of the 10,000. */
        final boolean manyFiles;
        /** Requests wrk sends in one write on each connection (pipeline.lua), 1 without pipelining. */
        final int depth;
        /** One line for the summary table. */
        final String what;

        Kind(String path, int connections, boolean close, boolean manyFiles, int depth, String what) {
            this.path = path;
            this.connections = connections;
            this.close = close;
            this.manyFiles = manyFiles;
            this.depth = depth;
            this.what = what;
        }

        /** Its name on the command line and in result files: warp, c10k... */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The kind of this name; null for none. */
        static Kind named(String label) {
            return Arrays.stream(values())
                    .filter(k -> k.label().equals(label))
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * A scenario by name; NAME@F is scenario NAME with every server held to F of each of its CPUs
     * (the headline comparison at a second budget: see {@link #headline()}).
     */
    static Scenario of(String name) {
        int at = name.indexOf('@');
        if (at > 0) {
            Kind kind = Kind.named(name.substring(0, at));
            if (kind == null) {
                throw new IllegalArgumentException(name.substring(0, at));
            }
            Scenario base = new Scenario(name.substring(0, at), kind, kind.connections, Double.NaN, Double.NaN);
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
            return new Scenario(name, base.kind, base.connections, quota, Double.NaN);
        }
        Kind kind = Kind.named(name);
        if (kind == null) {
            throw new IllegalArgumentException("unknown scenario " + name + " (known: " + Options.ALL_SCENARIOS
                    + " and " + Options.MORE_SCENARIOS + ")");
        }
        return new Scenario(name, kind, kind.connections, Double.NaN, Double.NaN);
    }

    /** The URL path requested (ignored by manyfiles, which picks from paths.txt). */
    String path() {
        return kind.path;
    }

    /** A new connection per request (wrk reconnects after each Connection: close). */
    boolean close() {
        return kind.close;
    }

    /** Each request a random file of the 10,000. */
    boolean manyFiles() {
        return kind.manyFiles;
    }

    /** Requests wrk sends in one write on each connection (pipeline.lua), 1 without pipelining. */
    int depth() {
        return kind.depth;
    }

    /** One line for the summary table. */
    String what() {
        return headline() ? kind.what + ", every server held to " + quota + " of a core" : kind.what;
    }

    /** The same scenario on fewer connections. */
    Scenario withConnections(int n) {
        return new Scenario(name, kind, n, quota, gapMs);
    }

    /** The same scenario with every connection pacing its requests (the latency pass). */
    Scenario paced(double gapMs) {
        if (manyFiles()) {
            throw new IllegalArgumentException("the latency pass paces one file's scenarios only");
        }
        return new Scenario(name, kind, connections, quota, gapMs);
    }

    boolean isPaced() {
        return !Double.isNaN(gapMs);
    }

    boolean pipelined() {
        return depth() > 1;
    }

    /**
     * A scenario with a budget of its own is the headline comparison at another budget: it runs
     * only the newest stage on NIO, the newest below it, nginx and the floors (the others would add
     * an hour and no verdict), in throughput rounds alone: the passes below belong to the scenario at
     * the journey's budget.
     */
    boolean headline() {
        return !Double.isNaN(quota);
    }

    /**
     * The floor server answers every request with the same 151 bytes: only meaningful where that is the file asked for.
     */
    boolean floorApplies() {
        return path().equals("/index.html");
    }

    /** Whether wrk drives this scenario (every one but slowloris). */
    boolean wrk() {
        return kind != Kind.SLOWLORIS;
    }

    /** c10k: a throughput pass for each idle count (--idle), and every server's memory read in every round. */
    boolean idleCurve() {
        return kind == Kind.C10K && !headline();
    }

    /** warp: the latency pass follows its rounds, wrk pacing every server at the same rate (--latency-rate). */
    boolean latencyPass() {
        return kind == Kind.WARP && !headline();
    }

    /** warp, c10k and close: the cost pass profiles the JVM servers (flame graphs), where the journey makes any. */
    boolean flameGraph() {
        // close too: chapter 06 explains what a new connection costs a JVM beside nginx and the native floor from it.
        return (kind == Kind.WARP || kind == Kind.C10K || kind == Kind.CLOSE) && !headline();
    }

    /**
     * warp and manyfiles, the keep-alive file scenarios: a JVM's heap allocation per request is read over each round.
     */
    boolean allocations() {
        return (kind == Kind.WARP || kind == Kind.MANYFILES) && !headline();
    }
}
