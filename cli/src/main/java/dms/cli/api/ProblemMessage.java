package dms.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A problem+json answer (docs/api.md, Errors) as one readable message: the detail, then what a
 * user needs to fix or understand it (each bad field; a job's state and allowed actions; the
 * jobs of a batch that differ or are missing; the pre-flight's findings that refused a start).
 */
public final class ProblemMessage {

    private ProblemMessage() {}

    public static String of(int status, JsonNode problem) {
        if (problem == null || !problem.isObject()) {
            return "HTTP " + status;
        }
        StringBuilder sb = new StringBuilder();
        String detail = text(problem, "detail");
        String title = text(problem, "title");
        sb.append(detail != null ? detail : title != null ? title : "HTTP " + status);
        for (JsonNode error : problem.path("errors")) {
            String line = text(error, "field") + ": " + text(error, "message");
            if (!line.equals(detail)) { // a single bad field is often the detail itself
                sb.append("\n  ").append(line);
            }
        }
        List<String> facts = new ArrayList<>();
        if (problem.has("state")) {
            String phase = text(problem, "phase");
            facts.add("state " + text(problem, "state") + (phase == null ? "" : "/" + phase));
        }
        if (problem.has("allowedActions")) {
            facts.add("allowed actions: " + join(problem.get("allowedActions")));
        }
        if (problem.has("missingJobIds")) {
            facts.add("unknown jobs: " + join(problem.get("missingJobIds")));
        }
        if (problem.has("differingJobIds")) {
            facts.add("jobs in another status: " + join(problem.get("differingJobIds")));
        }
        if (problem.has("jobStatuses")) {
            facts.add("statuses: " + problem.get("jobStatuses"));
        }
        facts.forEach(f -> sb.append("\n  ").append(f));
        FindingLines.ofRefusal(problem).forEach(line -> sb.append("\n").append(line));
        return sb.toString();
    }

    private static String join(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(n -> items.add(n.asText()));
        return String.join(", ", items);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
