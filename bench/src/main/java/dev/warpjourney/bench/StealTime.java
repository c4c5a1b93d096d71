package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Steal time: on a virtual machine, the time a CPU had work but the hypervisor ran another guest
 * ({@code /proc/stat}'s eighth column). A round that lost much of it measured a slower machine
 * than its neighbours; the harness reads it around every round, over the CPUs of the servers and wrk.
 *
 * @param total all ticks of those CPUs (user, nice, system, idle, iowait, irq, softirq, steal)
 * @param steal the steal ticks among them
 */
record StealTime(long total, long steal) {

    static StealTime read(Set<Integer> cpus) {
        try {
            return parse(Files.readString(Path.of("/proc/stat")), cpus);
        } catch (IOException e) {
            return new StealTime(0, 0); // not Linux: no reading, NaN share
        }
    }

    static StealTime parse(String stat, Set<Integer> cpus) {
        long total = 0;
        long steal = 0;
        for (String line : stat.split("\n")) {
            if (!line.matches("cpu\\d+ .*")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (!cpus.contains(Integer.parseInt(f[0].substring(3))) || f.length < 9) {
                continue;
            }
            for (int i = 1; i <= 8; i++) { // guest time is counted inside user time already
                total += Long.parseLong(f[i]);
            }
            steal += Long.parseLong(f[8]);
        }
        return new StealTime(total, steal);
    }

    /** The share of the ticks since {@code before} that were stolen; NaN when none passed. */
    double shareSince(StealTime before) {
        long t = total - before.total;
        return t <= 0 ? Double.NaN : (steal - before.steal) / (double) t;
    }
}
