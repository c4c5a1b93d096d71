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
 * h1.metric=c10k.stage-02-epoll.10000.kept
 * h1.comparison=&gt;=
 * h1.threshold=0.90              (a number, or another metric's name)
 * h1.factor=1                    (optional: the threshold is factor x threshold)
 * h1.format=percent              (optional: percent, integer, precise (4 decimals) or 2 decimals by default)
 * </pre>
 *
 * <p>A measured figure comes with its interval where the run gives one (a ratio's interval over
 * the rounds, a median's min-max: see Run's intervals), and so may a threshold that names
 * another metric. The verdict is decided by the whole interval:
 * <ul>
 *   <li>{@code confirmed}: every value in the measured interval satisfies the comparison against
 *       every value of the threshold's;</li>
 *   <li>{@code refuted}: no value does;</li>
 *   <li>{@code inconclusive}: the intervals straddle the threshold: this run cannot tell;</li>
 *   <li>"not measured": the run lacks a figure.</li>
 * </ul>
 * A figure without an interval is a point, and then the verdict is confirmed or refuted as a plain
 * comparison. A refuted hypothesis must be owned up to: its chapter has to contain the anchor
 * {@code [[refuted-NAME-ID]]} (on the admonition that says so); an inconclusive one the anchor
 * {@code [[inconclusive-NAME-ID]]}; and a chapter may not carry either anchor for a verdict it is not.
 *
 * <p>The previous instrument. Each hypothesis is also judged, by the rule of its time (figures as
 * points), on the run the book showed before the instrument of issue 18 (results/previous, metrics
 * {@code previous.*}): {@code hN.previous.metric}, {@code hN.previous.threshold} and
 * {@code hN.previous.factor} (and {@code hN.previous.comparison}) name what it was judged on then, by default the same
 * names under
 * {@code previous.}. Where the two verdicts differ, the chapter must say what the old run measured
 * ({@code {hypothesis-NAME-ID-previous-measured}}) and why it differed.
 */
final class Hypotheses {
    static final String CONFIRMED = "confirmed";
    static final String REFUTED = "refuted";
    static final String INCONCLUSIVE = "inconclusive";

    /** A figure and the interval it may lie in; lo == hi == value for a point. */
    record Interval(double value, double lo, double hi) {
        static Interval point(double v) {
            return new Interval(v, v, v);
        }

        Interval times(double factor) {
            return factor >= 0
                    ? new Interval(value * factor, lo * factor, hi * factor)
                    : new Interval(value * factor, hi * factor, lo * factor);
        }

        boolean isPoint() {
            return lo == hi;
        }
    }

    /**
     * @param previous the verdict the previous instrument's run gave (null where that run lacks the figure)
     */
    record Verdict(
            String id,
            String claim,
            String metric,
            String comparison,
            String threshold,
            Interval measured,
            Interval limit,
            String verdict,
            String format,
            Previous previous) {

        /** Whether both instruments measured it and disagree. */
        boolean changed() {
            return previous != null
                    && !verdict.equals(Format.NOT_MEASURED)
                    && !previous.verdict().equals(verdict);
        }
    }

    /**
     * Counts over every chapter's hypotheses, for the epilogue's look back at the method: {hypotheses-total} and how
     * many are confirmed, refuted or inconclusive now; {hypotheses-previous-total} judged by the previous instrument
     * too, {hypotheses-previous-refuted} of them refuted then; {hypotheses-changed}: verdicts that differ between the
     * two.
     */
    static Map<String, String> totals(List<Verdict> all) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("hypotheses-total", String.valueOf(all.size()));
        for (String verdict : List.of("confirmed", "refuted", "inconclusive")) {
            a.put(
                    "hypotheses-" + verdict,
                    String.valueOf(all.stream()
                            .filter(v -> v.verdict().equals(verdict))
                            .count()));
        }
        List<Verdict> before = all.stream().filter(v -> v.previous() != null).toList();
        a.put("hypotheses-previous-total", String.valueOf(before.size()));
        a.put(
                "hypotheses-previous-refuted",
                String.valueOf(before.stream()
                        .filter(v -> v.previous().verdict().equals("refuted"))
                        .count()));
        a.put(
                "hypotheses-changed",
                String.valueOf(all.stream().filter(Verdict::changed).count()));
        return a;
    }

    /** What the previous instrument measured, against which threshold, and its verdict then. */
    record Previous(String metric, double measured, double limit, String verdict) {}

    record Verdicts(String chapter, List<Verdict> list) {
        Map<String, String> attributes() {
            Map<String, String> a = new LinkedHashMap<>();
            for (Verdict v : list) {
                String key = "hypothesis-" + chapter + "-" + v.id();
                a.put(key + "-verdict", v.verdict());
                a.put(
                        key + "-measured",
                        v.measured() == null
                                ? Format.NOT_MEASURED
                                : format(v.measured().value(), v.format()));
                a.put(
                        key + "-interval",
                        v.measured() == null ? Format.NOT_MEASURED : interval(v.measured(), v.format()));
                a.put(
                        key + "-threshold",
                        v.limit() == null
                                ? Format.NOT_MEASURED
                                : format(v.limit().value(), v.format()));
                a.put(key, sentence(v));
                if (v.previous() != null) {
                    a.put(key + "-previous-measured", format(v.previous().measured(), v.format()));
                    a.put(key + "-previous-threshold", format(v.previous().limit(), v.format()));
                    a.put(key + "-previous-verdict", v.previous().verdict());
                }
            }
            return a;
        }

        String table() {
            if (list.isEmpty()) {
                return "";
            }
            boolean before = list.stream().anyMatch(v -> v.previous() != null);
            StringBuilder t = new StringBuilder("[cols=\"1,5,2,2,1" + (before ? ",2" : "")
                    + "\",options=\"header\"]\n|===\n" + "| | Hypothesis | Measured (interval) | Threshold | Verdict"
                    + (before ? " | Previous instrument" : "") + "\n");
            for (Verdict v : list) {
                t.append("| ")
                        .append(v.id())
                        .append(" | ")
                        .append(v.claim())
                        .append(" +\n[.small]#`")
                        .append(v.metric())
                        .append("`#")
                        .append(" | ")
                        .append(v.measured() == null ? Format.NOT_MEASURED : withInterval(v.measured(), v.format()))
                        .append(" | ")
                        .append(symbol(v.comparison()))
                        .append(' ')
                        .append(v.limit() == null ? Format.NOT_MEASURED : withInterval(v.limit(), v.format()))
                        .append(v.threshold().matches("[-0-9.]+") ? "" : " [.small]#(`" + v.threshold() + "`)#")
                        .append(" | *")
                        .append(v.verdict())
                        .append('*');
                if (before) {
                    t.append(" | ")
                            .append(
                                    v.previous() == null
                                            ? "-"
                                            : format(v.previous().measured(), v.format()) + " against "
                                                    + format(v.previous().limit(), v.format()) + ": "
                                                    + v.previous().verdict()
                                                    + (v.changed() ? " (changed)" : ""));
                }
                t.append('\n');
            }
            return t.append("|===\n")
                    .append(
                            before
                                    ? "\nPrevious instrument: the same hypothesis judged on the run this book showed "
                                            + "before every server was held to a CPU budget (results/previous: one server CPU against wrk's, three rounds, "
                                            + "each figure a point); where its metric differs, the old one is named in the chapter.\n"
                                    : "")
                    .toString();
        }

        /**
         * Chapter text against verdicts: a refuted hypothesis needs its refuted anchor, an
         * inconclusive one its inconclusive anchor, and neither anchor may stand for another verdict.
         */
        List<String> check(String chapterText) {
            List<String> problems = new ArrayList<>();
            for (Verdict v : list) {
                for (String kind : List.of(REFUTED, INCONCLUSIVE)) {
                    String anchor = "[[" + kind + "-" + chapter + "-" + v.id() + "]]";
                    boolean says = chapterText.contains(anchor);
                    if (v.verdict().equals(kind) && !says) {
                        problems.add(chapter + ": hypothesis " + v.id() + " is " + kind + " by the data (" + sentence(v)
                                + ") but the chapter does not say so: add a CAUTION admonition with the anchor "
                                + anchor
                                + " that explains it");
                    } else if (!v.verdict().equals(kind) && says) {
                        problems.add(chapter + ": the chapter calls hypothesis " + v.id() + " " + kind + " (" + anchor
                                + ") but the data says " + v.verdict() + ": " + sentence(v));
                    }
                }
                String old = "{hypothesis-" + chapter + "-" + v.id() + "-previous-measured}";
                if (v.changed() && !chapterText.contains(old)) {
                    problems.add(chapter + ": hypothesis " + v.id() + " was "
                            + v.previous().verdict() + " by the previous instrument ("
                            + v.previous().metric() + " = "
                            + format(v.previous().measured(), v.format()) + ") and is " + v.verdict()
                            + " now: the chapter must say what the old run measured (" + old + ") and why it differed");
                }
            }
            return problems;
        }
    }

    private Hypotheses() {}

    /** Verdicts from figures without intervals (every figure a point). */
    static Verdicts judge(String chapter, Map<String, String> data, Map<String, Double> metrics) {
        return judge(chapter, data, metrics, Map.of());
    }

    /**
     * @param intervals a metric's interval as {lo, hi}, where the run gives one; the others are points
     */
    static Verdicts judge(
            String chapter, Map<String, String> data, Map<String, Double> metrics, Map<String, double[]> intervals) {
        TreeSet<String> ids =
                new TreeSet<>(java.util.Comparator.comparingInt((String id) -> Integer.parseInt(id.substring(1))));
        data.keySet().stream()
                .filter(k -> k.matches("h\\d+\\.metric"))
                .forEach(k -> ids.add(k.substring(0, k.indexOf('.'))));
        List<Verdict> list = new ArrayList<>();
        for (String id : ids) {
            String metric = required(data, id + ".metric");
            String comparison = required(data, id + ".comparison");
            String threshold = required(data, id + ".threshold");
            double factor = Double.parseDouble(data.getOrDefault(id + ".factor", "1"));
            Interval measured = figure(metric, metrics, intervals);
            Interval limit = threshold.matches("-?[0-9.]+")
                    ? Interval.point(Double.parseDouble(threshold))
                    : figure(threshold, metrics, intervals);
            if (limit != null) {
                limit = limit.times(factor);
            }
            String verdict =
                    measured == null || limit == null ? Format.NOT_MEASURED : verdict(measured, comparison, limit);
            list.add(new Verdict(
                    id,
                    required(data, id + ".claim"),
                    metric,
                    comparison,
                    threshold,
                    measured,
                    limit,
                    verdict,
                    data.getOrDefault(id + ".format", "number"),
                    previous(id, data, metrics, comparison, metric, threshold, factor)));
        }
        return new Verdicts(chapter, list);
    }

    /** The same hypothesis on the previous instrument's run, judged by its rule then: every figure a point. */
    private static Previous previous(
            String id,
            Map<String, String> data,
            Map<String, Double> metrics,
            String comparison,
            String metric,
            String threshold,
            double factor) {
        String m = data.getOrDefault(id + ".previous.metric", PREVIOUS + metric);
        String t = data.getOrDefault(
                id + ".previous.threshold", threshold.matches("-?[0-9.]+") ? threshold : PREVIOUS + threshold);
        double f = Double.parseDouble(data.getOrDefault(id + ".previous.factor", String.valueOf(factor)));
        String c = data.getOrDefault(id + ".previous.comparison", comparison);
        Double measured = metrics.get(m);
        Double limit = t.matches("-?[0-9.]+") ? Double.valueOf(t) : metrics.get(t);
        if (measured == null || limit == null) {
            return null;
        }
        return new Previous(m, measured, limit * f, holds(measured, c, limit * f) ? CONFIRMED : REFUTED);
    }

    /** The prefix of the previous instrument's metrics. */
    static final String PREVIOUS = "previous.";

    private static Interval figure(String metric, Map<String, Double> metrics, Map<String, double[]> intervals) {
        Double v = metrics.get(metric);
        if (v == null) {
            return null;
        }
        double[] i = intervals.get(metric);
        return i == null || Double.isNaN(i[0]) || Double.isNaN(i[1])
                ? Interval.point(v)
                : new Interval(v, Math.min(i[0], v), Math.max(i[1], v));
    }

    // tag::verdict[]
    /**
     * Confirmed when the comparison holds for the measured interval's least favourable end against
     * the threshold's least favourable end; refuted when it fails for the most favourable ends;
     * inconclusive in between. For points this is the plain comparison.
     */
    static String verdict(Interval measured, String comparison, Interval limit) {
        boolean above = comparison.startsWith(">");
        double worst = above ? measured.lo() : measured.hi();
        double best = above ? measured.hi() : measured.lo();
        double hardest = above ? limit.hi() : limit.lo();
        double easiest = above ? limit.lo() : limit.hi();
        if (holds(worst, comparison, hardest)) {
            return CONFIRMED;
        }
        if (!holds(best, comparison, easiest)) {
            return REFUTED;
        }
        return INCONCLUSIVE;
    }
    // end::verdict[]

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

    /** An interval as printed: "1.45-2.00", or the figure alone for a point. */
    static String interval(Interval i, String format) {
        return i.isPoint() ? format(i.value(), format) : format(i.lo(), format) + "-" + format(i.hi(), format);
    }

    /** A figure with its interval: "1.64 (1.45-2.00)", or the figure alone for a point. */
    static String withInterval(Interval i, String format) {
        return i.isPoint() ? format(i.value(), format) : format(i.value(), format) + " (" + interval(i, format) + ")";
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
            return v.claim() + " Verdict: " + Format.NOT_MEASURED + ".";
        }
        return v.claim() + " Measured " + withInterval(v.measured(), v.format()) + " against a threshold of "
                + symbol(v.comparison()) + " " + withInterval(v.limit(), v.format()) + ": " + v.verdict() + ".";
    }
}
