package dms.orchestrator.commands;

import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.dump.FullDump;
import dms.orchestrator.fanout.JobTransitions;
import dms.orchestrator.fanout.WorkFanout;
import dms.orchestrator.progress.DatabaseAgreement;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Databases added to or removed from a running job. An added one is prepared and dumped like
 * any other, then follows the source; while it is dumped the job's phase is FULL_DUMP again
 * (the job's phase is its least advanced database's), the others keep streaming. A removed one
 * stops streaming, its slot and publication are dropped on the source, and what was copied
 * stays on the destination.
 */
@ApplicationScoped
public class LiveDatabaseEdits {

    @Inject
    WorkFanout fanout;
    @Inject
    FullDump fullDump;
    @Inject
    JobTransitions transitions;
    @Inject
    JobDocuments documents;

    /**
     * Brings the job's databases to {@code wanted}; {@code onSource} (null if unknown) are the
     * source's databases, against which added names are checked. Returns what changed, for the job's event.
     */
    public List<String> apply(MigrationJobEntity job, List<String> wanted, List<String> onSource, String commandId) {
        if (wanted.isEmpty()) {
            throw CommandRejected.invalid("patch.databases: a running job migrates at least one database (delete the job instead)");
        }
        List<JobDatabaseEntity> current = JobDatabaseEntity.ofJob(job.id);
        Set<String> have = current.stream().map(db -> db.name).collect(Collectors.toSet());
        List<String> added = wanted.stream().distinct().filter(name -> !have.contains(name)).toList();
        List<JobDatabaseEntity> removed = current.stream().filter(db -> !wanted.contains(db.name)).toList();
        if (onSource != null) {
            List<String> unknown = added.stream().filter(name -> !onSource.contains(name)).toList();
            if (!unknown.isEmpty()) {
                throw CommandRejected.invalid("patch.databases: the source has no database " + String.join(", ", unknown));
            }
        }
        for (JobDatabaseEntity db : removed) {
            fanout.remove(job, db);
            fullDump.forget(job, db);
            db.delete();
        }
        if (!added.isEmpty() && job.phase == JobPhase.CDC) {
            transitions.move(job, JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP), commandId,
                    "database " + String.join(", ", added) + " added: dumped, then it joins CDC", false);
        }
        List<JobDatabaseEntity> fresh = new ArrayList<>();
        for (String name : added) {
            fresh.add(JobDatabaseEntity.createFor(job.id, name));
        }
        JobDatabaseEntity.getEntityManager().flush();
        if (!fresh.isEmpty()) {
            // Workers prepare a database of a running job only if its document lists it: the document goes first.
            documents.publish(job);
            fresh.forEach(db -> fanout.prepare(job, db));
        }
        if (!removed.isEmpty()) {
            // The database the job waited for may be the one removed.
            DatabaseAgreement.agreedMove(job, JobDatabaseEntity.ofJob(job.id)).ifPresent(to -> transitions.move(job, to, commandId,
                    "the databases left agree after a removal", false));
        }
        List<String> changes = new ArrayList<>();
        if (!added.isEmpty()) {
            changes.add("added " + added);
        }
        if (!removed.isEmpty()) {
            changes.add("removed " + removed.stream().map(db -> db.name).toList());
        }
        return changes;
    }
}
