package dev.warpjourney.book;

import static dev.warpjourney.book.Format.notMeasured;
import static dev.warpjourney.book.Format.thousands;

import dev.warpjourney.bench.rows.SyscallRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The system-call tables, from a run's syscalls.csv rows: the calls a chapter discusses
 * (CHAPTER-syscalls-SCENARIO.adoc) and every call the servers made often enough to show
 * (syscalls-all-SCENARIO.adoc, the fdcache run's), per request for every server.
 */
final class SyscallTables {
    private SyscallTables() {}

    /**
     * Every call any server made at least once per 200 requests in a scenario, the first server's
     * most frequent first (then the next server's, then by name): the rows of a table of all calls.
     */
    static List<String> callsByCount(List<SyscallRow> rows, String scenario) {
        List<String> servers = new ArrayList<>();
        Map<String, Map<String, Double>> byCall = new TreeMap<>();
        for (SyscallRow r : rows) {
            if (r.scenario().equals(scenario)) {
                if (!servers.contains(r.server())) {
                    servers.add(r.server());
                }
                byCall.computeIfAbsent(r.syscall(), k -> new LinkedHashMap<>()).put(r.server(), r.perRequest());
            }
        }
        Comparator<String> order = (a, b) -> 0;
        for (String server : servers) {
            order = order.thenComparing(
                    (String call) -> byCall.get(call).getOrDefault(server, 0.0), Comparator.reverseOrder());
        }
        return byCall.keySet().stream()
                .filter(call -> byCall.get(call).values().stream().anyMatch(v -> v >= 0.005))
                .sorted(order.thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** The calls named, per request for every server, with strace's time per call when the run has it. */
    static String table(List<SyscallRow> rows, String scenario, List<String> names) {
        List<String> servers = new ArrayList<>();
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        Integer connections = null;
        Integer idle = null;
        boolean timed = false;
        for (SyscallRow r : rows) {
            if (!r.scenario().equals(scenario)) {
                continue;
            }
            if (!servers.contains(r.server())) {
                servers.add(r.server());
            }
            String us = r.usecsPerCall() == null ? null : r.usecsPerCall().text();
            timed |= us != null;
            connections = connections != null ? connections : r.connections();
            idle = idle != null ? idle : r.idle();
            cells.computeIfAbsent(r.syscall(), k -> new LinkedHashMap<>())
                    .put(
                            r.server(),
                            String.format(Locale.ROOT, "%.2f", r.perRequest())
                                    + (us == null ? "" : " (" + us + " µs)"));
        }
        if (servers.isEmpty()) {
            return notMeasured("System calls in the `" + scenario + "` scenario");
        }
        StringBuilder t = new StringBuilder();
        t.append("Calls per request")
                .append(timed ? " (and in brackets strace's time per call)" : "")
                .append(" under strace in the `")
                .append(scenario)
                .append("` scenario, ")
                .append(
                        connections != null
                                ? "taken on " + connections + " connections"
                                : "taken on fewer connections than the " + "throughput runs (see <<methodology>>)")
                .append(
                        idle == null || idle == 0
                                ? ""
                                : " while " + thousands((double) idle) + " idle connections were held")
                .append(timed ? "" : "; time per call: not measured in this reference run")
                .append(". A blank cell: the server made no such call.\n\n");
        t.append("[cols=\"2")
                .append(",>1".repeat(servers.size()))
                .append("\",options=\"header\"]\n|===\n| System call");
        servers.forEach(s -> t.append(" | ").append(s));
        t.append('\n');
        for (String name : names) {
            t.append("| `").append(name).append('`');
            for (String s : servers) {
                String v = cells.getOrDefault(name, Map.of()).get(s);
                t.append(" | ").append(v == null ? "" : v);
            }
            t.append('\n');
        }
        return t.append("|===\n").toString();
    }
}
