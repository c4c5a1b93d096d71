package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.key;

import dev.warpjourney.bench.rows.SyscallRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Chapter 04's run (results/fdcache: stage 03 beside stage 04 and nginx in warp, manyfiles and c10k),
 * read as a {@link Run} named "fdcache": every figure the main run makes, prefixed {fdcache-...}
 * (metrics fdcache.*, files fdcache-*.adoc), and the derived ones of {@link FdcacheFigures}. Without
 * the run (no summary.csv), every attribute the chapter may cite reads "not measured in this run",
 * so that the book builds without it.
 */
final class FdcacheRun {
    private FdcacheRun() {}

    /** The servers and scenarios of the fdcache run, as ./journey was asked for them: what the chapter may cite. */
    static final List<String> SERVERS = List.of(
            "stage-03-multicore",
            "stage-03-multicore@loops-2",
            "stage-03-multicore@vthreads-1",
            "stage-04-fdcache",
            "stage-04-fdcache@vthreads-1",
            "nginx");

    static final List<String> SCENARIOS = List.of("warp", "manyfiles", "c10k");
    /** The calls that look a file up, open it, stat it and close it: what stage 04's caches save. */
    static final List<String> FILE_CALLS =
            List.of("openat", "statx", "fstat", "newfstatat", "close", "readlink", "access", "lstat", "stat");
    /**
     * Of those, the lookup's (toRealPath, the attributes, the readable check) and the open's, which the two caches each
     * save.
     */
    static final List<String> LOOKUP_CALLS = List.of("readlink", "statx", "newfstatat", "lstat", "stat", "access");

    static final List<String> OPEN_CALLS = List.of("openat", "close");
    /** Attribute suffixes of a summary row, as {@link RunFigures} makes them: {SCENARIO-SERVER-SUFFIX}. */
    private static final List<String> ROW_SUFFIXES = List.of(
            "median",
            "min",
            "max",
            "vs-nginx",
            "vs-floor",
            "p50-ms",
            "p99-ms",
            "p99-s",
            "errors",
            "in-flight",
            "cpu",
            "syscalls",
            "utilization",
            "bound",
            "requests-per-round",
            "requests-above-p99");

    /**
     * Reads the fdcache run in dir into main (its attributes, metrics and intervals, all prefixed) and writes its
     * files; returns its system calls (deduplicated), for the tables of a chapter with run=fdcache.
     */
    static List<SyscallRow> add(Run main, Path dir, Path out) throws IOException {
        boolean measured = Files.isRegularFile(dir.resolve("summary.csv"));
        // Without a run, the same code over an empty directory writes every table as "not measured".
        Path empty = measured ? null : Files.createTempDirectory("book-no-fdcache");
        Run fd = new Run(main.repo, measured ? dir : empty, main.multicore, "fdcache");
        fd.numbers(out);
        FdcacheFigures.write(fd, out);
        List<SyscallRow> syscalls = List.of();
        if (!measured) {
            fd.attrs.replaceAll((k, v) -> NOT_MEASURED); // e.g. fdcache-strace-method: there is no method without a run
            Files.delete(empty);
        } else {
            syscalls = fd.syscalls();
        }
        main.add(fd);
        main.attrs.put(
                "fdcache-run-dir",
                !measured
                        ? NOT_MEASURED
                        : dir.equals(main.repo.resolve("results/fdcache")) ? "results/fdcache" : dir.toString());
        template(main).forEach(k -> main.attrs.putIfAbsent(key("fdcache-" + k), NOT_MEASURED));
        if (!measured || !dir.equals(main.repo.resolve("results/fdcache"))) {
            // A reader's own (or no) fdcache run: whatever else the chapters cite resolves too. Against
            // the committed run a misspelt name stays a missing attribute, which fails the book.
            RepoFiles.citedAttributes(main.repo, "fdcache-").forEach(k -> main.attrs.putIfAbsent(k, NOT_MEASURED));
        }
        return syscalls;
    }

    /**
     * The fdcache run's attributes (without the prefix) that the chapter may cite, for the servers
     * and scenarios the run was asked for: what must resolve even when the run is absent or lacks a row.
     */
    private static Set<String> template(Run main) throws IOException {
        Path repo = main.repo;
        Set<String> keys = new LinkedHashSet<>(List.of("strace-method", "cpu-method"));
        Set<String> calls = new TreeSet<>(FILE_CALLS);
        try (Stream<Path> s = Files.list(repo.resolve("book/src/data/chapters"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".properties")).toList()) {
                RepoFiles.properties(f).forEach((k, v) -> {
                    if (k.startsWith("syscalls.")) {
                        calls.addAll(List.of(v.split("\\s*,\\s*")));
                    }
                });
            }
        }
        Profile profile = Profile.load(repo.resolve("book/src/data/profile-groups.properties"));
        List<String> shares = new ArrayList<>(profile.groupNames());
        shares.add(Profile.SYSCALLS);
        shares.addAll(profile.sums().keySet());
        shares.add("samples");
        List<String> idles = List.of("0", "1000", "5000", "10000");
        for (String server : SERVERS) {
            for (String scenario : SCENARIOS) {
                for (String idle : scenario.equals("c10k") ? idles : List.of("0")) {
                    String row = scenario + (idle.equals("0") ? "" : "-" + idle) + "-" + server;
                    ROW_SUFFIXES.forEach(suffix -> keys.add(row + "-" + suffix));
                }
                for (String call : calls) {
                    keys.add("syscalls-" + scenario + "-" + server + "-" + call);
                    keys.add("syscalls-" + scenario + "-" + server + "-" + call + "-us");
                }
                keys.add(scenario + "-" + server + "-file-calls");
                keys.add(scenario + "-" + server + "-lookup-calls");
                keys.add(scenario + "-" + server + "-open-calls");
            }
            for (String idle : idles) {
                keys.add("c10k-" + server + "-" + idle + "-percent");
                if (!idle.equals("0")) {
                    for (String m : List.of("heap-per-connection", "rss-per-connection", "heap-mib", "rss-mib")) {
                        keys.add("memory-" + server + "-" + idle + "-" + m);
                    }
                }
            }
            for (String scenario : List.of("warp", "c10k")) {
                keys.add("flame-" + scenario + "-" + server);
                shares.forEach(g -> keys.add("profile-" + scenario + "-" + server + "-" + g));
            }
            List.of("listen-overflows", "listen-drops", "syn-retrans", "retrans-segs")
                    .forEach(c -> keys.add("nstat-warp-" + server + "-" + c));
        }
        for (String scenario : List.of("warp", "manyfiles")) {
            keys.add(scenario + "-cpu-ratio");
            keys.add(scenario + "-throughput-ratio");
            for (String server :
                    SERVERS.stream().filter(sv -> sv.startsWith("stage-04")).toList()) {
                for (String k : List.of("cpu-ratio", "throughput-ratio", "fd-hit-rate", "lookup-hit-rate")) {
                    keys.add(scenario + "-" + server + "-" + k);
                }
            }
        }
        // The harness writes the same environment.properties keys in every run.
        for (Path env : List.of(
                repo.resolve("results/journey/environment.properties"),
                main.multicore.resolve("environment.properties"))) {
            if (Files.exists(env)) {
                RepoFiles.properties(env).keySet().forEach(k -> keys.add("env-" + k.replace('_', '-')));
            }
        }
        return keys;
    }
}
