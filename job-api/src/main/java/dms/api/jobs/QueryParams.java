package dms.api.jobs;

import dms.api.problems.Problems;
import dms.common.statemachine.JobState;
import java.util.Arrays;
import java.util.Locale;

/** Query parameters parsed by hand: JAX-RS would answer 404 for a bad value; this names it in a 400. */
final class QueryParams {

    private QueryParams() {}

    static JobState jobState(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return JobState.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(field, "unknown state '" + value + "', expected one of " + Arrays.toString(JobState.values()));
        }
    }

    static boolean bool(String field, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problems.invalid(field, "expected true or false");
        };
    }
}
