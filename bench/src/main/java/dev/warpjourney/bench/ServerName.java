package dev.warpjourney.bench;

import java.util.List;

/**
 * A server as the journey names it: a stage module or a peer, and after an {@code @} how it runs.
 * The whole name is what result files show, so a reader sees the design without a lookup table.
 *
 * <ul>
 *   <li>{@code stage-02-epoll@poll}: the stage on the JDK's poll(2) selector (epoll taken away).</li>
 *   <li>{@code stage-05-composer@mapped}: small files' bytes mapped from the file, not read into memory.</li>
 *   <li>{@code stage-03-multicore@loops-N}, {@code @shared-N}, {@code @handoff-N}, {@code @vthreads-N}:
 *       one JVM, N loops of the named design.</li>
 *   <li>{@code stage-03-multicore@prefork-N}: N JVMs of one loop each on one port (SO_REUSEPORT).</li>
 *   <li>{@code nginx@N}: nginx with N workers ({@code nginx} alone: one per server CPU).</li>
 * </ul>
 *
 * @param name   the whole name
 * @param base   the stage module or peer, before the {@code @}
 * @param design {@code poll}, {@code mapped}, one of {@link #DESIGNS}, {@code nginx} for {@code nginx@N}, or "" for the
 * base as it is
 * @param count  loops, processes or workers the name asks for; 0 when it asks for none
 */
record ServerName(String name, String base, String design, int count) {

    /** The multicore designs of stage 03, in the order the multicore preset runs them. */
    static final List<String> DESIGNS = List.of("loops", "handoff", "shared", "vthreads", "prefork");

    /** The first stage that serves on more than one core, and so the first with the multicore variants. */
    static final int FIRST_MULTICORE_STAGE = 3;

    private static final String KNOWN =
            "@poll, from stage 03 on @loops-N, @handoff-N, @shared-N, @vthreads-N, @prefork-N,"
                    + " from stage 05 on @mapped";

    /** The first stage that keeps small files' bytes, and so the first with {@code @mapped}. */
    static final int FIRST_COMPOSER_STAGE = 5;

    /** Parses a name; throws IllegalArgumentException with what is wrong and what is known. */
    static ServerName parse(String name) {
        int at = name.indexOf('@');
        String base = at < 0 ? name : name.substring(0, at);
        String variant = at < 0 ? "" : name.substring(at + 1);
        if (at < 0) {
            return new ServerName(name, base, "", 0);
        }
        if (base.equals("nginx")) {
            return new ServerName(
                    name, base, "nginx", count(name, variant, "nginx@N takes a worker count, e.g. nginx@4"));
        }
        if (!base.matches("stage-\\d\\d-.+")) {
            throw new IllegalArgumentException(
                    name + ": " + base + " has no variants (only the stages and nginx@N have)");
        }
        if (variant.equals("poll")) {
            return new ServerName(name, base, "poll", 0);
        }
        if (variant.equals("mapped")) {
            if (Integer.parseInt(base.substring(6, 8)) < FIRST_COMPOSER_STAGE) {
                throw new IllegalArgumentException(name + ": " + base + " keeps no file bytes; @mapped needs stage 05"
                        + " (stage-05-composer) or a later stage");
            }
            return new ServerName(name, base, "mapped", 0);
        }
        int dash = variant.lastIndexOf('-');
        String design = dash < 0 ? variant : variant.substring(0, dash);
        if (!DESIGNS.contains(design)) {
            throw new IllegalArgumentException(
                    "unknown variant @" + variant + " of " + base + " (known: " + KNOWN + ")");
        }
        if (Integer.parseInt(base.substring(6, 8)) < FIRST_MULTICORE_STAGE) {
            throw new IllegalArgumentException(name + ": " + base + " runs one loop; @" + design
                    + "-N needs stage 03 (stage-03-multicore) or a later stage");
        }
        return new ServerName(
                name,
                base,
                design,
                count(
                        name,
                        dash < 0 ? "" : variant.substring(dash + 1),
                        "@" + design + "-N takes a count, e.g. " + base + "@" + design + "-4"));
    }

    private static int count(String name, String s, String usage) {
        if (!s.matches("\\d{1,4}") || Integer.parseInt(s) == 0) {
            throw new IllegalArgumentException(name + ": " + usage);
        }
        return Integer.parseInt(s);
    }

    boolean stage() {
        return base.startsWith("stage-");
    }

    /** nginx is the only peer that is not a JVM. */
    boolean java() {
        return !base.equals("nginx");
    }

    /** JVM processes the server runs as: prefork's N, one for every other JVM (nginx: its master, counted apart). */
    int processes() {
        return design.equals("prefork") ? count : 1;
    }
}
