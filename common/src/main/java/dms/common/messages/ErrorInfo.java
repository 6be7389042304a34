package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An error as Google APIs give it: a canonical {@code code} (INVALID_ARGUMENT, NOT_FOUND,
 * FAILED_PRECONDITION, ALREADY_EXISTS, INTERNAL ...), a message for people, and details
 * for programs (for FAILED_PRECONDITION: {@code state}, {@code phase}, {@code allowedActions}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorInfo(String code, String message, Map<String, Object> details) {
    public static final String INVALID_ARGUMENT = "INVALID_ARGUMENT";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String ALREADY_EXISTS = "ALREADY_EXISTS";
    public static final String FAILED_PRECONDITION = "FAILED_PRECONDITION";
    public static final String INTERNAL = "INTERNAL";
    /** A server the command needs (a profile's) could not be reached or refused the connection. */
    public static final String UNAVAILABLE = "UNAVAILABLE";
    /** A job failed: a worker reported an unrecoverable error in one of its databases. */
    public static final String MIGRATION_FAILED = "MIGRATION_FAILED";

    public static ErrorInfo of(String code, String message) {
        return new ErrorInfo(code, message, Map.of());
    }
}
