package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The runs a chapter cites beside the main one, each read as a {@link Run} under its name: chapter
 * 03's herd run (results/herd, {herd-...}), chapter 05's run on every core (results/cores,
 * {cores-...}), and the runs the book showed before the instrument of issue 18 (results/previous,
 * metrics previous.*). Each reads the same files as the main run (summary.csv, syscalls.csv, ...).
 */
final class OtherRuns {
    private OtherRuns() {}

    /**
     * Chapter 03's herd run (two loops on one shared listener, and two with a listener each, in the
     * close scenario, where every request opens a connection): its figures prefixed {herd-...}
     * (metrics herd.*), e.g. {herd-syscalls-close-stage-03-multicore-shared-2-accept-errors}.
     * Without it, what the chapters cite of it reads "not measured in this run".
     */
    static void herd(Run main, Path dir, Path out) throws IOException {
        named(main, dir, out, "herd");
    }

    /**
     * Chapter 05's run on every core (stage 05 and stage 03 with a loop per server CPU beside nginx
     * with a worker per server CPU, servers and wrk sharing the CPUs): its figures prefixed
     * {cores-...} (metrics cores.*), e.g. {cores-warp-stage-05-composer-loops-2-cpu-vs-nginx}.
     */
    static void cores(Run main, Path dir, Path out) throws IOException {
        named(main, dir, out, "cores");
    }

    /**
     * Chapter 06's run (stage 06 beside stage 05, the NIO floor, the native floor and nginx, at 0.3 of a core, in
     * warp, close, large and c10k): its figures prefixed {native-...} (metrics native.*), and its system calls, which
     * the chapter's tables show (run=native): the run its hypotheses were written for. Null without the run.
     */
    static Run nativeRun(Run main, Path dir, Path out) throws IOException {
        return named(main, dir, out, "native");
    }

    /**
     * The baseline chapter 06 starts from (results/native-floor: the C native floor beside the NIO floor, stage 05
     * and nginx at 0.3 of a core, before stage 06 existed): its figures prefixed {native-floor-...}.
     */
    static void nativeFloor(Run main, Path dir, Path out) throws IOException {
        named(main, dir, out, "native-floor");
    }

    private static Run named(Run main, Path dir, Path out, String name) throws IOException {
        if (Files.isRegularFile(dir.resolve("summary.csv"))) {
            Run run = new Run(main.repo, dir, main.multicore, name);
            run.numbers(out);
            main.add(run);
            return run;
        }
        // with the run, a misspelt name fails the book
        RepoFiles.citedAttributes(main.repo, name + "-").forEach(k -> main.attrs.putIfAbsent(k, NOT_MEASURED));
        return null;
    }

    /**
     * The runs the book showed before the instrument of issue 18 (every server held to the same CPU
     * budget, paired rounds, intervals): results/previous/{journey,fdcache,multicore,cores}, their
     * CSV files as committed then. Only their metrics are kept, under {@code previous.} (the
     * journey's, and previous.fdcache., previous.cores., previous.herd. for the others), so that
     * each hypothesis's verdict by the old instrument can be computed beside the new one
     * (Hypotheses.Previous); no attribute or table of theirs reaches the book but those verdicts.
     */
    static void previous(Run main, Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("journey/summary.csv"))) {
            return;
        }
        Path scratch = Files.createTempDirectory("book-previous");
        Run journey = new Run(main.repo, dir.resolve("journey"), dir.resolve("multicore"), "previous");
        journey.numbers(scratch);
        MulticoreRun.scaling(journey, scratch);
        main.metrics.putAll(journey.metrics);
        // What a chapter needs to say why a verdict changed: how busy each server was then, what limited
        // it, its throughput and CPU per request ({previous-warp-nginx-utilization}, ...-bound, -median, -cpu).
        journey.attrs.forEach((k, v) -> {
            if (k.matches("previous-[a-z0-9-]+-(utilization|bound|median|cpu|vs-nginx)")) {
                main.attrs.put(k, v);
            }
        });
        for (String name : List.of("fdcache", "cores", "herd")) {
            // herd was not re-run
            Path dirOf = name.equals("herd") ? main.repo.resolve("results/herd") : dir.resolve(name);
            if (Files.isRegularFile(dirOf.resolve("summary.csv"))) {
                Run other = new Run(main.repo, dirOf, dir.resolve("multicore"), "previous." + name);
                other.numbers(scratch);
                if (name.equals("fdcache")) {
                    FdcacheFigures.write(other, scratch);
                    // Chapter 04's question from that run: whole lookups (readlink) per manyfiles request, per model.
                    other.attrs.forEach((k, v) -> {
                        if (k.matches("previous-fdcache-syscalls-manyfiles-[a-z0-9-]+-readlink")) {
                            main.attrs.put(k, v);
                        }
                    });
                }
                main.metrics.putAll(other.metrics);
            }
        }
    }
}
