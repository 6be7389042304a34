package dms.dump.runtime;

import java.sql.SQLException;

/** A failure told the way a user reads it in the job document: the cause, not the stack. */
public final class Errors {

    private Errors() {}

    /** SQLSTATE classes another attempt cannot fix: bad data, constraints, schema or rights, features missing. */
    private static final java.util.Set<String> FOR_GOOD = java.util.Set.of("22", "23", "42", "0A");

    /**
     * Whether another attempt may succeed: a connection lost, a server restarting, a lock or
     * resource shortage, yes; a value or definition the destination refuses, no (it would only
     * delay the failure by the retries' backoff).
     */
    public static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.length() < 2 || !FOR_GOOD.contains(state.substring(0, 2));
    }

    public static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof SQLException)) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            message += " (SQLSTATE " + sql.getSQLState() + ")";
        }
        return message.length() > 2000 ? message.substring(0, 2000) + "..." : message;
    }
}
