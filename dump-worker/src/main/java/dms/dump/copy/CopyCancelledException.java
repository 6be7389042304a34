package dms.dump.copy;

import java.sql.SQLException;

/** A copy stopped by {@link TableCopier#cancel()}; the destination's transaction was rolled back. */
public class CopyCancelledException extends SQLException {

    public CopyCancelledException(String what, Throwable cause) {
        super("copy of " + what + " cancelled; the destination keeps what it had before", "57014", cause);
    }
}
