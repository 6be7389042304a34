package dms.dump.tasks;

import java.sql.SQLException;

/** A failure told the way a user reads it in the job document: the cause, not the stack. */
final class Errors {

    private Errors() {}

    static String describe(Throwable e) {
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
