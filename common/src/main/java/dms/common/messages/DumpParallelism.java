package dms.common.messages;

/** How many table copies run at once for a job (DMS's "dump parallelism"). */
public enum DumpParallelism {
    /** One copy at a time: least load on the source. */
    MIN,
    /** As many copies as a dump worker has cores. */
    OPTIMAL,
    /** Twice that. */
    MAX
}
