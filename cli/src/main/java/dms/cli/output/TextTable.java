package dms.cli.output;

import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell, as gcloud lists resources. */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... header) {
        rows.add(header);
    }

    public TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    public List<String> lines() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], cell(row, c).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                sb.append(c == columns - 1 ? cell(row, c) : pad(cell(row, c), widths[c] + 2));
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }

    private static String cell(String[] row, int c) {
        return c < row.length && row[c] != null ? row[c] : "";
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
