package dev.warpjourney.book;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the book reads from the repository besides the runs: the stage modules, the data files
 * ({@code .properties}: the chapters' data, the profile groups, a run's environment.properties) and
 * the attributes the chapters cite.
 */
final class RepoFiles {
    private RepoFiles() {}

    /** The stage modules, in order: stage-01-naive, stage-02-epoll, ... */
    static List<String> stages(Path repo) throws IOException {
        try (Stream<Path> dirs = Files.list(repo)) {
            return dirs.map(d -> d.getFileName().toString())
                    .filter(n -> n.matches("stage-\\d\\d-.+"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * A properties file in its own order (java.util.Properties forgets it): key=value lines, # comments,
     * a line ending in a backslash continued on the next.
     */
    static Map<String, String> properties(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = pending.isEmpty() ? raw : raw.strip();
            if (pending.isEmpty() && (line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\") && !line.endsWith("\\\\")) { // a continued line, as in java.util.Properties
                pending.append(line, 0, line.length() - 1);
                continue;
            }
            pending.append(line);
            String full = pending.toString();
            pending.setLength(0);
            int eq = full.indexOf('=');
            if (eq > 0) {
                m.put(
                        full.substring(0, eq).strip(),
                        full.substring(eq + 1).strip().replace("\\\\", "\\"));
            }
        }
        return m;
    }

    /**
     * The attributes with this prefix that the chapters (and their data) cite, less those the build sets (the run's
     * image folders).
     */
    static Set<String> citedAttributes(Path repo, String prefix) throws IOException {
        Pattern cited = Pattern.compile("\\{(" + Pattern.quote(prefix) + "[a-z0-9-]+)}");
        Set<String> names = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> docs = Files.walk(repo.resolve("book/src/docs/asciidoc"));
                Stream<Path> data = Files.list(repo.resolve("book/src/data/chapters"))) {
            files = Stream.concat(
                            docs.filter(p -> p.toString().endsWith(".adoc")),
                            data.filter(p -> p.toString().endsWith(".properties")))
                    .toList();
        }
        for (Path f : files) {
            Matcher m = cited.matcher(Files.readString(f));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        names.removeAll(List.of(prefix + "charts", prefix + "flamegraphs"));
        return names;
    }
}
