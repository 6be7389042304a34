package dms.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dms.cli.output.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --filter "state=RUNNING phase=CDC"}: terms {@code key=value} separated by spaces or
 * commas, all of which must hold. The state goes to the API ({@code ?state=}), the other keys
 * are checked here.
 */
public final class JobFilter {
    static final Set<String> KEYS = Set.of("state", "phase", "source", "destination");

    private final Map<String, String> terms;

    private JobFilter(Map<String, String> terms) {
        this.terms = terms;
    }

    /** @throws IllegalArgumentException naming the bad term */
    public static JobFilter parse(String expression) {
        Map<String, String> terms = new LinkedHashMap<>();
        for (String term : expression.strip().split("[\\s,]+")) {
            if (term.isEmpty()) {
                continue;
            }
            int eq = term.indexOf('=');
            if (eq <= 0 || eq == term.length() - 1) {
                throw new IllegalArgumentException("filter term '" + term + "' is not key=value (keys: " + keyList() + ")");
            }
            String key = term.substring(0, eq).toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown filter key '" + key + "' (keys: " + keyList() + ")");
            }
            String value = term.substring(eq + 1);
            terms.put(key, key.equals("state") || key.equals("phase") ? value.toUpperCase(Locale.ROOT) : value);
        }
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("empty filter (e.g. --filter state=RUNNING)");
        }
        return new JobFilter(terms);
    }

    /** The query string of the list call: the state, if the filter names one. */
    public String query() {
        String state = terms.get("state");
        return state == null ? "" : "?state=" + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean matches(JsonNode job) {
        for (Map.Entry<String, String> term : terms.entrySet()) {
            if (!term.getValue().equals(Json.text(job, term.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        terms.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static String keyList() {
        return String.join(", ", new java.util.TreeSet<>(KEYS));
    }
}
