package dms.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.api.FindingLines;
import dms.cli.output.Json;
import dms.cli.output.TextTable;
import dms.cli.watch.JobFrame;
import java.util.ArrayList;
import java.util.List;

/** Jobs as text: a table for lists, fields and per-database progress for one job. */
final class JobText {

    private JobText() {}

    static List<String> table(Iterable<JsonNode> jobs) {
        TextTable table = new TextTable("ID", "STATE", "PHASE", "SOURCE", "DESTINATION", "DATABASES", "PARALLELISM");
        for (JsonNode job : jobs) {
            String databases = Json.list(job.get("databases"));
            table.row(Json.text(job, "id"), Json.text(job, "state"), Json.text(job, "phase", "-"), Json.text(job, "source"),
                    Json.text(job, "destination"), databases.isEmpty() ? "(all)" : databases,
                    Json.text(job, "dumpParallelism", "-"));
        }
        return table.lines();
    }

    static List<String> describe(JsonNode job) {
        List<String> lines = new ArrayList<>();
        field(lines, "id", Json.text(job, "id"));
        field(lines, "displayName", Json.text(job, "displayName"));
        field(lines, "state", Json.text(job, "state"));
        field(lines, "phase", Json.text(job, "phase"));
        field(lines, "source", Json.text(job, "source"));
        field(lines, "destination", Json.text(job, "destination"));
        String databases = Json.list(job.get("databases"));
        field(lines, "databases", databases.isEmpty() ? "(all)" : databases);
        field(lines, "dumpParallelism", Json.text(job, "dumpParallelism"));
        field(lines, "roles", Json.text(job, "roles", "CREATE_MISSING"));
        field(lines, "replicaIdentityFull", Json.text(job, "replicaIdentityFull", "false"));
        field(lines, "cdcParallelism", Json.text(job, "cdcParallelism", "1"));
        field(lines, "allowedActions", Json.list(job.get("allowedActions")));
        field(lines, "runEpoch", Json.text(job, "runEpoch"));
        field(lines, "createTime", Json.text(job, "createTime"));
        field(lines, "updateTime", Json.text(job, "updateTime"));
        JsonNode error = job.get("error");
        if (error != null && !error.isNull()) {
            field(lines, "error", Json.text(error, "code", "") + ": " + Json.text(error, "message", ""));
        }
        if (job.path("databaseProgress").size() > 0) {
            lines.add("databaseProgress:");
            List<String> frame = JobFrame.render(job, Integer.MAX_VALUE, Integer.MAX_VALUE);
            // The frame's first line is the job's status, shown above already; so are job errors.
            frame.stream().skip(1).filter(l -> !l.startsWith("  error ")).forEach(lines::add);
        }
        return lines;
    }

    /** "start orders: RUNNING/FULL_DUMP" */
    static String actionResult(String verb, JsonNode job) {
        return verb + " " + Json.text(job, "id", "?") + ": " + Json.status(job);
    }

    /** "verify orders: pre-flight FAILED", then each finding and what to do. */
    static List<String> preflight(JsonNode report) {
        List<String> lines = new ArrayList<>();
        lines.add("verify " + Json.text(report, "jobId", "?") + ": pre-flight " + (report.path("passed").asBoolean(false)
                ? "passed" : "FAILED") + (report.path("findings").isEmpty() ? " (no finding)" : ""));
        lines.addAll(FindingLines.of(report.path("findings"), "  "));
        return lines;
    }

    /** "2026-12-05T10:00:00Z  STATUS_CHANGED  NOT_STARTED -> RUNNING/FULL_DUMP  shop  message" */
    static List<String> events(JsonNode events) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : events) {
            StringBuilder line = new StringBuilder(Json.text(e, "time", "?")).append("  ").append(Json.text(e, "type", "?"));
            if (e.has("toState")) {
                line.append("  ").append(status(e, "fromState", "fromPhase")).append(" -> ").append(status(e, "toState", "toPhase"));
            }
            if (e.has("database")) {
                line.append("  ").append(Json.text(e, "database"));
            }
            String message = Json.text(e, "message");
            if (message != null && !message.isEmpty()) {
                line.append("  ").append(message);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static String status(JsonNode event, String state, String phase) {
        String p = Json.text(event, phase);
        return Json.text(event, state, "-") + (p == null ? "" : "/" + p);
    }

    private static void field(List<String> lines, String name, String value) {
        if (value != null && !value.isEmpty()) {
            lines.add(String.format("%-16s %s", name + ":", value));
        }
    }
}
