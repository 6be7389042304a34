package dms.common.statemachine;

/**
 * What a worker reports about one database of a job that can move the job's status.
 * The job moves when every database of the job has reported the signal (or, for
 * {@link #FAILED}, when any one has). See {@link JobStateMachine#onSignal}.
 */
public enum WorkerSignal {
    /** Publication, slot and pre-data schema are in place; the copy can begin. */
    DUMP_STARTED,
    /** Every table is copied and post-data is applied: the database is ready for CDC. */
    DUMP_COMPLETED,
    /** Copy or apply halted after a stop; the slot is kept. */
    STOPPED,
    /** Work picked up again after a resume. */
    RESUMED,
    /** Caught up, streams stopped, sequences synced, slot and publication dropped. */
    PROMOTED,
    /** Slots and publications dropped (and destination purged when asked). */
    CLEANED_UP,
    /** Unrecoverable error in this database. */
    FAILED
}
