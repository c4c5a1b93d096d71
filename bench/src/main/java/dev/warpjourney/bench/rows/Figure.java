package dev.warpjourney.bench.rows;

import java.util.regex.Pattern;

/**
 * A number as the harness wrote it: its value to compute with, and its text to print as written
 * (a ratio written 1.50 is quoted as 1.50, not 1.5). A blank cell is no figure at all (null).
 */
public record Figure(double value, String text) {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9.]+([eE][-+]?[0-9]+)?");

    /** The figure of a cell: null when blank; a cell of text where a number belongs is an error of the harness. */
    static Figure parse(String column, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (!isNumber(text)) {
            throw new IllegalArgumentException("column " + column + ": not a number: " + text);
        }
        return new Figure(Double.parseDouble(text), text);
    }

    /** Whether text is written as a number (digits, a point, an exponent): what a reader may compute with. */
    public static boolean isNumber(String text) {
        return text != null && NUMBER.matcher(text).matches();
    }

    /** The value of a figure that may be absent. */
    public static Double value(Figure f) {
        return f == null ? null : f.value();
    }

    /** The text of a figure that may be absent. */
    public static String text(Figure f) {
        return f == null ? null : f.text();
    }

    @Override
    public String toString() {
        return text;
    }
}
