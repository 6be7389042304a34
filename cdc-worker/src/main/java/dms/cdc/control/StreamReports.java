package dms.cdc.control;

import dms.cdc.newtables.AddedTable;
import dms.cdc.newtables.NotTakenTable;
import dms.common.kafka.ReportSender;
import dms.common.messages.CdcControl;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

/** What a job database's stream tells the orchestrator, on dms.progress: its signals and its passing troubles. */
@ApplicationScoped
public class StreamReports {

    private static final Logger LOG = Logger.getLogger(StreamReports.class);

    @Inject
    ReportSender reports;
    @Inject
    @Named("workerName")
    String worker;

    /** The header of a report about {@code c}'s database, signed by this worker. */
    public WorkerEvent.Header header(CdcControl c) {
        return WorkerEvent.Header.of(c.jobId(), c.runEpoch(), c.database(), worker);
    }

    public WorkerEvent.Signalled of(CdcControl c, WorkerSignal signal) {
        return new WorkerEvent.Signalled(header(c), signal, null);
    }

    void resumed(CdcControl c) {
        report(c, of(c, WorkerSignal.RESUMED));
    }

    void stopped(CdcControl c) {
        report(c, of(c, WorkerSignal.STOPPED));
    }

    void failed(CdcControl c, Throwable e, int attempts) {
        report(c, of(c, WorkerSignal.FAILED)
                .withError("CDC failed" + (attempts > 0 ? " after " + attempts + " attempts" : "") + ": " + StreamActions.describe(e)));
    }

    /** The database failed for {@code message} (a promote that failed, a slot invalidated on the source). */
    public void failed(CdcControl c, String message) {
        report(c, of(c, WorkerSignal.FAILED).withError(message));
    }

    /** A passing trouble (the stream starts again): shown in the database's progress, the job does not move. */
    void trouble(CdcControl c, Throwable e) {
        report(c, new WorkerEvent.StreamTrouble(header(c), "CDC interrupted, starting again: " + StreamActions.describe(e)));
    }

    /** A table created on the source during CDC is on the destination and in the stream: an event of the job. */
    void tableAdded(CdcControl c, AddedTable t) {
        report(c, new WorkerEvent.NewTable(header(c), new WorkerEvent.TableAdded(t.table().toString(),
                t.created(), t.rows(), t.bytes(), t.syncLsn().toString(), t.copiedAt() - t.foundAt())));
    }

    /** A table created on the source during CDC that cannot be replicated: an event of the job, naming it and why. */
    void tableNotTaken(CdcControl c, NotTakenTable t) {
        report(c, new WorkerEvent.NewTableNotTaken(header(c),
                new WorkerEvent.TableNotTaken(t.table().toString(), t.reason())));
    }

    /** A signal is sent until the broker has it (the job waits for it); a plain report once (the next one replaces it). */
    public void report(CdcControl c, WorkerEvent event) {
        try {
            if (event.signal() != null) {
                reports.deliver(event);
            } else {
                reports.send(event);
            }
        } catch (RuntimeException e) {
            LOG.errorf("Could not report %s of %s/%s: %s", event.signal(), c.jobId(), c.database(), e.getMessage());
        }
    }
}
