package dms.cli.api;

/** A call that did not succeed: the message is for the user, the exit code for scripts (see ExitCodes). */
public final class ApiException extends RuntimeException {
    private final int exitCode;

    public ApiException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ApiException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
