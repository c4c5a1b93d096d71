package dev.warpjourney.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server as the journey names it: a stage module or a peer, and after an {@code @} how it runs.
 * The whole name is what result files show, so a reader sees the design without a lookup table.
 *
 * <ul>
 *   <li>{@code stage-02-epoll@poll}: the stage on the JDK's poll(2) selector (epoll taken away).</li>
 *   <li>{@code stage-05-composer@mapped}: small files' bytes mapped from the file, not read into memory.</li>
 *   <li>{@code stage-05-composer@sendfile}, {@code @date-per-request}, {@code @heads-per-request}: one of stage 05's
 *       ideas switched off (the single write, the Date cache, the pre-composed head), to measure what it bought.</li>
 *   <li>{@code stage-06-native@jdk-accept}, {@code @jdk-nodelay}, {@code @jdk-close}, {@code @jdk-transfer-to},
 *       {@code @no-msg-more}: one of the JDK's costs put back in stage 06, to measure what its native move saved.</li>
 *   <li>{@code stage-03-multicore@loops-N}, {@code @shared-N}, {@code @handoff-N}, {@code @vthreads-N}
 *       ({@link Design}):
 *       one JVM, N loops of the named design.</li>
 *   <li>{@code stage-03-multicore@prefork-N}: N JVMs of one loop each on one port (SO_REUSEPORT).</li>
 *   <li>{@code nginx@N}: nginx with N workers ({@code nginx} alone: one per server CPU).</li>
 * </ul>
 *
 * @param name   the whole name
 * @param base   the stage module or peer, before the {@code @}
 * @param stage  the stage's number (stage-05-composer: 5); 0 for a peer
 * @param peer   the peer; null for a stage (and for a name that is neither, which Options refuses)
 * @param design how it runs: {@link Design#AS_BUILT} for the base as it is, {@link Design#NGINX} for nginx@N
 * @param count  loops, processes or workers the name asks for; 0 when it asks for none
 */
record ServerName(String name, String base, int stage, Peer peer, Design design, int count) {

    /** The first stage that serves on more than one core, and so the first with the multicore variants. */
    static final int FIRST_MULTICORE_STAGE = 3;

    private static final String KNOWN =
            "@poll, from stage 03 on @loops-N, @handoff-N, @shared-N, @vthreads-N, @prefork-N,"
                    + " from stage 05 on @mapped, @sendfile, @date-per-request, @heads-per-request,"
                    + " from stage 06 on @jdk-accept, @jdk-nodelay, @jdk-close, @jdk-transfer-to, @no-msg-more";

    /** The first stage that keeps small files' bytes, and so the first with {@code @mapped} (and stage 05's switches). */
    static final int FIRST_COMPOSER_STAGE = 5;

    /** The first stage that calls Linux itself, and so the first with the JDK's costs to put back ({@code @jdk-accept}). */
    static final int FIRST_NATIVE_STAGE = 6;

    /** A stage module's name: its two-digit number, then what it is. */
    private static final Pattern STAGE = Pattern.compile("stage-(\\d\\d)-.+");

    /** Parses a name once; throws IllegalArgumentException with what is wrong and what is known. */
    static ServerName parse(String name) {
        int at = name.indexOf('@');
        String base = at < 0 ? name : name.substring(0, at);
        String variant = at < 0 ? "" : name.substring(at + 1);
        Matcher module = STAGE.matcher(base);
        int stage = module.matches() ? Integer.parseInt(module.group(1)) : 0;
        Peer peer = stage > 0 ? null : Peer.named(base);
        if (at < 0) {
            return new ServerName(name, base, stage, peer, Design.AS_BUILT, 0);
        }
        if (peer == Peer.NGINX) {
            return new ServerName(
                    name,
                    base,
                    stage,
                    peer,
                    Design.NGINX,
                    count(name, variant, "nginx@N takes a worker count, e.g. nginx@4"));
        }
        if (!module.matches()) {
            throw new IllegalArgumentException(
                    name + ": " + base + " has no variants (only the stages and nginx@N have)");
        }
        Design exact = Design.named(variant);
        if (exact != null && !exact.multicore()) { // @poll, @mapped, stage 05's switches: no count
            if (stage < exact.firstStage()) {
                throw new IllegalArgumentException(
                        exact.firstStage() == FIRST_NATIVE_STAGE
                                ? name + ": " + base + " calls Linux through the JDK; @" + exact.label()
                                        + " needs stage 06 (stage-06-native) or a later stage"
                                : name + ": " + base + " has no response composer; @" + exact.label()
                                        + " needs stage 05 (stage-05-composer) or a later stage");
            }
            return new ServerName(name, base, stage, null, exact, 0);
        }
        int dash = variant.lastIndexOf('-');
        Design design = Design.named(dash < 0 ? variant : variant.substring(0, dash));
        if (design == null || !design.multicore()) {
            throw new IllegalArgumentException(
                    "unknown variant @" + variant + " of " + base + " (known: " + KNOWN + ")");
        }
        if (stage < design.firstStage()) {
            throw new IllegalArgumentException(name + ": " + base + " runs one loop; @" + design.label()
                    + "-N needs stage 03 (stage-03-multicore) or a later stage");
        }
        return new ServerName(
                name,
                base,
                stage,
                null,
                design,
                count(
                        name,
                        dash < 0 ? "" : variant.substring(dash + 1),
                        "@" + design.label() + "-N takes a count, e.g. " + base + "@" + design.label() + "-4"));
    }

    private static int count(String name, String s, String usage) {
        if (!s.matches("\\d{1,4}") || Integer.parseInt(s) == 0) {
            throw new IllegalArgumentException(name + ": " + usage);
        }
        return Integer.parseInt(s);
    }

    /** Whether it is a stage module (stage-NN-...), built by this repository. */
    boolean isStage() {
        return stage > 0;
    }

    /** Every server is a JVM but nginx. */
    boolean java() {
        return peer == null || peer.java();
    }

    /** JVM processes the server runs as: prefork's N, one for every other JVM (nginx: its master, counted apart). */
    int processes() {
        return design.processes(count);
    }
}
