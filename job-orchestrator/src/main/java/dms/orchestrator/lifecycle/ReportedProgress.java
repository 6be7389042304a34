package dms.orchestrator.lifecycle;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.JobEvent;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.progress.RetainedWalWarning;
import java.time.Instant;

/** A database's progress with a worker's report merged in: its stream's retries counted, retained WAL warned of. */
public final class ReportedProgress {

    private ReportedProgress() {}

    static DatabaseProgress apply(Change c, DatabaseSnapshot db, WorkerEvent e) {
        DatabaseProgress before = db.progress;
        boolean streaming = db.signalledInRun(c.job.runEpoch) && db.lastSignal == WorkerSignal.RESUMED && before.phase() == JobPhase.CDC;
        DatabaseProgress after = CdcRetries.count(before, merge(before, e, c.now), e, streaming);
        RetainedWalWarning.Outcome wal = c.settings.walWarning().check(after);
        wal.warning().ifPresent(text -> c.event(JobEvent.Type.RETAINED_WAL_WARNING, null, null, db.name, text));
        return wal.progress();
    }

    public static DatabaseProgress merge(DatabaseProgress p, WorkerEvent e) {
        return merge(p, e, Instant.now());
    }

    /**
     * Fields of the report override the stored progress; absent fields keep their value, but the lag: a
     * signal or a passing trouble means the stream started, stopped or ended, and its lag is unknown
     * until it is measured again (a figure from before would read as fresh while nothing is applied).
     */
    static DatabaseProgress merge(DatabaseProgress p, WorkerEvent e, Instant now) {
        JobPhase phase = switch (e.signal() == null ? WorkerSignal.RESUMED : e.signal()) {
            case DUMP_STARTED -> JobPhase.FULL_DUMP;
            case DUMP_COMPLETED -> JobPhase.CDC;
            default -> p.phase();
        };
        boolean lagUnknown = e.signal() != null || CdcRetries.isTrouble(e);
        WorkerEvent.DumpStarted started = e instanceof WorkerEvent.DumpStarted d ? d : null;
        // Only a stream's progress report carries figures of the stream; the others keep the stored ones.
        WorkerEvent.StreamProgress stream = e instanceof WorkerEvent.StreamProgress s ? s
                : new WorkerEvent.StreamProgress(e.header(), null, null, null, null, null, null);
        return new DatabaseProgress(p.database(), phase, e.signal() != null ? e.signal() : p.lastSignal(),
                started != null ? or(started.slotName(), p.slotName()) : p.slotName(),
                started != null ? or(started.consistentLsn(), p.consistentLsn()) : p.consistentLsn(),
                p.tablesTotal(), p.tablesCopied(), p.rowsCopied(), p.bytesCopied(),
                lagUnknown ? null : or(stream.lagBytes(), p.lagBytes()),
                lagUnknown ? null : or(stream.lagSeconds(), p.lagSeconds()),
                or(stream.retainedWalBytes(), p.retainedWalBytes()),
                // A signal replaces the error (FAILED's, or none); a plain report may carry a passing trouble.
                e.signal() == WorkerSignal.FAILED ? e.error() : e.signal() != null ? null : or(e.error(), p.error()),
                e.time() != null ? e.time() : now, p.bytesEstimated(), p.percentCopied(), p.etaSeconds(),
                p.tablesWithoutReplicaIdentity(), p.tables(), or(stream.appliedLsn(), p.appliedLsn()),
                or(stream.maxSlotWalKeepSizeBytes(), p.maxSlotWalKeepSizeBytes()), p.retainedWalWarning(), p.cdcRetries(),
                p.lastError(), or(stream.unmatchedChanges(), p.unmatchedChanges()));
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }
}
