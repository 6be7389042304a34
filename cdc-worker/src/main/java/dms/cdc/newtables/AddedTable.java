package dms.cdc.newtables;

import dms.cdc.apply.TableRef;
import dms.common.sql.Lsn;

/**
 * A table created on the source during CDC, now on the destination and in the stream.
 *
 * @param created whether it was created on the destination (false: a table of that name was there, emptied and filled)
 * @param syncLsn its copy's consistent point: the stream applies its changes committed after it
 * @param foundAt when the stream first saw it missing from the publication (epoch millis)
 * @param copiedAt when its copy committed on the destination (epoch millis)
 */
public record AddedTable(TableRef table, boolean created, long rows, long bytes, Lsn syncLsn, long foundAt, long copiedAt) {

    /** What the job's events say. */
    public String describe() {
        return "table " + table + " found on the source during CDC, " + (created ? "created on the destination, " : "")
                + "copied " + rows + " rows in " + (copiedAt - foundAt) + " ms (sync LSN " + syncLsn + "), replicating";
    }
}
