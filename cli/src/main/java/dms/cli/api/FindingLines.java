package dms.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Pre-flight findings (docs/verify.md) as lines: severity, code, database, what was found, and what to do. */
public final class FindingLines {

    private FindingLines() {}

    /** {@code findings}: an array of findings. */
    public static List<String> of(JsonNode findings, String indent) {
        List<String> lines = new ArrayList<>();
        for (JsonNode f : findings) {
            String database = f.path("database").isTextual() ? " (" + f.path("database").asText() + ")" : "";
            lines.add(indent + f.path("severity").asText("?") + " " + f.path("code").asText("?") + database + ": "
                    + f.path("message").asText(""));
            if (f.path("action").isTextual()) {
                lines.add(indent + "  fix: " + f.path("action").asText());
            }
        }
        return lines;
    }

    /**
     * The findings a refusal carries (a problem document, or an Operation error's details):
     * {@code findings} for one job, {@code preflights} (job id → findings) for a batch.
     */
    public static List<String> ofRefusal(JsonNode holder) {
        List<String> lines = new ArrayList<>();
        lines.addAll(of(holder.path("findings"), "  "));
        holder.path("preflights").fields().forEachRemaining(job -> {
            lines.add("  job " + job.getKey() + ":");
            lines.addAll(of(job.getValue(), "    "));
        });
        return lines;
    }
}
