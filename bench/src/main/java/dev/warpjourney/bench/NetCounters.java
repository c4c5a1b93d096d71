package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's TCP counters that explain a latency tail, read where {@code nstat} reads them
 * (/proc/net/netstat and /proc/net/snmp) and named as nstat names them. A listen queue that
 * overflows drops SYNs (ListenOverflows, ListenDrops); the client retransmits them after 1 s,
 * then 3 s (TCPSynRetrans): a p99 of seconds on loopback is almost always this.
 *
 * <p>The counters cover the whole network namespace, so a delta includes any other loopback
 * traffic on the machine during the run; on a quiet machine that is the server and wrk alone.
 */
final class NetCounters {
    /** The counters recorded, in the order of their CSV columns. */
    static final List<String> NAMES =
            List.of("TcpExtListenOverflows", "TcpExtListenDrops", "TcpRetransSegs", "TcpExtTCPSynRetrans");

    private NetCounters() {}

    /** The current values; an empty map where /proc/net cannot be read (not Linux). */
    static Map<String, Long> read() {
        Map<String, Long> all = new LinkedHashMap<>();
        for (String file : List.of("/proc/net/netstat", "/proc/net/snmp")) {
            try {
                all.putAll(parse(Files.readString(Path.of(file))));
            } catch (IOException e) {
                return Map.of();
            }
        }
        Map<String, Long> wanted = new LinkedHashMap<>();
        for (String name : NAMES) {
            Long v = all.get(name);
            if (v != null) {
                wanted.put(name, v);
            }
        }
        return wanted;
    }

    /** Pairs of lines "Prefix: Name Name ..." / "Prefix: 1 2 ...", as nstat names them: prefix + name. */
    static Map<String, Long> parse(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).trim().split("\\s+");
            String[] numbers = lines.get(i + 1).trim().split("\\s+");
            if (names.length != numbers.length || !names[0].equals(numbers[0])) {
                continue;
            }
            String prefix = names[0].substring(0, names[0].length() - 1); // "TcpExt:" -> "TcpExt"
            for (int k = 1; k < names.length; k++) {
                try {
                    values.put(prefix + names[k], Long.parseLong(numbers[k]));
                } catch (NumberFormatException e) {
                    // not a counter (never seen, but one odd field must not lose the others)
                }
            }
        }
        return values;
    }

    /** after - before for every counter both hold. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        for (String name : NAMES) {
            if (before.containsKey(name) && after.containsKey(name)) {
                d.put(name, after.get(name) - before.get(name));
            }
        }
        return d;
    }
}
