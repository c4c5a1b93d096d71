package dev.warpjourney.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The multicore run's table (scaling.csv): each design at each loop count, what one more loop
 * bought it, and what a request costs it beside stage 02's one loop. Built from the throughput
 * rounds of the same run, and from the strace pass where it ran. Every ratio is a median of
 * per-round ratios, like vs_nginx: a round runs every server back to back, so drift cancels.
 */
final class Scaling {
    private Scaling() {}

    /** The reference for CPU per request: stage 02, one loop on epoll, the loop that stage 03 multiplies. */
    static final String REFERENCE = Launcher.EPOLL_STAGE;

    /** System calls that tell the designs apart: every woken loop tries to accept, and waits again. */
    static final Set<String> ACCEPT = Set.of("accept", "accept4");

    static final Set<String> EPOLL_WAIT = Set.of("epoll_wait", "epoll_pwait", "epoll_pwait2");

    /** A server's place in the table: its design and how many loops, processes or workers it ran. */
    record Place(String name, int loops) {

        /**
         * stage 03's variants by their design; nginx by its workers (plain nginx: one per server CPU);
         * stages before 03 as a design of their own at one loop. Null for the other peers, whose
         * thread count is their own business (jwebserver, netty) or one by construction (floor).
         */
        static Place of(String server, int serverCpus) {
            ServerName n = ServerName.parse(server);
            if (n.design().multicore()) {
                return new Place(n.design().label(), n.count());
            }
            if (n.peer() == Peer.NGINX) {
                return new Place(Peer.NGINX.label(), n.count() > 0 ? n.count() : serverCpus);
            }
            if (n.isStage()) {
                // Stage 03 and later, unnamed, run their default: one loop per CPU they may use.
                boolean multicore = n.stage() >= ServerName.FIRST_MULTICORE_STAGE;
                return new Place(server, multicore ? serverCpus : 1);
            }
            return null;
        }
    }

    /**
     * One row of scaling.csv.
     *
     * @param utilization   median server CPU seconds per second (1.00 = one CPU busy)
     * @param gains         over rounds, this row's req/s / req/s of the same design at one loop: median and interval
     * @param cpuVsStage02s over rounds, this row's CPU per request / stage 02's: median and interval
     * @param bound         Results.classify over the CPUs this server can keep busy, min(loops, server CPUs), and the
     *                      CPUs it shares with wrk: {@code cpu-set} where the two together filled them
     * @param note          shared CPUs, errors, an unsteady warm-up, a missing one-loop row
     */
    record Row(
            String scenario,
            String design,
            int loops,
            String server,
            int rounds,
            double median,
            double min,
            double max,
            int serverCpus,
            double utilization,
            double cpuMicrosPerRequest,
            Results.Ratio gains,
            Results.Ratio cpuVsStage02s,
            String bound,
            String note,
            double wrkUtilization,
            Spread syscallsPerRequest,
            Spread acceptPerRequest,
            Spread acceptErrorsPerRequest,
            Spread epollWaitPerRequest,
            int straceConnections) {

        double gain() {
            return gains.median();
        }

        double cpuVsStage02() {
            return cpuVsStage02s.median();
        }

        /** gain / loops: 1.00 is linear scaling. */
        double efficiency() {
            return gain() / loops;
        }

        double utilizationOfSet() {
            return serverCpus == 0 ? Double.NaN : utilization / serverCpus;
        }
    }

    /**
     * The rows, in the order the servers first ran, each design's rows by loop count. Rows with idle
     * connections held (c10k) are left out: the table is about cores, not idle connections.
     *
     * @param sharedCpus CPUs both the servers and wrk ran on, taskset syntax; "" when apart
     */
    static List<Row> rows(Results results, String sharedCpus) {
        List<Summary> summaries =
                results.summaries().stream().filter(s -> s.idle() == 0).toList();
        Map<String, List<Row>> byDesign = new LinkedHashMap<>();
        for (Summary s : summaries) {
            Place d = Place.of(s.server(), s.serverCpus());
            if (d == null) {
                continue;
            }
            Place one = new Place(d.name(), 1);
            String base = summaries.stream()
                    .filter(o -> o.scenario().equals(s.scenario()) && one.equals(Place.of(o.server(), o.serverCpus())))
                    .map(Summary::server)
                    .findFirst()
                    .orElse(null);
            Results.Ratio gain =
                    base == null ? Results.Ratio.NONE : perRound(results, s.scenario(), s.server(), base, false);
            boolean reference = summaries.stream()
                    .anyMatch(
                            o -> o.scenario().equals(s.scenario()) && o.server().equals(REFERENCE));
            Results.Ratio vsStage02 =
                    reference ? perRound(results, s.scenario(), s.server(), REFERENCE, true) : Results.Ratio.NONE;
            int usable = Math.min(d.loops(), s.serverCpus());
            int shared = results.sharedCpuCount();
            String bound = Results.classify(
                    s.wrkUtilization() / results.wrkCpus(),
                    !Double.isNaN(s.quota()),
                    s.throttled().median(),
                    s.utilization().median() / usable,
                    shared == 0 ? Double.NaN : (s.utilization().median() + s.wrkUtilization()) / shared);

            List<String> notes = new ArrayList<>();
            if (!sharedCpus.isEmpty()) {
                notes.add("server and wrk shared CPUs " + sharedCpus);
            }
            if (s.errors() > 0) {
                notes.add(s.errors() + " errors");
            }
            if (!s.steady()) {
                notes.add("warm-up not steady after " + s.warmupRuns() + " runs");
            }
            if (base == null) {
                notes.add("no " + d.name() + " row at 1 loop: no gain");
            }
            List<Cost> traced = results.costs(s.scenario(), s.server());
            byDesign.computeIfAbsent(s.scenario() + "\t" + d.name(), k -> new ArrayList<>())
                    .add(new Row(
                            s.scenario(),
                            d.name(),
                            d.loops(),
                            s.server(),
                            s.rounds(),
                            s.median(),
                            s.min(),
                            s.max(),
                            s.serverCpus(),
                            s.utilization().median(),
                            s.cpuMicrosPerRequest().median(),
                            gain,
                            vsStage02,
                            bound,
                            String.join("; ", notes),
                            s.wrkUtilization(),
                            calls(traced, null, false),
                            calls(traced, ACCEPT, false),
                            calls(traced, ACCEPT, true),
                            calls(traced, EPOLL_WAIT, false),
                            traced.isEmpty() ? 0 : traced.getFirst().connections()));
        }
        List<Row> rows = new ArrayList<>();
        byDesign.values()
                .forEach(rs -> rs.stream()
                        .sorted((a, b) -> Integer.compare(a.loops(), b.loops()))
                        .forEach(rows::add));
        return rows;
    }

    /**
     * Calls (or failed calls: strace's errors column, EAGAIN for an accept that found the queue
     * empty) of these names per request, over the strace rounds; every call when names is null.
     */
    static Spread calls(List<Cost> rounds, Set<String> names, boolean errors) {
        return Spread.of(rounds.stream()
                .map(c -> {
                    long n = c.syscalls().entrySet().stream()
                            .filter(e -> names == null || names.contains(e.getKey()))
                            .mapToLong(e -> errors
                                    ? e.getValue().errors()
                                    : e.getValue().calls())
                            .sum();
                    return c.requests() == 0 ? Double.NaN : n / (double) c.requests();
                })
                .toList());
    }

    /**
     * Over rounds, server's figure / other's figure in the same round (req/s, or CPU per request),
     * as a median with its interval. Every round counts: in a run whose servers share their CPUs
     * with wrk no round is a server's alone, and the row's bound says so.
     */
    static Results.Ratio perRound(Results results, String scenario, String server, String other, boolean cpu) {
        List<Double> ratios = new ArrayList<>();
        for (Run r : results.runsOf(scenario, 0, server)) {
            results.runsOf(scenario, 0, other).stream()
                    .filter(o -> o.round() == r.round())
                    .findFirst()
                    .ifPresent(o -> ratios.add(
                            cpu
                                    ? r.cpuMicrosPerRequest() / o.cpuMicrosPerRequest()
                                    : r.wrk().requestsPerSecond() / o.wrk().requestsPerSecond()));
        }
        return Results.Ratio.of(ratios);
    }

    static String csv(List<Row> rows) {
        StringBuilder b =
                new StringBuilder("scenario,design,loops,server,rounds,median_req_s,min_req_s,max_req_s,server_cpus,"
                        + "utilization,utilization_of_set,cpu_us_per_req,gain,cpu_per_req_vs_stage02,efficiency,bound,note,wrk_utilization,"
                        + "syscalls_per_req,accept_per_req,accept_errors_per_req,epoll_wait_per_req,strace_connections,strace_rounds,"
                        + "gain_lo,gain_hi,cpu_per_req_vs_stage02_lo,cpu_per_req_vs_stage02_hi\n");
        for (Row r : rows) {
            b.append(String.join(
                            ",",
                            r.scenario(),
                            r.design(),
                            String.valueOf(r.loops()),
                            r.server(),
                            String.valueOf(r.rounds()),
                            Results.fmt(r.median(), 0),
                            Results.fmt(r.min(), 0),
                            Results.fmt(r.max(), 0),
                            r.serverCpus() == 0 ? "" : String.valueOf(r.serverCpus()),
                            Results.fmt(r.utilization(), 3),
                            Results.fmt(r.utilizationOfSet(), 3),
                            Results.fmt(r.cpuMicrosPerRequest(), 1),
                            Results.fmt(r.gain(), 2),
                            Results.fmt(r.cpuVsStage02(), 2),
                            Results.fmt(r.efficiency(), 2),
                            r.bound(),
                            Results.text(r.note()),
                            Results.fmt(r.wrkUtilization(), 3),
                            Results.fmt(r.syscallsPerRequest().median(), 2),
                            Results.fmt(r.acceptPerRequest().median(), 3),
                            Results.fmt(r.acceptErrorsPerRequest().median(), 3),
                            Results.fmt(r.epollWaitPerRequest().median(), 3),
                            r.straceConnections() == 0 ? "" : String.valueOf(r.straceConnections()),
                            r.syscallsPerRequest().n() == 0
                                    ? ""
                                    : String.valueOf(r.syscallsPerRequest().n()),
                            Results.fmt(r.gains().lo(), 2),
                            Results.fmt(r.gains().hi(), 2),
                            Results.fmt(r.cpuVsStage02s().lo(), 2),
                            Results.fmt(r.cpuVsStage02s().hi(), 2)))
                    .append('\n');
        }
        return b.toString();
    }

    /** The scaling table printed at the end of a multicore journey. */
    static String table(List<Row> rows, String sharedCpus) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%-10s %-16s %5s %10s %6s %9s %6s %8s %6s %-14s%n",
                "scenario",
                "design",
                "loops",
                "median/s",
                "util",
                "cpu us/r",
                "gain",
                "cpu/st02",
                "eff",
                "bound"));
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-10s %-16s %5d %10s %6s %9s %6s %8s %6s %-14s%n",
                    r.scenario(),
                    r.design(),
                    r.loops(),
                    Results.fmt(r.median(), 0),
                    Results.fmt(r.utilization(), 2),
                    Results.fmt(r.cpuMicrosPerRequest(), 1),
                    Results.fmt(r.gain(), 2),
                    Results.fmt(r.cpuVsStage02(), 2),
                    Results.fmt(r.efficiency(), 2),
                    r.bound()));
        }
        b.append(
                "gain: req/s / the same design's at 1 loop; eff: gain / loops (1.00 = linear); cpu/st02: CPU per request / stage 02's.\n");
        if (!sharedCpus.isEmpty()) {
            b.append("The servers and wrk shared CPUs ")
                    .append(sharedCpus)
                    .append(
                            ": each took CPU from the other, so gains here are not the servers' alone (scaling.csv notes it on every row;\n"
                                    + "a row whose bound is cpu-set filled the CPUs both had, and no design could have gained more there).\n");
        }
        return b.toString();
    }
}
