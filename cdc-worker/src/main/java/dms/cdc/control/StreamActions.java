package dms.cdc.control;

import dms.cdc.CdcStream;
import dms.cdc.CdcStreamSpec;
import dms.cdc.apply.SchemaDriftException;
import dms.cdc.apply.TableRef;
import dms.cdc.drain.DrainDeadline;
import dms.cdc.drain.DrainOverdue;
import dms.common.pg.PgConnector;
import dms.common.kafka.ReportSender;
import dms.common.messages.CdcControl;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.WorkerEvent;
import dms.common.pg.ReplicationSlots;
import dms.common.pg.SequenceSync;
import dms.common.pg.SlotHealth;
import dms.common.pg.internal.CopiedUnits;
import dms.common.sql.Lsn;
import dms.common.statemachine.WorkerSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What a CDC stream does against the servers and Kafka: start one (with the sync LSNs the dump
 * recorded on the destination), finish a promote (drain, sequences, slot and publication
 * dropped), and report each outcome on dms.progress.
 */
@ApplicationScoped
public class StreamActions {

    private static final Logger LOG = Logger.getLogger(StreamActions.class);
    /** FAILED/PROMOTE_IN_PROGRESS allows resume (the stream goes on from what it applied) and promote. */
    static final String PROMOTE_WAY_OUT = "; the slot is kept: resume the job, then promote again";

    @Inject
    PgConnector connector;
    @Inject
    ReportSender reports;
    @Inject
    @Named("workerName")
    String worker;
    /** For a DRAIN without a deadline (from an orchestrator before dms.promote.drain-timeout). */
    @ConfigProperty(name = "dms.cdc.drain-timeout", defaultValue = "PT5M")
    Duration drainTimeout;
    @ConfigProperty(name = "dms.cdc.max-retries", defaultValue = "20")
    int maxRetries;

    int maxRetries() {
        return maxRetries;
    }

    CdcStream start(CdcControl c) throws SQLException {
        try {
            slotUsable(c);
        } catch (SQLException e) {
            throw onServer("source", c.source(), c, e);
        }
        try {
            Map<TableRef, Lsn> syncLsns = syncLsns(c);
            CdcStreamSpec spec = new CdcStreamSpec(c.jobId(), c.database(), c.slotName(), c.publicationName(), c.source(),
                    c.destination(), syncLsns, null);
            return CdcStream.start(spec, connector);
        } catch (SQLException e) {
            throw onServer("destination", c.destination(), c, e);
        }
    }

    /** The driver's message ("The connection attempt failed.") does not say which server: the job's error must. */
    private static SQLException onServer(String side, ConnectionProfile server, CdcControl c, SQLException e) {
        return new SQLException("the " + side + " " + server.host() + ":" + server.port() + " (database " + c.database() + "): "
                + e.getMessage() + (e.getSQLState() != null ? " (SQLSTATE " + e.getSQLState() + ")" : ""), e.getSQLState(), e);
    }

    /** When the drain of {@code c}, received now, gives up. */
    DrainDeadline drainDeadline(CdcControl c) {
        return DrainDeadline.of(c, Instant.now(), drainTimeout);
    }

    /**
     * Promote of one database: apply up to the source's current position, set the destination's
     * sequences to the source's, drop the slot and publication, report PROMOTED. A drain given up at
     * its deadline ({@link CdcStream#giveUpDrain}) or that fails reports FAILED with the reason and
     * the way out; the slot is kept, so nothing is lost.
     */
    CompletableFuture<Void> drain(CdcStream stream, CdcControl c) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            stream.drain().whenComplete((result, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.FAILED, worker)
                            .withError("promote failed: " + describe(cause) + PROMOTE_WAY_OUT));
                    done.completeExceptionally(cause);
                    return;
                }
                try {
                    finishPromote(c);
                    LOG.infof("Promoted %s/%s: applied up to %s (source at %s when the promote began)", c.jobId(), c.database(),
                            result.appliedLsn(), result.targetLsn());
                    done.complete(null);
                } catch (Exception ex) {
                    report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.FAILED, worker)
                            .withError("promote failed after the drain: " + describe(ex)));
                    done.completeExceptionally(ex);
                }
            });
        } catch (SQLException | RuntimeException e) {
            report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.FAILED, worker)
                    .withError("promote failed: " + describe(e) + PROMOTE_WAY_OUT));
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The drain's deadline passed before the stream ran (see {@link DrainOverdue#notStreaming}). */
    void reportDrainOverdue(CdcControl c, DrainOverdue overdue) {
        LOG.errorf("Promote of %s/%s given up: %s", c.jobId(), c.database(), overdue.getMessage());
        report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.FAILED, worker)
                .withError("promote failed: " + overdue.getMessage() + PROMOTE_WAY_OUT));
    }

    private void finishPromote(CdcControl c) throws SQLException {
        int sequences;
        try (Connection source = connector.open(c.source(), c.database());
             Connection destination = connector.open(c.destination(), c.database())) {
            sequences = SequenceSync.sync(source, destination);
        }
        ReplicationSlots.dropSlotAndPublication(connector, c.source(), c.database(), c.slotName(), c.publicationName());
        LOG.infof("Promote of %s/%s: %d sequences set, slot %s and publication %s dropped", c.jobId(), c.database(), sequences,
                c.slotName(), c.publicationName());
        report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.PROMOTED, worker));
    }

    void reportResumed(CdcControl c) {
        report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.RESUMED, worker));
    }

    void reportStopped(CdcControl c) {
        report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.STOPPED, worker));
    }

    void reportFailed(CdcControl c, Throwable e, int attempts) {
        report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.FAILED, worker)
                .withError("CDC failed" + (attempts > 0 ? " after " + attempts + " attempts" : "") + ": " + describe(e)));
    }

    /** The database's slot was invalidated on the source: the message says why and what to do. */
    void reportSlotInvalidated(CdcControl c, String message) {
        report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), WorkerSignal.FAILED, worker).withError(message));
    }

    /** A passing trouble (the stream starts again): shown in the database's progress, the job does not move. */
    void reportTrouble(CdcControl c, Throwable e) {
        report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), null, worker)
                .withError("CDC interrupted, starting again: " + describe(e)));
    }

    /** A signal is sent until the broker has it (the job waits for it); a plain report once (the next one replaces it). */
    void report(CdcControl c, WorkerEvent event) {
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

    /**
     * A stream cannot start on a slot that is gone or invalidated, and no retry mends it. Debezium would
     * create a missing slot at the source's current position: the changes since the old one was dropped
     * would be lost without a word (and a removed database would get a slot again); an invalidated slot
     * would be tried again for as long as the retries last.
     */
    private void slotUsable(CdcControl c) throws SQLException {
        try (Connection source = connector.open(c.source(), c.database())) {
            Optional<SlotHealth> slot = SlotHealth.probe(source, c.slotName());
            if (slot.isEmpty()) {
                throw new SlotUnusableException("replication slot " + c.slotName() + " does not exist on source database "
                        + c.database() + " (dropped outside the job?): the changes it kept are lost; restart the database"
                        + " (:restart with {\"databases\": [\"" + c.database() + "\"]}) to copy it again under a new slot");
            }
            if (slot.get().invalidated()) {
                throw new SlotUnusableException(slot.get().invalidationMessage(c.database()));
            }
        }
    }

    /** The job's slot is gone or invalidated: streaming cannot go on without losing changes. */
    static final class SlotUnusableException extends RuntimeException {
        SlotUnusableException(String message) {
            super(message);
        }
    }

    /** Schema drift, a missing slot and a lost one cannot be retried away: the user must act. */
    static boolean isPermanent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaDriftException || t instanceof SlotUnusableException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaDriftException) {
                return t.getMessage();
            }
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Per table, the sync LSN the dump recorded ({@link CopiedUnits}); empty before any copy. */
    private Map<TableRef, Lsn> syncLsns(CdcControl c) throws SQLException {
        Map<TableRef, Lsn> out = new HashMap<>();
        try (Connection destination = connector.open(c.destination(), c.database())) {
            CopiedUnits.syncLsns(destination, c.jobId()).forEach((t, lsn) -> out.put(new TableRef(t.schema(), t.table()), lsn));
        }
        return out;
    }
}
