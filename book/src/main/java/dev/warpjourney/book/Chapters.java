package dev.warpjourney.book;

import dev.warpjourney.bench.rows.SyscallRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * For each chapter's data file (book/src/data/chapters/NAME.properties): the system-call tables of
 * the calls the chapter discusses (NAME-syscalls-SCENARIO.adoc) and the verdict on each of its
 * hypotheses (NAME-hypotheses.adoc and {hypothesis-...}), judged on the metrics of every run read.
 */
final class Chapters {
    private Chapters() {}

    /**
     * Writes every chapter's tables and verdicts; returns the refuted or inconclusive hypotheses that a chapter does
     * not own up to (only against the reference run: a reader's run reports them instead). A chapter with
     * {@code run=fdcache} takes its tables from the fdcache run's calls; its hypotheses name that run's metrics
     * (fdcache.*). So does {@code run=native} (chapter 06's run, native.*).
     */
    static List<String> write(Run main, Path out, List<SyscallRow> fdcacheSyscalls, List<SyscallRow> nativeSyscalls)
            throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(main.repo.resolve("book/src/data/chapters"))) {
            files = s.filter(p -> p.toString().endsWith(".properties")).sorted().toList();
        }
        List<SyscallRow> syscalls = main.syscalls();
        List<Hypotheses.Verdict> all = new ArrayList<>();
        for (Path f : files) {
            String chapter = f.getFileName().toString().replaceFirst("\\.properties$", "");
            Map<String, String> data = RepoFiles.properties(f);
            List<SyscallRow> calls = switch (data.getOrDefault("run", "")) {
                case "" -> syscalls;
                case "fdcache" -> fdcacheSyscalls;
                case "native" -> nativeSyscalls;
                default ->
                    throw new IllegalArgumentException(
                            f + ": run must be fdcache, native or absent (the main run): " + data.get("run"));
            };
            for (Map.Entry<String, String> e : data.entrySet()) {
                if (e.getKey().startsWith("syscalls.")) {
                    String scenario = e.getKey().substring("syscalls.".length());
                    List<String> names = List.of(e.getValue().split("\\s*,\\s*"));
                    Files.writeString(
                            out.resolve(chapter + "-syscalls-" + scenario + ".adoc"),
                            SyscallTables.table(calls, scenario, names));
                }
            }
            Hypotheses.Verdicts verdicts = Hypotheses.judge(chapter, data, main.metrics, main.intervals);
            verdicts.attributes().forEach(main::attr);
            all.addAll(verdicts.list());
            Files.writeString(out.resolve(chapter + "-hypotheses.adoc"), verdicts.table());
            Path text = main.repo.resolve("book/src/docs/asciidoc/chapters/" + chapter + ".adoc");
            List<String> mismatches = verdicts.check(Files.exists(text) ? Files.readString(text) : "");
            if (main.reference) {
                problems.addAll(mismatches);
            } else {
                mismatches.forEach(m -> System.out.println("BookData (your run): " + m));
            }
        }
        Hypotheses.totals(all).forEach(main::attr);
        return problems;
    }
}
