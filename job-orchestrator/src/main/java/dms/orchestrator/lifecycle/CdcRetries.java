package dms.orchestrator.lifecycle;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.WorkerEvent;
import dms.common.sql.Lsn;
import dms.common.statemachine.WorkerSignal;

/**
 * How many times a database's stream ended since it last applied anything, and why it last did
 * ({@code cdcRetries}, {@code lastError}), from the cdc-workers' reports: a stream that fails
 * again and again shows it on the job even while it is started again each time. Counted here, not
 * in the worker, because a worker killed by the stream (out of memory on a huge transaction) starts
 * counting from zero, and cannot report its death: the next start of the stream, with no stop or
 * trouble reported since the previous one, is the sign that it ended.
 */
final class CdcRetries {

    private CdcRetries() {}

    /** A passing trouble of a stream: it ended (or could not start) and is started again. */
    static boolean isTrouble(WorkerEvent e) {
        return e instanceof WorkerEvent.StreamTrouble;
    }

    /**
     * @param before the database's progress before the report
     * @param after the progress with the report merged in
     * @param streamingBefore the database's last signal in this run was RESUMED: its stream was started and
     *     not stopped since
     */
    static DatabaseProgress count(DatabaseProgress before, DatabaseProgress after, WorkerEvent e, boolean streamingBefore) {
        int retries = before.cdcRetries() == null ? 0 : before.cdcRetries();
        if (isTrouble(e)) {
            return after.withCdcRetries(retries + 1, e.error());
        }
        if (e.signal() == WorkerSignal.RESUMED && streamingBefore && before.error() == null) {
            return after.withCdcRetries(retries + 1, "the stream ended without a report (its cdc-worker stopped, died or"
                    + " handed it over) and was started again" + (e.worker() != null ? " on " + e.worker() : ""));
        }
        if (e instanceof WorkerEvent.StreamProgress p && applied(p.appliedLsn()).isAfter(applied(before.appliedLsn()))
                && before.appliedLsn() != null) {
            return after.withCdcRetries(null, null); // it applies again: well
        }
        return after;
    }

    private static Lsn applied(String lsn) {
        return lsn == null ? Lsn.ZERO : Lsn.parse(lsn);
    }
}
