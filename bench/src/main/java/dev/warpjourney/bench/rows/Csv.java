package dev.warpjourney.bench.rows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the harness's CSV files: a header line, then comma-separated values; a value may be quoted
 * ("...", with "" for a quote) when it holds a comma. Columns are looked up by name, so that columns
 * the harness appends later do not disturb a reader written before them; a line shorter than the
 * header leaves its last columns blank.
 */
public final class Csv {
    private Csv() {}

    /** Every line of file as a row record, each parsed once from its cells: {@code Csv.read(f, SummaryRow::of)}. */
    public static <T> List<T> read(Path file, Function<Cells, T> row) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = split(lines.getFirst());
        List<T> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> v = split(line);
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                cells.put(header.get(i), i < v.size() ? v.get(i) : "");
            }
            rows.add(row.apply(new Cells(cells)));
        }
        return rows;
    }

    /** One line's values, a quoted value unquoted. */
    static List<String> split(String line) {
        List<String> values = new ArrayList<>();
        StringBuilder v = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    v.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    v.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                values.add(v.toString());
                v.setLength(0);
            } else {
                v.append(c);
            }
        }
        values.add(v.toString());
        return values;
    }
}
