package dms.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

/** Null-safe reads of a JSON document's fields. */
public final class Json {

    private Json() {}

    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static String text(JsonNode node, String field, String absent) {
        String v = text(node, field);
        return v == null ? absent : v;
    }

    public static Long number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isNumber() ? null : v.asLong();
    }

    public static Double decimal(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    /** A job's "STATE/PHASE" (or only the state while it has no phase). */
    public static String status(JsonNode job) {
        String phase = text(job, "phase");
        return text(job, "state", "?") + (phase == null ? "" : "/" + phase);
    }

    public static String list(JsonNode array) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        array.forEach(n -> sb.append(sb.length() == 0 ? "" : ",").append(n.asText()));
        return sb.toString();
    }
}
