package dms.cdc.newtables;

import dms.cdc.apply.TableRef;

/** A table created on the source during CDC that the stream cannot replicate, and why: the job's events say so, once. */
public record NotTakenTable(TableRef table, Why why) {

    public enum Why {
        NO_KEY("it has no primary key and no other replica identity, so the source would refuse its UPDATE and DELETE once"
                + " published; give it a primary key, or ALTER TABLE ... REPLICA IDENTITY FULL, on the source and it is copied then"),
        REPLICA_IDENTITY_NOTHING("its REPLICA IDENTITY is NOTHING, so the source would refuse its UPDATE and DELETE once published;"
                + " give it a replica identity on the source and it is copied then"),
        UNLOGGED("it is UNLOGGED: its changes are not in the WAL that logical decoding reads; ALTER TABLE ... SET LOGGED on the"
                + " source and it is copied then");

        private final String reason;

        Why(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** What the job's event says after the table's name. */
    public String reason() {
        return why.reason();
    }
}
