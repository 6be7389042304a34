package dms.cdc.promote;

import dms.cdc.control.StreamActions;
import dms.cdc.control.StreamReports;
import dms.cdc.stream.GroupedStream;
import dms.common.messages.CdcControl;
import dms.common.messages.RoleHandling;
import dms.common.pg.LargeObjects;
import dms.common.pg.MaterializedViews;
import dms.common.pg.PgConnector;
import dms.common.pg.ReplicationSlots;
import dms.common.pg.SequenceSync;
import dms.common.statemachine.WorkerSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The promote of one job database, in its order: drain (apply up to the source's current
 * position, in every replication group, {@link GroupedStream#drain}), set the destination's sequences to the source's, refresh its
 * materialized views (CDC changed their inputs; those left WITH NO DATA stay empty), drop the
 * slot and publication, report PROMOTED. A drain given up at its deadline ({@link DrainDeadline},
 * {@link GroupedStream#giveUpDrain}) or that fails reports FAILED with the reason and the way out; the
 * slot is kept, so nothing is lost.
 */
@ApplicationScoped
public class Promotion {

    private static final Logger LOG = Logger.getLogger(Promotion.class);
    /** FAILED/PROMOTE_IN_PROGRESS allows resume (the stream goes on from what it applied) and promote. */
    static final String WAY_OUT = "; the slot is kept: resume the job, then promote again";

    @Inject
    PgConnector connector;
    @Inject
    StreamReports reports;
    /** For a DRAIN without a deadline (from an orchestrator before dms.promote.drain-timeout). */
    @ConfigProperty(name = "dms.cdc.drain-timeout", defaultValue = "PT5M")
    Duration drainTimeout;

    /** When the drain of {@code c}, received now, gives up. */
    public DrainDeadline deadline(CdcControl c) {
        return DrainDeadline.of(c, Instant.now(), drainTimeout);
    }

    /** Drains {@code stream}, then finishes the promote; completes when PROMOTED or FAILED is reported. */
    public CompletableFuture<Void> promote(GroupedStream stream, CdcControl c) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            stream.drain().whenComplete((result, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    reports.failed(c, "promote failed: " + StreamActions.describe(cause) + WAY_OUT);
                    done.completeExceptionally(cause);
                    return;
                }
                try {
                    finish(c);
                    LOG.infof("Promoted %s/%s: applied up to %s (source at %s when the promote began)", c.jobId(), c.database(),
                            result.appliedLsn(), result.targetLsn());
                    done.complete(null);
                } catch (Exception ex) {
                    reports.failed(c, "promote failed after the drain: " + StreamActions.describe(ex));
                    done.completeExceptionally(ex);
                }
            });
        } catch (SQLException | RuntimeException e) {
            reports.failed(c, "promote failed: " + StreamActions.describe(e) + WAY_OUT);
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The drain's deadline passed before the stream ran (see {@link DrainOverdue#notStreaming}). */
    public void overdue(CdcControl c, DrainOverdue overdue) {
        LOG.errorf("Promote of %s/%s given up: %s", c.jobId(), c.database(), overdue.getMessage());
        reports.failed(c, "promote failed: " + overdue.getMessage() + WAY_OUT);
    }

    private void finish(CdcControl c) throws SQLException {
        int sequences;
        MaterializedViews.Refreshed views;
        LargeObjects.Synced largeObjects;
        try (Connection source = connector.open(c.source(), c.database());
             Connection destination = connector.open(c.destination(), c.database())) {
            sequences = SequenceSync.sync(source, destination);
            // Logical decoding does not carry large objects: what changed since the dump is copied now.
            largeObjects = LargeObjects.sync(source, destination, RoleHandling.of(c.roles()) != RoleHandling.SKIP);
            views = MaterializedViews.refresh(destination, MaterializedViews.populated(destination));
        }
        // Every replication group's slot and publication: the sequences and the rest above were done once, after all drained.
        ReplicationSlots.dropSlotAndPublication(connector, c.source(), c.database(), c.slotName(), c.publicationName());
        LOG.infof("Promote of %s/%s: %d sequences set, large objects %s, %d materialized views refreshed, slot %s and publication %s"
                + " dropped", c.jobId(), c.database(), sequences, largeObjects, views.filled(), c.slotName(), c.publicationName());
        reports.report(c, reports.of(c, WorkerSignal.PROMOTED));
    }
}
