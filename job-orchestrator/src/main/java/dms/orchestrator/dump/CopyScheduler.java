package dms.orchestrator.dump;

import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.CopyRange;
import dms.common.messages.CopyUnit;
import dms.common.messages.DumpTask;
import dms.common.messages.TableName;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobStateMachine;
import dms.orchestrator.metrics.TaskMetrics;
import dms.orchestrator.outbox.Outbox;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hands out a job's copy units as dump tasks, at most N in flight per job (N from its
 * dumpParallelism, read at every dispatch, so an edit applies live), biggest units first.
 * Units move QUEUED → COPYING → COPIED; a unit that failed with a retryable error is queued
 * again, due after a backoff ({@link CopyRetryPolicy}: its {@code notBefore}), until its
 * attempts run out; a cancelled one (stop) goes back to QUEUED at once. Dispatch skips units not
 * due yet; {@link CopyRetryTimer} dispatches them when they are. A unit is dispatched with the
 * database's current snapshot; a report under an older one is stale.
 */
@ApplicationScoped
public class CopyScheduler {

    @Inject
    TaskMetrics metrics;
    @Inject
    CopyRetrySettings retries;
    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    DumpParallelismSettings parallelism;

    /** What a unit's report means for its database. */
    public enum Outcome { IGNORED, PROGRESS, DATABASE_COPIED, RETRY_SCHEDULED, FAILED_FOR_GOOD, SNAPSHOT_LOST }

    /**
     * A report's outcome; for a failed attempt also which attempt it was ({@code attempt} of
     * {@code maxAttempts}), the decision taken (the wait before the next one, or giving up) and
     * the range of the table the unit copies (null for a whole table).
     */
    public record Recorded(Outcome outcome, int attempt, int maxAttempts, CopyRetryPolicy.Decision decision, CopyRange range) {
        static Recorded of(Outcome outcome) {
            return new Recorded(outcome, 0, 0, null, null);
        }
    }

    /** Replaces the database's units with the plan its preparing worker reported. */
    public void plan(MigrationJobEntity job, JobDatabaseEntity db, String snapshotName, List<CopyUnit> units) {
        CopyUnitEntity.delete("jobId = ?1 and database = ?2", job.id, db.name);
        Instant now = Instant.now();
        for (CopyUnit u : units) {
            CopyUnitEntity row = new CopyUnitEntity();
            row.jobId = job.id;
            row.database = db.name;
            row.unitNo = u.unitNo();
            row.schemaName = u.schema();
            row.tableName = u.table();
            row.unitJson = Json.write(u);
            row.estimatedBytes = u.estimatedBytes();
            row.estimatedRows = u.estimatedRows();
            row.state = CopyUnitEntity.State.QUEUED;
            row.runEpoch = job.runEpoch;
            row.updateTime = now;
            row.persist();
        }
        db.snapshotName = snapshotName;
        CopyUnitEntity.getEntityManager().flush();
    }

    /** Whether the database has a plan (its dump got as far as DUMP_STARTED). */
    public boolean planned(MigrationJobEntity job, JobDatabaseEntity db) {
        return CopyUnitEntity.count("jobId = ?1 and database = ?2", job.id, db.name) > 0;
    }

    /**
     * Before a new snapshot: the copied units stay (carried into the job's current run), every
     * other one waits in the queue, and the tables they belong to are returned: those are copied
     * again, whole, under the new snapshot (so each table has one sync LSN).
     */
    public List<TableName> requeueUnfinished(MigrationJobEntity job, JobDatabaseEntity db) {
        List<CopyUnitEntity> units = CopyUnitEntity.list("jobId = ?1 and database = ?2", job.id, db.name);
        Set<TableName> recopy = new LinkedHashSet<>();
        units.stream().filter(u -> u.state != CopyUnitEntity.State.COPIED)
                .forEach(u -> recopy.add(new TableName(u.schemaName, u.tableName)));
        Instant now = Instant.now();
        for (CopyUnitEntity u : units) {
            u.runEpoch = job.runEpoch;
            if (recopy.contains(new TableName(u.schemaName, u.tableName))) {
                // A new snapshot (resume, or the holder died): a fresh start, no backoff of earlier failures.
                u.state = CopyUnitEntity.State.QUEUED;
                u.attempts = 0;
                u.notBefore = null;
                u.error = null;
                u.rowsCopied = null;
                u.bytesCopied = null;
                u.millis = null;
                u.snapshotName = null;
                u.syncLsn = null;
                u.updateTime = now;
            }
        }
        CopyUnitEntity.getEntityManager().flush();
        return List.copyOf(recopy);
    }

    public boolean allCopied(MigrationJobEntity job, JobDatabaseEntity db) {
        return CopyUnitEntity.count("jobId = ?1 and database = ?2 and state <> ?3", job.id, db.name, CopyUnitEntity.State.COPIED) == 0;
    }

    /**
     * Sends queued units that are due (not waiting out a backoff) until the job has N copies in
     * flight. Only a copying job gets any. Returns how many were sent.
     */
    public int dispatch(MigrationJobEntity job) {
        if (!JobStateMachine.copiesWanted(job.status())) {
            return 0;
        }
        int free = freeSlots(job);
        if (free <= 0) {
            return 0;
        }
        Instant now = Instant.now();
        List<CopyUnitEntity> next = CopyUnitEntity.<CopyUnitEntity>find(
                        "jobId = ?1 and state = ?2 and runEpoch = ?3 and (notBefore is null or notBefore <= ?4)"
                                + " order by estimatedBytes desc, database, unitNo",
                        job.id, CopyUnitEntity.State.QUEUED, job.runEpoch, now)
                .page(0, free).list();
        if (next.isEmpty()) {
            return 0;
        }
        int sent = 0;
        var source = ConnectionProfileEntity.forWorkers(job.sourceProfile);
        var destination = ConnectionProfileEntity.forWorkers(job.destinationProfile);
        for (CopyUnitEntity unit : next) {
            JobDatabaseEntity db = JobDatabaseEntity.find("jobId = ?1 and name = ?2", job.id, unit.database).firstResult();
            if (db == null || db.snapshotName == null) {
                continue;
            }
            unit.state = CopyUnitEntity.State.COPYING;
            unit.attempts++;
            unit.notBefore = null;
            unit.updateTime = now;
            unit.snapshotName = db.snapshotName;
            unit.syncLsn = db.syncLsn;
            DumpTask task = DumpTask.copy(job.id, job.runEpoch, unit.database, source, destination, db.snapshotName,
                    db.syncLsn, toMessage(unit));
            outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
            sent++;
        }
        return sent;
    }

    /** Copies the job may still start now (its dumpParallelism less those in flight). */
    public int freeSlots(MigrationJobEntity job) {
        return parallelism.copiesInFlight(job.dumpParallelism) - (int) inFlight(job);
    }

    /**
     * The jobs that have a unit of their current run waiting out a backoff that is over at
     * {@code now}: candidates for a dispatch (the caller checks the job still wants copies).
     */
    public List<String> jobsWithDueRetries(Instant now) {
        return CopyUnitEntity.getEntityManager().createQuery("""
                        select distinct u.jobId from CopyUnitEntity u, MigrationJobEntity j
                        where j.id = u.jobId and u.runEpoch = j.runEpoch and u.state = ?1 and u.notBefore <= ?2""", String.class)
                .setParameter(1, CopyUnitEntity.State.QUEUED)
                .setParameter(2, now)
                .getResultList();
    }

    /** Records a unit's outcome; late or repeated reports (the unit is not COPYING) change nothing. */
    public Recorded record(MigrationJobEntity job, String database, WorkerEvent.UnitReport report) {
        Optional<CopyUnitEntity> found = CopyUnitEntity.find("jobId = ?1 and database = ?2 and unitNo = ?3",
                job.id, database, report.unitNo()).firstResultOptional();
        if (found.isEmpty() || found.get().state != CopyUnitEntity.State.COPYING || found.get().runEpoch != job.runEpoch
                || (report.snapshotName() != null && !report.snapshotName().equals(found.get().snapshotName))) {
            return Recorded.of(Outcome.IGNORED);
        }
        CopyUnitEntity unit = found.get();
        Instant now = Instant.now();
        unit.updateTime = now;
        switch (report.state()) {
            case COPIED -> {
                unit.state = CopyUnitEntity.State.COPIED;
                unit.rowsCopied = report.rows();
                unit.bytesCopied = report.bytes();
                unit.millis = report.millis();
                unit.error = null;
            }
            case CANCELLED -> unit.state = CopyUnitEntity.State.QUEUED;
            case SNAPSHOT_LOST -> {
                unit.state = CopyUnitEntity.State.QUEUED;
                unit.error = report.error();
                CopyUnitEntity.getEntityManager().flush();
                return Recorded.of(Outcome.SNAPSHOT_LOST);
            }
            case FAILED -> {
                CopyRetryPolicy policy = retries.policy();
                CopyRetryPolicy.Decision decision = failed(unit, report, policy, now);
                metrics.failed(job.id, TaskMetrics.COPY);
                if (decision instanceof CopyRetryPolicy.RetryAfter) {
                    metrics.retried(job.id, TaskMetrics.COPY);
                }
                CopyUnitEntity.getEntityManager().flush();
                CopyRange range = toMessage(unit).range();
                return new Recorded(decision instanceof CopyRetryPolicy.GiveUp ? Outcome.FAILED_FOR_GOOD : Outcome.RETRY_SCHEDULED,
                        unit.attempts, policy.maxAttempts(), decision, range == null || range.isWhole() ? null : range);
            }
        }
        CopyUnitEntity.getEntityManager().flush();
        boolean allCopied = CopyUnitEntity.count("jobId = ?1 and database = ?2 and state <> ?3",
                job.id, database, CopyUnitEntity.State.COPIED) == 0;
        return Recorded.of(allCopied && report.state() == WorkerEvent.UnitState.COPIED ? Outcome.DATABASE_COPIED : Outcome.PROGRESS);
    }

    /**
     * A failed attempt of {@code unit} (its {@code attempts} counts the one that failed): queued
     * again, due after the policy's backoff, or FAILED for good. Keeps the error for the job document.
     */
    static CopyRetryPolicy.Decision failed(CopyUnitEntity unit, WorkerEvent.UnitReport report, CopyRetryPolicy policy, Instant now) {
        CopyRetryPolicy.Decision decision = policy.afterFailure(unit.attempts, report.retryable());
        unit.error = report.error();
        if (decision instanceof CopyRetryPolicy.RetryAfter retry) {
            unit.state = CopyUnitEntity.State.QUEUED;
            unit.notBefore = now.plus(retry.delay());
        } else {
            unit.state = CopyUnitEntity.State.FAILED;
            unit.notBefore = null;
        }
        return decision;
    }

    /** Drops the database's units: it is no longer part of the job. */
    public void forget(MigrationJobEntity job, JobDatabaseEntity db) {
        CopyUnitEntity.delete("jobId = ?1 and database = ?2", job.id, db.name);
    }

    public long inFlight(MigrationJobEntity job) {
        return CopyUnitEntity.count("jobId = ?1 and state = ?2", job.id, CopyUnitEntity.State.COPYING);
    }

    static CopyUnit toMessage(CopyUnitEntity u) {
        try {
            return Json.read(u.unitJson, CopyUnit.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("damaged range of " + u.jobId + "/" + u.database + "#" + u.unitNo, e);
        }
    }

}
