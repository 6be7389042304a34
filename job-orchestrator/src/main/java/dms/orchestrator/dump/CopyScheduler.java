package dms.orchestrator.dump;

import dms.common.json.Json;
import dms.common.kafka.Topics;
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
 * Units move QUEUED → COPYING → COPIED; a failed unit is queued again up to
 * {@link #MAX_ATTEMPTS} times, and a cancelled one (stop) goes back to QUEUED. A unit is
 * dispatched with the database's current snapshot; a report under an older one is stale.
 */
@ApplicationScoped
public class CopyScheduler {

    @Inject
    TaskMetrics metrics;

    public static final int MAX_ATTEMPTS = 3;

    @Inject
    Outbox outbox;
    @Inject
    Topics topics;
    @Inject
    DumpParallelismSettings parallelism;

    /** What a unit's report means for its database. */
    public enum Outcome { IGNORED, PROGRESS, DATABASE_COPIED, FAILED_FOR_GOOD, SNAPSHOT_LOST }

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
                u.state = CopyUnitEntity.State.QUEUED;
                u.attempts = 0;
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

    /** Sends queued units until the job has N copies in flight. Only a copying job gets any. */
    public void dispatch(MigrationJobEntity job) {
        if (!JobStateMachine.copiesWanted(job.status())) {
            return;
        }
        long inFlight = CopyUnitEntity.count("jobId = ?1 and state = ?2", job.id, CopyUnitEntity.State.COPYING);
        int free = parallelism.copiesInFlight(job.dumpParallelism) - (int) inFlight;
        if (free <= 0) {
            return;
        }
        List<CopyUnitEntity> next = CopyUnitEntity.<CopyUnitEntity>find(
                        "jobId = ?1 and state = ?2 and runEpoch = ?3 order by estimatedBytes desc, database, unitNo",
                        job.id, CopyUnitEntity.State.QUEUED, job.runEpoch)
                .page(0, free).list();
        if (next.isEmpty()) {
            return;
        }
        var source = ConnectionProfileEntity.forWorkers(job.sourceProfile);
        var destination = ConnectionProfileEntity.forWorkers(job.destinationProfile);
        for (CopyUnitEntity unit : next) {
            JobDatabaseEntity db = JobDatabaseEntity.find("jobId = ?1 and name = ?2", job.id, unit.database).firstResult();
            if (db == null || db.snapshotName == null) {
                continue;
            }
            unit.state = CopyUnitEntity.State.COPYING;
            unit.attempts++;
            unit.updateTime = Instant.now();
            unit.snapshotName = db.snapshotName;
            unit.syncLsn = db.syncLsn;
            DumpTask task = DumpTask.copy(job.id, job.runEpoch, unit.database, source, destination, db.snapshotName,
                    db.syncLsn, toMessage(unit));
            outbox.add(topics.dumpTasks(), task.kafkaKey(), task);
        }
    }

    /** Records a unit's outcome; late or repeated reports (the unit is not COPYING) change nothing. */
    public Outcome record(MigrationJobEntity job, String database, WorkerEvent.UnitReport report) {
        Optional<CopyUnitEntity> found = CopyUnitEntity.find("jobId = ?1 and database = ?2 and unitNo = ?3",
                job.id, database, report.unitNo()).firstResultOptional();
        if (found.isEmpty() || found.get().state != CopyUnitEntity.State.COPYING || found.get().runEpoch != job.runEpoch
                || (report.snapshotName() != null && !report.snapshotName().equals(found.get().snapshotName))) {
            return Outcome.IGNORED;
        }
        CopyUnitEntity unit = found.get();
        unit.updateTime = Instant.now();
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
                return Outcome.SNAPSHOT_LOST;
            }
            case FAILED -> {
                unit.error = report.error();
                boolean again = report.retryable() && unit.attempts < MAX_ATTEMPTS;
                metrics.failed(job.id, TaskMetrics.COPY);
                if (again) {
                    metrics.retried(job.id, TaskMetrics.COPY);
                }
                unit.state = again ? CopyUnitEntity.State.QUEUED : CopyUnitEntity.State.FAILED;
                if (!again) {
                    return Outcome.FAILED_FOR_GOOD;
                }
            }
        }
        CopyUnitEntity.getEntityManager().flush();
        boolean allCopied = CopyUnitEntity.count("jobId = ?1 and database = ?2 and state <> ?3",
                job.id, database, CopyUnitEntity.State.COPIED) == 0;
        return allCopied && report.state() == WorkerEvent.UnitState.COPIED ? Outcome.DATABASE_COPIED : Outcome.PROGRESS;
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
