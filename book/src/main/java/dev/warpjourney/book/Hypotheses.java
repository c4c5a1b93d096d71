package dev.warpjourney.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A chapter's hypotheses as data, and their verdicts computed from a run. In the chapter's
 * properties file ({@code book/src/data/chapters/NAME.properties}):
 *
 * <pre>
 * h1.claim=With 10,000 idle connections stage 02 keeps most of its throughput.
 * h1.metric=c10k.stage-02-epoll.10000.fraction
 * h1.comparison=&gt;=
 * h1.threshold=0.90              (a number, or another metric's name)
 * h1.factor=1                    (optional: the threshold is factor x threshold)
 * h1.format=percent              (optional: percent, integer, precise (4 decimals) or 2 decimals by default)
 * </pre>
 *
 * The verdict is "confirmed", "refuted" or "not measured". A refuted hypothesis must be owned up
 * to: its chapter has to contain the anchor {@code [[refuted-NAME-ID]]} (on the admonition that
 * says so), and a chapter may not carry that anchor for a hypothesis that holds.
 */
final class Hypotheses {
    static final String CONFIRMED = "confirmed";
    static final String REFUTED = "refuted";

    record Verdict(String id, String claim, String metric, String comparison, String threshold, Double measured,
                   Double limit, String verdict, String format) {
    }

    record Verdicts(String chapter, List<Verdict> list) {
        Map<String, String> attributes() {
            Map<String, String> a = new LinkedHashMap<>();
            for (Verdict v : list) {
                String key = "hypothesis-" + chapter + "-" + v.id();
                a.put(key + "-verdict", v.verdict());
                a.put(key + "-measured", v.measured() == null ? BookData.NOT_MEASURED : format(v.measured(), v.format()));
                a.put(key + "-threshold", v.limit() == null ? BookData.NOT_MEASURED : format(v.limit(), v.format()));
                a.put(key, sentence(v));
            }
            return a;
        }

        String table() {
            if (list.isEmpty()) {
                return "";
            }
            StringBuilder t = new StringBuilder("[cols=\"1,5,2,2,1\",options=\"header\"]\n|===\n| | Hypothesis | Measured | Threshold | Verdict\n");
            for (Verdict v : list) {
                t.append("| ").append(v.id()).append(" | ").append(v.claim()).append(" +\n[.small]#`").append(v.metric()).append("`#")
                        .append(" | ").append(v.measured() == null ? BookData.NOT_MEASURED : format(v.measured(), v.format()))
                        .append(" | ").append(symbol(v.comparison())).append(' ')
                        .append(v.limit() == null ? BookData.NOT_MEASURED : format(v.limit(), v.format()))
                        .append(v.threshold().matches("[-0-9.]+") ? "" : " [.small]#(`" + v.threshold() + "`)#")
                        .append(" | *").append(v.verdict()).append("*\n");
            }
            return t.append("|===\n").toString();
        }

        /** Chapter text against verdicts: a refuted hypothesis needs its anchor; a confirmed one may not have it. */
        List<String> check(String chapterText) {
            List<String> problems = new ArrayList<>();
            for (Verdict v : list) {
                String anchor = "[[refuted-" + chapter + "-" + v.id() + "]]";
                boolean says = chapterText.contains(anchor);
                if (v.verdict().equals(REFUTED) && !says) {
                    problems.add(chapter + ": hypothesis " + v.id() + " is refuted by the data (" + sentence(v)
                            + ") but the chapter does not say so: add a CAUTION admonition with the anchor " + anchor
                            + " that explains it");
                } else if (!v.verdict().equals(REFUTED) && says) {
                    problems.add(chapter + ": the chapter calls hypothesis " + v.id() + " refuted (" + anchor
                            + ") but the data says " + v.verdict() + ": " + sentence(v));
                }
            }
            return problems;
        }
    }

    private Hypotheses() {
    }

    static Verdicts judge(String chapter, Map<String, String> data, Map<String, Double> metrics) {
        TreeSet<String> ids = new TreeSet<>();
        data.keySet().stream().filter(k -> k.matches("h\\d+\\.metric")).forEach(k -> ids.add(k.substring(0, k.indexOf('.'))));
        List<Verdict> list = new ArrayList<>();
        for (String id : ids) {
            String metric = required(data, id + ".metric");
            String comparison = required(data, id + ".comparison");
            String threshold = required(data, id + ".threshold");
            double factor = Double.parseDouble(data.getOrDefault(id + ".factor", "1"));
            Double measured = metrics.get(metric);
            Double limit = threshold.matches("-?[0-9.]+") ? Double.valueOf(threshold)
                    : metrics.get(threshold) == null ? null : metrics.get(threshold);
            if (limit != null) {
                limit = limit * factor;
            }
            String verdict = measured == null || limit == null ? BookData.NOT_MEASURED
                    : holds(measured, comparison, limit) ? CONFIRMED : REFUTED;
            list.add(new Verdict(id, required(data, id + ".claim"), metric, comparison, threshold, measured, limit, verdict,
                    data.getOrDefault(id + ".format", "number")));
        }
        return new Verdicts(chapter, list);
    }

    static boolean holds(double measured, String comparison, double limit) {
        return switch (comparison) {
            case "<" -> measured < limit;
            case "<=" -> measured <= limit;
            case ">" -> measured > limit;
            case ">=" -> measured >= limit;
            default -> throw new IllegalArgumentException("comparison must be <, <=, > or >=: " + comparison);
        };
    }

    private static String required(Map<String, String> data, String key) {
        String v = data.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("hypothesis data lacks " + key);
        }
        return v;
    }

    static String format(double v, String format) {
        return switch (format) {
            case "percent" -> String.format(Locale.ROOT, "%.0f%%", v * 100);
            case "integer" -> String.format(Locale.ROOT, "%,d", Math.round(v));
            case "precise" -> String.format(Locale.ROOT, "%.4f", v); // per-request rates far below one
            default -> String.format(Locale.ROOT, "%.2f", v);
        };
    }

    /** As printed: AsciiDoc would turn a typed "<=" into an arrow. */
    static String symbol(String comparison) {
        return switch (comparison) {
            case "<=" -> "≤";
            case ">=" -> "≥";
            default -> comparison;
        };
    }

    static String sentence(Verdict v) {
        if (v.measured() == null || v.limit() == null) {
            return v.claim() + " Verdict: " + BookData.NOT_MEASURED + ".";
        }
        return v.claim() + " Measured " + format(v.measured(), v.format()) + " against a threshold of " + symbol(v.comparison()) + " "
                + format(v.limit(), v.format()) + ": " + v.verdict() + ".";
    }
}
