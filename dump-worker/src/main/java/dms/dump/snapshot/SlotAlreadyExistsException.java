package dms.dump.snapshot;

import java.sql.SQLException;

/** The job's slot is already on the source: whether to reuse, drop or fail is the caller's call. */
public class SlotAlreadyExistsException extends SQLException {

    public SlotAlreadyExistsException(String slotName, String database) {
        super("replication slot " + slotName + " already exists on the source (database " + database
                + "): drop it (ReplicationSlots.dropSlotAndPublication) to start over, or resume from it", "42710");
    }
}
