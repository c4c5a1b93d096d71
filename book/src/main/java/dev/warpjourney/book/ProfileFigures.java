package dev.warpjourney.book;

import static dev.warpjourney.book.Format.NOT_MEASURED;
import static dev.warpjourney.book.Format.notMeasured;
import static dev.warpjourney.book.Format.share;

import dev.warpjourney.bench.rows.SummaryRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a run drew rather than counted: the shares of its flame graphs by frame group
 * (flame-SCENARIO-SERVER.html, grouped by book/src/data/profile-groups.properties; {profile-...} and
 * table-profile-SCENARIO.adoc), the links to them (flame-graphs.adoc, {flame-...}) and its charts
 * (NAME.svg, one chart-NAME.adoc per chart a chapter includes).
 */
final class ProfileFigures {
    private ProfileFigures() {}

    /** flame-SCENARIO-SERVER.html: shares by frame group, as attributes and one table per scenario. */
    static void profiles(Run run, Path out) throws IOException {
        Profile profile = Profile.load(run.repo.resolve("book/src/data/profile-groups.properties"));
        Map<String, Map<String, Map<String, Long>>> byScenario = new TreeMap<>();
        Set<String> servers = new LinkedHashSet<>();
        run.summary().stream().map(SummaryRow::server).forEach(servers::add);
        for (Path g : flameGraphs(run)) {
            String name = g.getFileName().toString().replaceFirst("^flame-", "").replaceFirst("\\.html$", "");
            String server = servers.stream()
                    .filter(sv -> name.endsWith("-" + sv))
                    .findFirst()
                    .orElse(null);
            if (server == null) {
                continue;
            }
            String scenario = name.substring(0, name.length() - server.length() - 1);
            Map<String, Long> shares = profile.shares(FlameGraph.read(g));
            byScenario.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(server, shares);
            long total = shares.get("total");
            String key = "profile-" + scenario + "-" + server;
            run.attr(key + "-samples", String.format(Locale.ROOT, "%,d", total));
            for (Map.Entry<String, Long> e : shares.entrySet()) {
                if (!e.getKey().equals("total")) {
                    run.attr(key + "-" + e.getKey(), share(e.getValue(), total));
                    run.metric("profile." + scenario + "." + server + "." + e.getKey(), (double) e.getValue() / total);
                }
            }
            profile.sums().forEach((sum, parts) -> {
                long v = parts.stream()
                        .mapToLong(p -> shares.getOrDefault(p, 0L))
                        .sum();
                run.attr(key + "-" + sum, share(v, total));
                run.metric("profile." + scenario + "." + server + "." + sum, (double) v / total);
            });
        }
        for (String scenario : List.of("warp", "c10k")) {
            Map<String, Map<String, Long>> table = byScenario.entrySet().stream()
                    .filter(e -> e.getKey().equals(scenario) || e.getKey().startsWith(scenario + "-"))
                    .findFirst()
                    .map(Map.Entry::getValue)
                    .orElse(null);
            Files.writeString(
                    run.file(out, "table-profile-" + scenario + ".adoc"),
                    table == null
                            ? "_A flame graph of the `" + scenario + "` scenario: " + NOT_MEASURED + "._\n"
                            : profileTable(profile, table));
        }
    }

    private static String profileTable(Profile profile, Map<String, Map<String, Long>> byServer) {
        StringBuilder t = new StringBuilder(
                "[cols=\"2" + ",>1".repeat(byServer.size()) + "\",options=\"header,footer\"]\n|===\n| Frame group");
        byServer.keySet().forEach(s -> t.append(" | ").append(s));
        t.append('\n');
        for (String g : profile.groupNames()) {
            t.append("| ").append(g);
            byServer.values().forEach(sh -> t.append(" | ").append(share(sh.getOrDefault(g, 0L), sh.get("total"))));
            t.append('\n');
        }
        t.append("| of which in system calls");
        byServer.values().forEach(sh -> t.append(" | ").append(share(sh.get(Profile.SYSCALLS), sh.get("total"))));
        t.append("\n| Samples");
        byServer.values().forEach(sh -> t.append(" | ").append(String.format(Locale.ROOT, "%,d", sh.get("total"))));
        return t.append("\n|===\n").toString();
    }

    /**
     * One include per chart a chapter shows ({@code include::{generated}/chart-NAME.adoc[]}): the
     * image when the run drew it, a "not measured" line when it did not. And the flame graphs the
     * run has, as links.
     */
    static void charts(Run run, Path out) throws IOException {
        // The fdcache run's charts are fdcache-chart-NAME.adoc, its images under {fdcache-charts}, its flame graphs
        // under {fdcache-flamegraphs}.
        String prefix = run.prefix();
        Pattern include = Pattern.compile(
                "include::\\{generated}/" + Pattern.quote(prefix + "chart-") + "([a-z0-9-]+)\\.adoc\\[]");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(run.repo.resolve("book/src/docs/asciidoc/chapters"))) {
            for (Path chapter : s.filter(p -> p.toString().endsWith(".adoc")).toList()) {
                Matcher m = include.matcher(Files.readString(chapter));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        for (String name : names) {
            String label = "Chart: " + name.replace('-', ' ');
            Files.writeString(
                    run.file(out, "chart-" + name + ".adoc"),
                    Files.isRegularFile(run.results.resolve(name + ".svg"))
                            ? "image::{" + prefix + "charts}/" + name + ".svg[" + label + "]\n"
                            : notMeasured(label));
        }
        StringBuilder links = new StringBuilder();
        for (Path g : flameGraphs(run)) {
            String file = g.getFileName().toString();
            String name = file.replaceFirst("^flame-", "").replaceFirst("\\.html$", "");
            links.append("* link:{")
                    .append(prefix)
                    .append("flamegraphs}/")
                    .append(file)
                    .append('[')
                    .append(name)
                    .append("]\n");
            run.attr("flame-" + name, "link:{" + prefix + "flamegraphs}/" + file + "[the flame graph]");
        }
        Files.writeString(
                run.file(out, "flame-graphs.adoc"), links.isEmpty() ? notMeasured("Flame graphs") : links.toString());
    }

    /** The run's flame graphs, flame-SCENARIO-SERVER.html, by name. */
    private static List<Path> flameGraphs(Run run) throws IOException {
        try (Stream<Path> s = Files.list(run.results)) {
            return s.filter(p -> p.getFileName().toString().matches("flame-.+\\.html"))
                    .sorted()
                    .toList();
        }
    }
}
