package dms.dump.copy;

/** The COPY format a table travelled in. */
public enum CopyFormat {
    /** Each type's send/receive form: no text parsing on either side, the fast path. */
    BINARY,
    /** For types whose binary form is missing or not portable between two servers. */
    TEXT;

    String option() {
        return this == BINARY ? " (FORMAT binary)" : "";
    }
}
