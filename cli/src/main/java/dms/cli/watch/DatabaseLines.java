package dms.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.output.Json;
import dms.cli.output.Units;
import java.util.ArrayList;
import java.util.List;

/**
 * The words both displays use for one database of a job document (docs/api.md,
 * databaseProgress): the dump's counters while it copies, the lag while CDC follows the source.
 */
final class DatabaseLines {

    private DatabaseLines() {}

    static boolean dumping(JsonNode db) {
        return "FULL_DUMP".equals(Json.text(db, "phase")) && db.has("tablesTotal");
    }

    static boolean following(JsonNode db) {
        String phase = Json.text(db, "phase");
        return ("CDC".equals(phase) || "PROMOTE_IN_PROGRESS".equals(phase))
                && (db.has("lagBytes") || db.has("lagSeconds") || db.has("retainedWalBytes"));
    }

    /** "tables 3/5  rows 1,234  45.1 MB  eta 12s" */
    static String dumpCounters(JsonNode db) {
        List<String> parts = new ArrayList<>();
        parts.add("tables " + orZero(Json.number(db, "tablesCopied")) + "/" + orZero(Json.number(db, "tablesTotal")));
        parts.add("rows " + Units.count(orZero(Json.number(db, "rowsCopied"))));
        parts.add(Units.bytes(orZero(Json.number(db, "bytesCopied"))));
        Long eta = Json.number(db, "etaSeconds");
        if (eta != null) {
            parts.add("eta " + Units.seconds(eta));
        }
        return String.join("  ", parts);
    }

    /** "lag 1.2 kB, 0.4 s  slot retains 3.4 MB", then a warning and the stream's retries when there are. */
    static String lag(JsonNode db) {
        Long bytes = Json.number(db, "lagBytes");
        Double seconds = Json.decimal(db, "lagSeconds");
        Long retained = Json.number(db, "retainedWalBytes");
        StringBuilder sb = new StringBuilder("lag ");
        if (bytes == null && seconds == null) {
            sb.append("unknown"); // starting, stopped, ended, or no worker reports it
        } else {
            sb.append(bytes == null ? "?" : Units.bytes(bytes)).append(", ");
            sb.append(seconds == null ? "?" : Units.decimal(seconds)).append(" s");
        }
        if (retained != null) {
            sb.append("  slot retains ").append(Units.bytes(retained));
            if (db.path("retainedWalWarning").asBoolean(false)) {
                sb.append(" (over the warning level)");
            }
        }
        Long retries = Json.number(db, "cdcRetries");
        if (retries != null) {
            sb.append("  ended ").append(retries).append("x since it last applied: ").append(Json.text(db, "lastError", "?"));
        }
        return sb.toString();
    }

    static double percent(JsonNode db) {
        Double p = Json.decimal(db, "percentCopied");
        return p == null ? 0 : p;
    }

    /** How far one table's copy is: done when COPIED, else its bytes against the planner's estimate (below 100%). */
    static double tableFraction(JsonNode table) {
        String state = Json.text(table, "state", "");
        if (state.equals("COPIED")) {
            return 1;
        }
        Long estimated = Json.number(table, "bytesEstimated");
        long bytes = orZero(Json.number(table, "bytes"));
        if (estimated == null || estimated <= 0) {
            return 0;
        }
        return Math.min(0.99, (double) bytes / estimated);
    }

    /** "12,345 rows  4.5 MB  3.2 MB/s" */
    static String tableCounters(JsonNode table) {
        String s = Units.count(orZero(Json.number(table, "rows"))) + " rows  " + Units.bytes(orZero(Json.number(table, "bytes")));
        Double rate = Json.decimal(table, "megabytesPerSecond");
        return rate == null ? s : s + "  " + Units.decimal(rate) + " MB/s";
    }

    static long orZero(Long n) {
        return n == null ? 0 : n;
    }
}
