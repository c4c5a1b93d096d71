import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a JMH JSON result file into an AsciiDoc table, so that READMEs and the book include
 * measured numbers instead of typing them. Usage: java tools/JmhTable.java results/jmh.json results/jmh.adoc
 *
 * <p>JMH's JSON is regular enough that a few patterns read it; this keeps the tool free of libraries.
 */
public class JmhTable {
    private static final Pattern BENCHMARK = Pattern.compile("\"benchmark\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PRIMARY = Pattern.compile("\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.Ee]+)"
            + "\\s*,\\s*\"scoreError\"\\s*:\\s*\"?([-0-9.EeNa]+)\"?.*?\"scoreUnit\"\\s*:\\s*\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern ALLOC = Pattern.compile("gc\\.alloc\\.rate\\.norm\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([-0-9.Ee]+)");

    public static void main(String[] args) throws Exception {
        String json = Files.readString(Path.of(args[0]));
        StringBuilder out = new StringBuilder();
        out.append("[cols=\"3,>1,>1,1,>1\",options=\"header\"]\n|===\n| Benchmark | Score | Error (99.9%) | Unit | Allocated (B/op)\n");
        int rows = 0;
        for (String block : json.split("\"jmhVersion\"")) {
            Matcher name = BENCHMARK.matcher(block);
            Matcher primary = PRIMARY.matcher(block);
            if (!name.find() || !primary.find()) {
                continue;
            }
            Matcher alloc = ALLOC.matcher(block);
            String bench = name.group(1).substring(name.group(1).lastIndexOf('.') + 1);
            String error = primary.group(2).equals("NaN") ? "n/a"
                    : String.format(Locale.ROOT, "± %.1f", Double.parseDouble(primary.group(2)));
            String allocated = alloc.find() ? String.format(Locale.ROOT, "%.0f", Double.parseDouble(alloc.group(1))) : "n/a";
            out.append(String.format(Locale.ROOT, "| `%s` | %.1f | %s | %s | %s%n",
                    bench, Double.parseDouble(primary.group(1)), error, primary.group(3), allocated));
            rows++;
        }
        out.append("|===\n");
        if (rows == 0) {
            throw new IllegalStateException("no benchmark found in " + args[0]);
        }
        Files.writeString(Path.of(args[1]), out);
    }
}
