package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The same CPU budget for every server: each server process (and every process it starts, such as
 * nginx's workers) runs in a control group of its own with a CPU quota, a fraction of a core per
 * short period. A server that wants more CPU than its quota is throttled for the rest of the
 * period, so when two servers are both held at their quota the faster one is the one that does
 * more with the same CPU, and wrk, alone on its own CPU with room to spare, is not the limit.
 *
 * <p>cgroup v2 ({@code cpu.max}) where the unified hierarchy has the cpu controller, cgroup v1
 * ({@code cpu.cfs_quota_us}) otherwise. Making a group needs root or a delegated hierarchy: where
 * none can be made the journey says so once and measures without a budget, and every row says so
 * ({@code cpu_quota} reads "none"). On a desktop without root, {@code systemd-run --user --scope
 * -p Delegate=yes ./journey} hands the journey a group of its own where systemd delegates the cpu
 * controller to the user, and the journey makes the servers' groups inside it.
 */
final class CpuBudget {
    // tag::budget[]
    /**
     * The quota's period: 10 ms. The kernel checks the quota once per period, so a short period
     * keeps a throttled server's pauses short (at most 10 ms minus its share) and gives many
     * periods per round to count how often the server hit its quota.
     */
    static final int PERIOD_MICROS = 10_000;
    /** A round in which the server was throttled in at least this share of its periods was limited by its quota. */
    static final double THROTTLED_MOST = 0.5;
    // end::budget[]

    /** Where groups go, and how to write a quota; null when no group can be made (then {@link #why} says why). */
    private final Hierarchy hierarchy;

    private final Path parent;
    private final String why;

    private enum Hierarchy {
        V1,
        V2
    }

    private CpuBudget(Hierarchy hierarchy, Path parent, String why) {
        this.hierarchy = hierarchy;
        this.parent = parent;
        this.why = why;
    }

    /**
     * Finds a cpu controller this process may make groups in: under /sys/fs/cgroup as root, or, on
     * the unified hierarchy, under this process's own group where systemd delegated it.
     */
    static CpuBudget detect() {
        return detect(Path.of("/sys/fs/cgroup"), ownGroup(Path.of("/proc/self/cgroup")));
    }

    /** This process's group on the unified hierarchy ("/user.slice/..."), from /proc/self/cgroup; null if none. */
    static String ownGroup(Path procSelfCgroup) {
        try {
            return Files.readAllLines(procSelfCgroup).stream()
                    .filter(l -> l.startsWith("0::/"))
                    .map(l -> l.substring(3))
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    static CpuBudget detect(Path root, String own) {
        String parentName = "warp-journey-" + ProcessHandle.current().pid();
        String v2Failure = null;
        // The unified hierarchy, mounted at the root (pure v2) or under unified/ (hybrid), with the cpu controller.
        for (Path v2 : List.of(root, root.resolve("unified"))) {
            if (!hasCpu(v2)) {
                continue;
            }
            Path parent = v2.resolve(parentName);
            try {
                // A v2 group gets the cpu controller only when its parent enables it for its
                // children: the root first (a container's root may not), then our own group.
                enable(v2);
                Files.createDirectories(parent);
                enable(parent);
                return new CpuBudget(Hierarchy.V2, parent, null);
            } catch (IOException e) {
                removeQuietly(parent);
                v2Failure = "cannot enable the cpu controller under " + v2 + " (" + e.getMessage() + ")";
            }
            // Not root: systemd-run --user --scope -p Delegate=yes hands this process a group of its
            // own, with the controllers systemd delegates to the user.
            if (own != null && !own.equals("/") && hasCpu(v2.resolve(own.substring(1)))) {
                Path mine = v2.resolve(own.substring(1));
                Path delegated = mine.resolve(parentName);
                try {
                    // v2 lets a group hand controllers to its children only while it holds no
                    // process itself: the journey (and the shell that started it) move to a leaf.
                    Path harness = Files.createDirectories(mine.resolve("harness"));
                    for (String pid : Files.readAllLines(mine.resolve("cgroup.procs"))) {
                        if (!pid.isBlank()) {
                            Files.writeString(harness.resolve("cgroup.procs"), pid.trim());
                        }
                    }
                    enable(mine);
                    Files.createDirectories(delegated);
                    enable(delegated);
                    return new CpuBudget(Hierarchy.V2, delegated, null);
                } catch (IOException e) {
                    removeQuietly(delegated);
                    v2Failure = "cannot use this process's delegated group " + mine + " (" + e.getMessage() + ")";
                }
            }
        }
        for (Path v1 : List.of(root.resolve("cpu"), root.resolve("cpu,cpuacct"))) {
            if (Files.isRegularFile(v1.resolve("cpu.cfs_quota_us"))) {
                try {
                    Path parent = v1.resolve(parentName);
                    Files.createDirectories(parent);
                    return new CpuBudget(Hierarchy.V1, parent, null);
                } catch (IOException e) {
                    return new CpuBudget(
                            null, null, "cannot make a cgroup under " + v1 + " (" + e.getMessage() + "): run as root");
                }
            }
        }
        return new CpuBudget(
                null,
                null,
                v2Failure != null
                        ? v2Failure
                                + ": run as root, or under systemd-run --user --scope -p Delegate=yes where systemd delegates cpu"
                        : "no cgroup cpu controller under " + root);
    }

    private static boolean hasCpu(Path group) {
        Path controllers = group.resolve("cgroup.controllers");
        try {
            return Files.isRegularFile(controllers)
                    && List.of(Files.readString(controllers).trim().split("\\s+"))
                            .contains("cpu");
        } catch (IOException e) {
            return false;
        }
    }

    /** Enables the cpu controller for a group's children (the file always exists on a real hierarchy). */
    private static void enable(Path group) throws IOException {
        Path control = group.resolve("cgroup.subtree_control");
        String enabled = Files.exists(control) ? Files.readString(control) : "";
        if (!List.of(enabled.trim().split("\\s+")).contains("cpu")) {
            Files.writeString(control, "+cpu");
        }
    }

    private static void removeQuietly(Path group) {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            // not ours to remove, or not empty: it holds no process of ours
        }
    }

    /** No budget at all: {@code --server-quota none}. */
    static CpuBudget none() {
        return none("--server-quota none");
    }

    /** No budget, for this reason. */
    static CpuBudget none(String why) {
        return new CpuBudget(null, null, why);
    }

    boolean available() {
        return hierarchy != null;
    }

    /** Why there is no budget; null when there is one. */
    String why() {
        return why;
    }

    String describe() {
        return hierarchy == null
                ? "none (" + why + ")"
                : "cgroup " + hierarchy.name().toLowerCase(Locale.ROOT) + " at " + parent;
    }

    /** A group of its own for one server, with this quota in CPUs (0.5: half a core per period). */
    Group create(String server, double cpus) throws IOException {
        if (hierarchy == null) {
            throw new IllegalStateException("no cgroup: " + why);
        }
        Path dir = parent.resolve(server.replaceAll("[^A-Za-z0-9._-]", "_"));
        Files.createDirectories(dir);
        Group g = new Group(hierarchy, dir);
        g.quota(cpus);
        return g;
    }

    /**
     * Removes the servers' groups that are left (after a failed start, or when the run is
     * interrupted: a process still in one is killed) and then the parent group.
     */
    void close() {
        if (parent == null) {
            return;
        }
        try (var groups = Files.list(parent)) {
            groups.filter(Files::isDirectory).toList().forEach(dir -> new Group(hierarchy, dir).remove());
        } catch (IOException e) {
            // gone already
        }
        try {
            Files.deleteIfExists(parent);
        } catch (IOException e) {
            System.err.println("journey: could not remove " + parent + " (" + e.getMessage() + "); rmdir it by hand");
        }
    }

    /**
     * How often the group ran into its quota, from cpu.stat: periods with runnable work, and those it was throttled in.
     */
    record Throttling(long periods, long throttled) {
        Throttling minus(Throttling before) {
            return new Throttling(periods - before.periods, throttled - before.throttled);
        }

        /** Throttled periods over active ones; NaN when the group never ran. */
        double share() {
            return periods == 0 ? Double.NaN : throttled / (double) periods;
        }
    }

    /** One server's group. */
    static final class Group {
        private final Hierarchy hierarchy;
        private final Path dir;
        private double cpus;

        private Group(Hierarchy hierarchy, Path dir) {
            this.hierarchy = hierarchy;
            this.dir = dir;
        }

        /** The quota in CPUs; NaN when the group runs unthrottled. */
        double cpus() {
            return cpus;
        }

        /** Sets the quota (CPUs per period), or lifts it with NaN: the latency pass runs unthrottled. */
        void quota(double cpus) throws IOException {
            long quota = Double.isNaN(cpus) ? -1 : Math.max(1000, Math.round(cpus * PERIOD_MICROS));
            if (hierarchy == Hierarchy.V2) {
                Files.writeString(
                        dir.resolve("cpu.max"), (quota < 0 ? "max" : String.valueOf(quota)) + " " + PERIOD_MICROS);
            } else {
                Files.writeString(dir.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
                Files.writeString(dir.resolve("cpu.cfs_quota_us"), String.valueOf(quota));
            }
            this.cpus = cpus;
        }

        /**
         * The command that runs {@code command} inside this group: a shell writes its own pid into
         * the group, then becomes the command, so the server and everything it starts are in the
         * group from their first instruction.
         */
        List<String> wrap(List<String> command) {
            List<String> cmd = new ArrayList<>(List.of(
                    "sh",
                    "-c",
                    "echo $$ > \"$0\" && exec \"$@\"",
                    dir.resolve("cgroup.procs").toString()));
            cmd.addAll(command);
            return cmd;
        }

        Throttling read() {
            long periods = 0;
            long throttled = 0;
            try {
                for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length == 2 && f[0].equals("nr_periods")) {
                        periods = Long.parseLong(f[1]);
                    } else if (f.length == 2 && f[0].equals("nr_throttled")) {
                        throttled = Long.parseLong(f[1]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return new Throttling(0, 0);
            }
            return new Throttling(periods, throttled);
        }

        /**
         * Removes the group. A process still in it (a worker that outlived its master) is killed
         * first: a group with a process cannot be removed, and would hold its quota after the run.
         */
        void remove() {
            try {
                for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | NumberFormatException e) {
                // gone already, or unreadable: the attempts below say whether it can go
            }
            for (int i = 0; i < 20; i++) {
                try {
                    Files.deleteIfExists(dir);
                    return;
                } catch (IOException e) {
                    if (i == 19) {
                        System.err.println(
                                "journey: could not remove " + dir + " (" + e.getMessage() + "); rmdir it by hand");
                        return;
                    }
                    try {
                        Thread.sleep(100); // the last process leaves the group a moment after it exits
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
