package dms.cli;

/**
 * What {@code bin/dms} exits with, so that scripts can tell the failures apart (also in
 * {@code dms --help} and docs/cli.md).
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Anything else: a server error, an operation that failed for another reason. */
    public static final int ERROR = 1;
    /** Bad command line (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** 404: no such job, profile or operation. */
    public static final int NOT_FOUND = 3;
    /** 409: the action is not allowed in the job's state, the id exists, the profile is in use. */
    public static final int CONFLICT = 4;
    /** 400: the API refused the input (each bad field is printed). */
    public static final int INVALID = 5;
    /** The API could not be reached, or answered 503 (starting, or Kafka down). */
    public static final int UNREACHABLE = 6;
    /** {@code jobs watch}: the job ended FAILED. */
    public static final int JOB_FAILED = 7;
    /** 401/403: no token, or a token the API refuses. */
    public static final int UNAUTHORIZED = 8;
    /** {@code jobs verify}: the pre-flight found an ERROR (each finding is printed). */
    public static final int CHECK_FAILED = 9;
    /** {@code jobs watch --timeout}: the job did not reach what --until and --max-lag ask for in time. */
    public static final int TIMED_OUT = 10;

    /** For --help: the codes, in lines short enough not to be re-wrapped. */
    public static final String HELP_1 = "Exit codes: 0 ok, 1 other error, 2 bad usage, 3 not found, 4 conflict (action not";
    public static final String HELP_2 = "allowed in the job's state, id exists, profile in use), 5 invalid input, 6 API";
    public static final String HELP_3 = "unreachable or unavailable (503), 7 watched job FAILED, 8 unauthorized,";
    public static final String HELP_4 = "9 verify's pre-flight found an ERROR, 10 watch --timeout passed before --until";
    public static final String HELP_5 = "(and --max-lag) held.";

    private ExitCodes() {}

    /** The exit code of an HTTP error status. */
    public static int ofStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID;
            case 401, 403 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 502, 503, 504 -> UNREACHABLE;
            default -> ERROR;
        };
    }

    /** The exit code of an Operation's error code (docs/api.md: the same mapping as the HTTP status). */
    public static int ofOperationError(String code) {
        if (code == null) {
            return ERROR;
        }
        return switch (code) {
            case "INVALID_ARGUMENT" -> INVALID;
            case "NOT_FOUND" -> NOT_FOUND;
            case "FAILED_PRECONDITION", "ALREADY_EXISTS" -> CONFLICT;
            case "UNAVAILABLE" -> UNREACHABLE;
            default -> ERROR;
        };
    }
}
