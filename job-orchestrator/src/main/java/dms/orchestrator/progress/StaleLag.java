package dms.orchestrator.progress;

import dms.common.json.Json;
import dms.common.messages.DatabaseProgress;
import dms.common.statemachine.JobState;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.store.StateWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A stream's lag that no cdc-worker has reported for {@code dms.cdc.lag-stale-after} (60 s: twelve
 * lag ticks) reads unknown: its worker died and none took the stream up, or Kafka is away. The
 * job document would otherwise keep showing the last figures, fresh-looking, while nothing is
 * applied. The next lag report brings them back.
 */
@ApplicationScoped
public class StaleLag {

    private static final Logger LOG = Logger.getLogger(StaleLag.class);

    @Inject
    StateWriter writer;
    @Inject
    JobDocuments documents;
    @ConfigProperty(name = "dms.cdc.lag-stale-after", defaultValue = "PT60S")
    Duration staleAfter;

    public static boolean isStale(DatabaseProgress p, Instant now, Duration staleAfter) {
        return (p.lagBytes() != null || p.lagSeconds() != null) && p.updateTime() != null
                && p.updateTime().plus(staleAfter).isBefore(now);
    }

    @Scheduled(every = "${dms.cdc.lag-stale-check-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetStaleLags() {
        List<String> jobs;
        try {
            // A read outside the writers' lock: most of the time no lag is stale.
            jobs = QuarkusTransaction.requiringNew().call(() -> JobDatabaseEntity.<JobDatabaseEntity>list(
                            "jobId in (select j.id from MigrationJobEntity j where j.state <> ?1)", JobState.DELETED).stream()
                    .filter(db -> isStale(JobDocuments.progress(db), Instant.now(), staleAfter))
                    .map(db -> db.jobId).distinct().toList());
        } catch (RuntimeException e) {
            LOG.debugf("Stale lags not looked up: %s", e.getMessage());
            return;
        }
        for (String id : jobs) {
            try {
                writer.write(() -> forget(id));
            } catch (RuntimeException e) {
                LOG.warnf("Stale lag of job %s not cleared (next try later): %s", id, e.getMessage());
            }
        }
    }

    private void forget(String id) {
        MigrationJobEntity job = MigrationJobEntity.findById(id);
        if (job == null || job.state == JobState.DELETED) {
            return;
        }
        boolean changed = false;
        for (JobDatabaseEntity db : JobDatabaseEntity.ofJob(id)) {
            DatabaseProgress p = JobDocuments.progress(db);
            if (isStale(p, Instant.now(), staleAfter)) {
                db.progressJson = Json.write(p.withoutLag());
                changed = true;
            }
        }
        if (changed) {
            LOG.infof("Job %s: no lag reported for %d s, shown as unknown (is a cdc-worker running?)", id, staleAfter.toSeconds());
            documents.publish(job);
        }
    }
}
