package dms.common.pg.internal;

import java.sql.SQLException;

/** A copy's snapshot is no longer the job's current one: its rows must not commit (the table is copied again). */
public class SupersededCopyException extends SQLException {

    public SupersededCopyException(String snapshot, String current) {
        super("the copy under snapshot " + snapshot + " was superseded by " + (current == null ? "no snapshot" : current));
    }
}
