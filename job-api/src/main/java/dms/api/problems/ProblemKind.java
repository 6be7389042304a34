package dms.api.problems;

import dms.common.messages.ErrorInfo;
import java.util.Locale;

/**
 * The kinds of problem the API answers, each with its HTTP status and its {@code type} URI.
 * The first four share their names with the canonical codes of {@link ErrorInfo}, so an
 * orchestrator verdict maps onto the same statuses as the API's own pre-checks.
 */
public enum ProblemKind {
    INVALID_ARGUMENT(400, "Invalid argument"),
    NOT_FOUND(404, "Not found"),
    ALREADY_EXISTS(409, "Already exists"),
    FAILED_PRECONDITION(409, "Failed precondition"),
    UNAUTHENTICATED(401, "Unauthenticated"),
    PERMISSION_DENIED(403, "Permission denied"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNAVAILABLE(503, "Service unavailable"),
    /** A profile's server, which the orchestrator reached for the call, does not answer or refuses the connection. */
    SOURCE_UNAVAILABLE(502, "Database server unavailable"),
    INTERNAL(500, "Internal error");

    public static final String TYPE_BASE = "https://dms.dev/problems/";

    private final int status;
    private final String title;

    ProblemKind(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String type() {
        return TYPE_BASE + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind of an {@link ErrorInfo#code()}; a code the API does not know is an internal error. */
    public static ProblemKind ofErrorCode(String code) {
        if (code == null) {
            return INTERNAL;
        }
        return switch (code) {
            case ErrorInfo.INVALID_ARGUMENT -> INVALID_ARGUMENT;
            case ErrorInfo.NOT_FOUND -> NOT_FOUND;
            case ErrorInfo.ALREADY_EXISTS -> ALREADY_EXISTS;
            case ErrorInfo.FAILED_PRECONDITION -> FAILED_PRECONDITION;
            case ErrorInfo.UNAVAILABLE -> SOURCE_UNAVAILABLE;
            default -> INTERNAL;
        };
    }
}
