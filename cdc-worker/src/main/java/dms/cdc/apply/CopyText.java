package dms.cdc.apply;

import java.util.List;

/**
 * Rows in COPY's text format: values tab-separated, a row per line, {@code \N} for NULL, and backslash, newline,
 * carriage return and tab escaped with a backslash. The values are already the source's text output of each type
 * (what its input function reads back), so nothing else is converted: arrays, bytea ({@code \x...}), json and
 * ranges go through as the text they are, their backslashes doubled here and undone by COPY.
 */
final class CopyText {

    private CopyText() {}

    /** Appends one row (null = SQL NULL) and its line end. */
    static void appendRow(StringBuilder out, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append('\t');
            }
            appendValue(out, values.get(i));
        }
        out.append('\n');
    }

    private static void appendValue(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        int first = firstToEscape(value);
        if (first < 0) {
            out.append(value); // the common case: one bulk copy
            return;
        }
        out.append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
    }

    private static int firstToEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\n' || c == '\r' || c == '\t') {
                return i;
            }
        }
        return -1;
    }
}
