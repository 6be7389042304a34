package dms.orchestrator.lifecycle;

import dms.common.json.Json;
import dms.orchestrator.dump.CopyUnitEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a job's snapshot from the control database and writes a decided one back: job, databases, copy units. */
@ApplicationScoped
public class SnapshotStore {

    /** A snapshot and the rows it was read from, which saving updates. */
    public record Loaded(JobSnapshot snapshot, MigrationJobEntity job, Map<String, JobDatabaseEntity> databases,
                         Map<String, CopyUnitEntity> units) {}

    public Loaded load(MigrationJobEntity job) {
        Map<String, JobDatabaseEntity> databases = new LinkedHashMap<>();
        JobDatabaseEntity.ofJob(job.id).forEach(db -> databases.put(db.name, db));
        Map<String, CopyUnitEntity> units = new LinkedHashMap<>();
        CopyUnitEntity.<CopyUnitEntity>list("jobId", job.id).forEach(u -> units.put(key(u.database, u.unitNo), u));
        JobSnapshot snapshot = new JobSnapshot(job.id, job.status(), job.runEpoch, job.errorCode, job.errorMessage, job.promoteDeadline,
                job.displayName, job.requestedDatabases, job.dumpParallelism,
                databases.values().stream().map(SnapshotStore::toSnapshot).toList(),
                units.values().stream().map(SnapshotStore::toSnapshot).toList());
        snapshot.roles = job.roles;
        snapshot.replicaIdentityFull = job.replicaIdentityFull;
        snapshot.cdcParallelism = job.cdcParallelism;
        return new Loaded(snapshot, job, databases, units);
    }

    public void save(Loaded loaded, JobSnapshot after) {
        MigrationJobEntity job = loaded.job();
        job.setStatus(after.status);
        job.runEpoch = after.runEpoch;
        job.errorCode = after.errorCode;
        job.errorMessage = after.errorMessage;
        job.promoteDeadline = after.promoteDeadline;
        job.displayName = after.displayName;
        job.requestedDatabases = after.requestedDatabases;
        job.dumpParallelism = after.dumpParallelism;
        job.roles = after.roles;
        job.replicaIdentityFull = after.replicaIdentityFull;
        job.cdcParallelism = after.cdcParallelism;
        boolean rowsAddedOrRemoved = false;
        Map<String, JobDatabaseEntity> databases = new LinkedHashMap<>(loaded.databases());
        for (DatabaseSnapshot db : after.databases) {
            JobDatabaseEntity row = databases.remove(db.name);
            if (row == null) {
                row = JobDatabaseEntity.createFor(job.id, db.name);
                rowsAddedOrRemoved = true;
            }
            row.progressJson = Json.write(db.progress);
            row.lastSignal = db.lastSignal;
            row.signalEpoch = db.signalEpoch;
            row.snapshotName = db.snapshotName;
            row.syncLsn = db.syncLsn;
            row.snapshotsLost = db.snapshotsLost;
            row.tablesWithoutIdentity = db.tablesWithoutIdentity;
            row.taskAttempt = db.taskAttempt;
            row.taskKind = db.task == null ? null : db.task.kind();
            row.taskLeaseUntil = db.task == null ? null : db.task.until();
            row.taskPurge = db.task == null ? null : db.task.purge();
        }
        databases.values().forEach(JobDatabaseEntity::delete);
        rowsAddedOrRemoved |= !databases.isEmpty();
        Map<String, CopyUnitEntity> units = new LinkedHashMap<>(loaded.units());
        for (UnitSnapshot u : after.units) {
            CopyUnitEntity row = units.remove(key(u.database, u.unitNo));
            boolean planned = row == null;
            if (planned) {
                row = new CopyUnitEntity();
                row.jobId = job.id;
                row.database = u.database;
                row.unitNo = u.unitNo;
            }
            // A unit planned again under the same number is another unit: all of it is written.
            row.schemaName = u.schemaName;
            row.tableName = u.tableName;
            row.unitJson = u.unitJson;
            row.estimatedBytes = u.estimatedBytes;
            row.estimatedRows = u.estimatedRows;
            row.estimatedBuildBytes = u.estimatedBuildBytes;
            row.state = u.state;
            row.runEpoch = u.runEpoch;
            row.attempts = u.attempts;
            row.rowsCopied = u.rowsCopied;
            row.bytesCopied = u.bytesCopied;
            row.millis = u.millis;
            row.error = u.error;
            row.snapshotName = u.snapshotName;
            row.syncLsn = u.syncLsn;
            row.notBefore = u.notBefore;
            row.leaseUntil = u.leaseUntil;
            row.updateTime = u.updateTime;
            row.bundleOf = u.bundleOf;
            if (planned) {
                row.persist();
                rowsAddedOrRemoved = true;
            }
        }
        units.values().forEach(CopyUnitEntity::delete);
        if (rowsAddedOrRemoved || !units.isEmpty()) {
            // A batch of commands runs without flushing before queries (JobCommands): the document read next must
            // see rows added or removed. Not every time: each flush dirty-checks the whole batch so far.
            JobDatabaseEntity.getEntityManager().flush();
        }
    }

    private static DatabaseSnapshot toSnapshot(JobDatabaseEntity db) {
        return new DatabaseSnapshot(db.name, JobDocuments.progress(db), db.lastSignal, db.signalEpoch, db.snapshotName, db.syncLsn,
                db.snapshotsLost, db.tablesWithoutIdentity)
                .withTask(db.taskAttempt, db.taskKind == null ? null : new TaskLeases.Pending(db.taskKind, db.taskLeaseUntil, db.taskPurge));
    }

    private static UnitSnapshot toSnapshot(CopyUnitEntity u) {
        return new UnitSnapshot(u.database, u.unitNo, u.schemaName, u.tableName, u.unitJson, u.estimatedBytes, u.estimatedRows,
                u.estimatedBuildBytes, u.state, u.runEpoch, u.attempts, u.rowsCopied, u.bytesCopied, u.millis, u.error, u.snapshotName,
                u.syncLsn, u.notBefore, u.updateTime).leasedUntil(u.leaseUntil).inBundle(u.bundleOf);
    }

    private static String key(String database, int unitNo) {
        return database + "#" + unitNo;
    }
}
