package dms.cdc.newtables;

import dms.cdc.apply.TableRef;

/** A table created on the source during CDC cannot be created or copied on the destination: the user must act. */
public final class NewTableException extends RuntimeException {

    public NewTableException(TableRef table, Throwable cause) {
        super("table " + table + " was created on the source during CDC and could not be copied to the destination: "
                + cause.getMessage() + "; create it on the destination as on the source and resume, or restart this database"
                + " (:restart with {\"databases\": [...]})", cause);
    }
}
