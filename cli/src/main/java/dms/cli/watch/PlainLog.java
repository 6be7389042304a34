package dms.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.output.Json;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dms jobs watch} when the output is not a terminal (a pipe, a log file, CI): no
 * cursor movement, one line per change. A line when the job's status changes, when a
 * database's counters or lag change, and once per table when its copy ends.
 */
public final class PlainLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private String lastStatus;
    private final Map<String, String> lastDatabaseLine = new HashMap<>();
    private final Set<String> tablesReported = new HashSet<>();

    /** The lines this document adds to what was printed before. */
    public List<String> next(JsonNode job, LocalTime now) {
        List<String> out = new ArrayList<>();
        String id = Json.text(job, "id", "?");
        String prefix = TIME.format(now) + " " + id;
        String status = Json.status(job);
        if (!status.equals(lastStatus)) {
            out.add(prefix + " " + status);
            lastStatus = status;
            JsonNode error = job.get("error");
            if (error != null && !error.isNull()) {
                out.add(prefix + " error " + Json.text(error, "code", "") + ": " + Json.text(error, "message", ""));
            }
        }
        for (JsonNode db : job.path("databaseProgress")) {
            String name = Json.text(db, "database", "?");
            for (JsonNode t : db.path("tables")) {
                String state = Json.text(t, "state", "");
                String key = name + "/" + Json.text(t, "table", "?") + "/" + job.path("runEpoch").asLong();
                if ((state.equals("COPIED") || state.equals("FAILED")) && tablesReported.add(key)) {
                    out.add(prefix + " " + name + " table " + Json.text(t, "table", "?") + " " + state + "  "
                            + DatabaseLines.tableCounters(t));
                }
            }
            String line = databaseLine(db);
            if (line != null && !line.equals(lastDatabaseLine.put(name, line))) {
                out.add(prefix + " " + line);
            }
        }
        return out;
    }

    private static String databaseLine(JsonNode db) {
        String head = Json.text(db, "database", "?") + " " + Json.text(db, "phase", "-");
        String error = Json.text(db, "error");
        String tail = error == null ? "" : "  error: " + error;
        if (DatabaseLines.dumping(db)) {
            return head + "  " + Json.text(db, "percentCopied", "0") + "%  " + DatabaseLines.dumpCounters(db) + tail;
        }
        if (DatabaseLines.following(db)) {
            return head + "  " + DatabaseLines.lag(db) + tail;
        }
        return head + tail;
    }
}
