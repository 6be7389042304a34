package dms.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.output.Json;
import dms.cli.output.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One screen of {@code dms jobs watch} on a terminal: the job's status, then per database a bar
 * of the whole dump and a bar per table (the tables not copied yet first, as the API lists
 * them), or the lag during CDC. Lines are cut to the terminal's width, so that none wraps and
 * the next frame can overwrite this one exactly.
 */
public final class JobFrame {
    static final int DB_BAR = 30;
    static final int TABLE_BAR = 20;

    private JobFrame() {}

    public static List<String> render(JsonNode job, int width, int maxTablesPerDatabase) {
        List<String> lines = new ArrayList<>();
        lines.add(Json.text(job, "id", "?") + "  " + Json.status(job));
        JsonNode error = job.get("error");
        if (error != null && !error.isNull()) {
            lines.add("  error " + Json.text(error, "code", "") + ": " + Json.text(error, "message", ""));
        }
        for (JsonNode db : job.path("databaseProgress")) {
            lines.addAll(database(db, maxTablesPerDatabase));
        }
        List<String> cut = new ArrayList<>(lines.size());
        for (String line : lines) {
            cut.add(line.length() > width ? line.substring(0, Math.max(0, width - 1)) + "~" : line);
        }
        return cut;
    }

    private static List<String> database(JsonNode db, int maxTables) {
        List<String> lines = new ArrayList<>();
        String head = "  " + Json.text(db, "database", "?") + "  " + Json.text(db, "phase", "-");
        if (DatabaseLines.dumping(db)) {
            double percent = DatabaseLines.percent(db);
            lines.add(head + "  " + Bar.of(percent / 100, DB_BAR) + " " + String.format(Locale.ROOT, "%5.1f%%", percent)
                    + "  " + DatabaseLines.dumpCounters(db));
            int nameWidth = 0;
            List<JsonNode> tables = new ArrayList<>();
            for (JsonNode t : db.path("tables")) {
                tables.add(t);
                nameWidth = Math.max(nameWidth, Json.text(t, "table", "").length());
            }
            nameWidth = Math.min(nameWidth, 40);
            for (int i = 0; i < tables.size() && i < maxTables; i++) {
                JsonNode t = tables.get(i);
                double f = DatabaseLines.tableFraction(t);
                lines.add("    " + pad(Json.text(t, "table", "?"), nameWidth) + "  " + Bar.of(f, TABLE_BAR)
                        + String.format(Locale.ROOT, " %3d%%  ", Math.round(f * 100))
                        + pad(Json.text(t, "state", "?"), 7) + "  " + DatabaseLines.tableCounters(t));
            }
            if (tables.size() > maxTables) {
                lines.add("    ... " + (tables.size() - maxTables) + " more tables");
            }
        } else if (DatabaseLines.following(db)) {
            lines.add(head + "  " + DatabaseLines.lag(db));
        } else {
            Long rows = Json.number(db, "rowsCopied");
            lines.add(rows == null ? head : head + "  rows " + Units.count(rows));
        }
        String error = Json.text(db, "error");
        if (error != null) {
            lines.add("    error: " + error);
        }
        return lines;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
