package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;

import dev.warpjourney.bench.rows.SyscallRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates the book's data before Asciidoctor runs (book/pom.xml calls {@link #main}): every
 * number the text quotes (as AsciiDoc attributes, numbers.adoc), the tables, the verdict on every
 * chapter's hypothesis, profile shares from the flame graphs, the original figures beside ours, and
 * the "what changed since the previous stage" sections. Nothing here is typed by hand: it is all
 * read from result files, from the stage sources and from the chapters' data ({@code book/src/data}).
 * This class only orders the work: each run is a {@link Run}, each kind of figure or table a class
 * of its own ({@link RunFigures}, {@link RunTables}, {@link FdcacheRun}, {@link MulticoreRun}, ...).
 *
 * <p>{@code java BookData REPO_ROOT OUT_DIR [RESULTS_DIR [MULTICORE_DIR [FDCACHE_DIR]]]}: RESULTS_DIR defaults to the
 * committed reference run, {@code results/journey}, MULTICORE_DIR to the committed multicore run
 * ({@code ./journey --multicore}), {@code results/multicore}, and FDCACHE_DIR to chapter 04's run
 * ({@code results/fdcache}: stage 03 beside stage 04 and nginx). Given a reader's own run instead, every figure the
 * reference run has and that run lacks reads "not measured in this run", and a hypothesis that
 * the run refutes is reported (and printed in the book) instead of failing the build.
 */
public final class BookData {
    private BookData() {}

    public static void main(String[] args) throws IOException {
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]);
        Path results = (args.length > 2 ? Path.of(args[2]) : repo.resolve("results/journey"))
                .toAbsolutePath()
                .normalize();
        Path multicore = (args.length > 3 ? Path.of(args[3]) : repo.resolve("results/multicore"))
                .toAbsolutePath()
                .normalize();
        Path fdcache = (args.length > 4 ? Path.of(args[4]) : repo.resolve("results/fdcache"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(results.resolve("summary.csv"))) {
            throw new IllegalArgumentException(
                    "no journey run in " + results + " (summary.csv missing): run ./journey first");
        }
        List<String> problems = generate(repo, results, multicore, fdcache, out);
        problems.forEach(p -> System.err.println("BookData: " + p));
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    problems.size() + " chapter(s) disagree with their hypotheses' verdicts; see above");
        }
    }

    /** Writes everything into out; returns the refuted hypotheses that a chapter does not own up to. */
    static List<String> generate(Path repo, Path results, Path out) throws IOException {
        return generate(repo, results, repo.resolve("results/multicore"), out);
    }

    static List<String> generate(Path repo, Path results, Path multicore, Path out) throws IOException {
        return generate(repo, results, multicore, repo.resolve("results/fdcache"), out);
    }

    static List<String> generate(Path repo, Path results, Path multicore, Path fdcache, Path out) throws IOException {
        Files.createDirectories(out);
        Run data = new Run(repo, results, multicore, "");
        data.numbers(out);
        if (!data.reference) {
            // Every figure the reference run has must resolve in a reader's run too: absent ones say so.
            Run ref = new Run(repo, repo.resolve("results/journey"), repo.resolve("results/multicore"), "");
            ref.numbers(Files.createTempDirectory("book-reference"));
            ref.attrs.keySet().forEach(k -> data.attrs.putIfAbsent(k, NOT_MEASURED));
        }
        List<SyscallRow> fdcacheSyscalls = FdcacheRun.add(data, fdcache, out);
        ReaperPasses.write(data, fdcache.resolve("reaper"), out);
        OtherRuns.herd(data, repo.resolve("results/herd"), out);
        OtherRuns.cores(data, repo.resolve("results/cores"), out);
        OtherRuns.nativeFloor(data, repo.resolve("results/native-floor"), out);
        Run nativeRun = OtherRuns.nativeRun(data, repo.resolve("results/native"), out);
        IdeasTable.write(data, repo.resolve("results/ablation"), out);
        JdkCostsTable.write(data, repo.resolve("results/jdk-costs"), out);
        Files.writeString(out.resolve("table-seed.adoc"), SeedTable.table(data));
        OtherRuns.previous(data, repo.resolve("results/previous"));
        List<String> problems =
                Chapters.write(data, out, fdcacheSyscalls, nativeRun == null ? List.of() : nativeRun.syscalls());
        data.attr("run", data.reference ? "the reference run" : "your own run");
        data.attr("run-dir", data.reference ? "results/journey" : results.toString());
        StringBuilder b = new StringBuilder("// Generated by BookData from " + results + ": do not edit.\n");
        data.attrs.forEach(
                (k, v) -> b.append(':').append(k).append(": ").append(v).append('\n'));
        Files.writeString(out.resolve("numbers.adoc"), b);

        List<String> stages = RepoFiles.stages(repo);
        if (!stages.isEmpty()) {
            Files.writeString(
                    out.resolve(stages.getFirst() + "-changes.adoc"), StageDiff.inventory(repo, stages.getFirst()));
        }
        for (int i = 1; i < stages.size(); i++) {
            Files.writeString(
                    out.resolve(stages.get(i) + "-changes.adoc"),
                    StageDiff.describe(repo, stages.get(i - 1), stages.get(i)));
        }
        return problems;
    }
}
