package dev.warpjourney.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What a journey will run, decided once from its options: the passes in the order they run, each with the servers it
 * covers and how long it should take. The progress line's estimate is the sum of the passes, so that it counts what
 * runs and nothing else.
 *
 * @param options the journey's options, whose durations and rounds the estimates use
 * @param passes  every pass, in order: per scenario its throughput passes (c10k: one per idle count), then its cost
 *                pass; slowloris a pass of its own
 */
record Plan(Options options, List<Pass> passes) {

    /** One pass: servers started together and measured A B A B (see {@link Journey}). */
    sealed interface Pass permits ThroughputPass, CostPass, SlowlorisPass {
        Scenario scenario();

        List<ServerName> servers();

        /** About how long it takes, in seconds, for the progress line. */
        long seconds(Options options);
    }

    /**
     * Warm-up, then the throughput rounds; for warp at no idle connections, the latency pass after them.
     *
     * @param idle    idle connections held beside wrk's (c10k's curve), 0 for none
     * @param latency whether the latency pass follows (warp, with a --latency-rate)
     */
    record ThroughputPass(Scenario scenario, int idle, List<ServerName> servers, boolean latency) implements Pass {
        @Override
        public long seconds(Options o) {
            long d = o.duration().toSeconds();
            // Warm-up about two runs, then the rounds; the latency pass its descriptive rounds.
            return (2 * o.warmup().toSeconds() + o.rounds() * d) * servers.size()
                    + (latency ? Math.min(o.rounds(), Journey.DESCRIPTIVE_ROUNDS) * d * servers.size() : 0);
        }
    }

    /**
     * System calls under strace and, for the JVMs, a flame graph: at the scenario's largest idle count.
     *
     * @param flameGraphs whether the JVM servers are profiled (warp, c10k and close, unless the preset makes none)
     */
    record CostPass(Scenario scenario, int idle, List<ServerName> servers, boolean flameGraphs) implements Pass {
        @Override
        public long seconds(Options o) {
            long d = o.duration().toSeconds();
            return (o.warmup().toSeconds() + o.straceRounds() * (d + 2) + (flameGraphs ? d : 0)) * servers.size();
        }
    }

    /** Slow connections trickling headers while a probe measures; its descriptive rounds. */
    record SlowlorisPass(Scenario scenario, List<ServerName> servers) implements Pass {
        @Override
        public long seconds(Options o) {
            return Math.min(o.rounds(), Journey.DESCRIPTIVE_ROUNDS)
                    * (o.slowlorisHold().toSeconds() + 3)
                    * servers.size();
        }
    }

    /** The passes these options ask for. */
    static Plan of(Options options) {
        List<ServerName> servers =
                options.servers().stream().map(ServerName::parse).toList();
        List<Pass> passes = new ArrayList<>();
        for (String name : options.scenarios()) {
            Scenario s = Scenario.of(name);
            List<ServerName> mine = serversFor(s, servers);
            if (!s.wrk()) {
                passes.add(new SlowlorisPass(s, mine));
                continue;
            }
            List<Integer> idles = s.idleCurve() ? options.idleCounts() : List.of(0);
            for (int idle : idles) {
                passes.add(
                        new ThroughputPass(s, idle, mine, s.latencyPass() && idle == 0 && options.latencyRate() > 0));
            }
            // The cost pass: all servers, but in the multicore preset only those whose system calls tell designs
            // apart; none at a scenario's own budget, which changes no system call.
            List<ServerName> traced = mine.stream()
                    .filter(n -> options.costServers().contains(n.name()))
                    .toList();
            if (options.costs() && !traced.isEmpty() && !s.headline()) {
                passes.add(new CostPass(s, idles.getLast(), traced, options.flameGraphs() && s.flameGraph()));
            }
        }
        return new Plan(options, List.copyOf(passes));
    }

    /**
     * The servers of a scenario: the floor only where its 151 bytes are the file asked for, a switched-off idea of stage
     * 05 only in warp ({@link Design#runsIn}); at a scenario's own budget
     * the headline comparison alone: the newest stage on the JDK's NIO and the newest below it (stage 06 on), each as
     * it ships, nginx and the floors. Both stages, because chapter 05's verdicts are read from stage 05 there and
     * chapter 06's from stage 06.
     */
    static List<ServerName> serversFor(Scenario s, List<ServerName> servers) {
        List<ServerName> all = servers.stream()
                .filter(n -> n.peer() == null || !n.peer().floor() || s.floorApplies())
                .filter(n -> n.design().runsIn(s.kind()))
                .toList();
        if (!s.headline()) {
            return all;
        }
        ServerName newestNio = newest(all, false);
        ServerName newestNative = newest(all, true);
        return all.stream()
                .filter(n -> n.equals(newestNio)
                        || n.equals(newestNative)
                        || n.design() == Design.AS_BUILT
                                && n.peer() != null
                                && (n.peer() == Peer.NGINX || n.peer().floor()))
                .toList();
    }

    /** The last stage as it ships on one side of the JDK: on its NIO, or below it (stage 06 on); null if none. */
    private static ServerName newest(List<ServerName> all, boolean belowTheJdk) {
        return all.stream()
                .filter(n -> n.isStage() && n.design() == Design.AS_BUILT)
                .filter(n -> (n.stage() >= ServerName.FIRST_NATIVE_STAGE) == belowTheJdk)
                .reduce((a, b) -> b)
                .orElse(null);
    }

    /** About how long the whole journey takes, in seconds: the sum of its passes. */
    long seconds() {
        return passes.stream().mapToLong(p -> p.seconds(options)).sum();
    }
}
