package dev.warpjourney.bench.rows;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a CSV file, its cells by column name: what a row record is parsed from, once. A
 * column the file lacks (an older run) reads like a blank cell: null.
 */
public final class Cells {
    private final Map<String, String> cells;

    Cells(Map<String, String> cells) {
        this.cells = cells;
    }

    /** Whether the file has this column at all, blank or not: how a reader tells an older run from a newer. */
    public boolean has(String column) {
        return cells.containsKey(column);
    }

    /** The cell as text, or null when blank or absent. */
    public String text(String column) {
        String v = cells.get(column);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The first of these columns that is not blank, as text (a column the harness renamed: new name, old name). */
    public String text(String column, String... older) {
        String v = text(column);
        for (int i = 0; v == null && i < older.length; i++) {
            v = text(older[i]);
        }
        return v;
    }

    /** The cell as a figure (value and text), or null when blank or absent. */
    public Figure figure(String column) {
        return Figure.parse(column, text(column));
    }

    /** The first of these columns that is not blank, as a figure. */
    public Figure figure(String column, String... older) {
        Figure f = figure(column);
        for (int i = 0; f == null && i < older.length; i++) {
            f = figure(older[i]);
        }
        return f;
    }

    /** The cell as a number, or null when blank or absent. */
    public Double number(String column) {
        return Figure.value(figure(column));
    }

    /** The cell as a whole number, or null when blank or absent. */
    public Integer integer(String column) {
        String v = text(column);
        return v == null ? null : Integer.valueOf(v);
    }

    /** The cell as a whole number that every row has (a key column such as idle or loops). */
    public int required(String column) {
        Integer v = integer(column);
        if (v == null) {
            throw new IllegalArgumentException("column " + column + " is blank or absent");
        }
        return v;
    }

    /**
     * Every column of the line in the file's order, its value where the cell is written as a number,
     * else null: for a reader that exports whatever columns a run has (the book's metrics, which the
     * chapters' hypotheses may name by any column).
     */
    public Map<String, Double> numbers() {
        Map<String, Double> m = new LinkedHashMap<>();
        cells.forEach((column, v) -> m.put(column, Figure.isNumber(v) ? Double.parseDouble(v) : null));
        return Collections.unmodifiableMap(m);
    }
}
