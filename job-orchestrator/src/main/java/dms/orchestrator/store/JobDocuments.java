package dms.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.DataVerification;
import dms.common.messages.DatabaseProgress;
import dms.common.messages.ErrorInfo;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobStateMachine;
import dms.orchestrator.dump.DumpProgress;
import dms.orchestrator.lifecycle.DumpControls;
import dms.orchestrator.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/**
 * Builds the job document and publishes each new version of it on dms.job-state, with what the dump-workers may do
 * in that version on dms.dump-control ({@link DumpControls}).
 */
@ApplicationScoped
public class JobDocuments {

    @Inject
    Outbox outbox;

    @Inject
    Topics topics;

    /** Marks the job changed: a new document version, sent after commit. Call once per change. */
    public MigrationJob publish(MigrationJobEntity job) {
        job.docVersion++;
        job.updateTime = Instant.now();
        MigrationJob doc = toDocument(job, JobDatabaseEntity.ofJob(job.id));
        outbox.add(topics.jobState(), job.id, doc);
        outbox.add(topics.dumpControl(), job.id, DumpControls.of(doc));
        return doc;
    }

    public static MigrationJob toDocument(MigrationJobEntity job, List<JobDatabaseEntity> databases) {
        ErrorInfo error = job.errorCode == null ? null : ErrorInfo.of(job.errorCode, job.errorMessage);
        return JobDocumentSize.fit(new MigrationJob(job.id, job.displayName, job.state, job.phase, job.sourceProfile, job.destinationProfile,
                job.requestedDatabases, job.dumpParallelism,
                databases.stream().map(db -> DumpProgress.of(progress(db), db, job.runEpoch)).toList(),
                List.copyOf(JobStateMachine.allowedActions(job.status())), error, job.runEpoch, job.docVersion, job.createTime, job.updateTime,
                verification(job), job.roles, job.replicaIdentityFull ? Boolean.TRUE : null, job.cdcParallelism));
    }

    public static DataVerification verification(MigrationJobEntity job) {
        try {
            return job.verificationJson == null ? null : Json.read(job.verificationJson, DataVerification.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged verification of " + job.id, e);
        }
    }

    public static DatabaseProgress progress(JobDatabaseEntity db) {
        try {
            return Json.read(db.progressJson, DatabaseProgress.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged progress of " + db.jobId + "/" + db.name, e);
        }
    }
}
