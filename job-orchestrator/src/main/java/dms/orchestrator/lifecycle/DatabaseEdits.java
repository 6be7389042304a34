package dms.orchestrator.lifecycle;

import dms.common.messages.DumpTask;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.commands.CommandRejected;
import java.util.ArrayList;
import java.util.List;

/**
 * Databases added to or removed from a started job, at any point as DMS allows (docs/state-machine.md,
 * Editing the databases). A removed one stops streaming, its slot and publication are dropped on the
 * source (what was copied stays on the destination), whatever the job's state. An added one, on a
 * running job, is prepared and dumped now, then follows the source; on a stopped or failed job it waits
 * for the job's next run: a resume or a restart prepares it. The job's phase is its least advanced
 * database's: a database added to a job in CDC puts it back in FULL_DUMP (a failed job keeps its phase,
 * so that it can be resumed: the resume goes to FULL_DUMP). An empty list means every database of the
 * source ({@code onSource}): a job switches between a list and "all databases" both ways.
 */
final class DatabaseEdits {

    private DatabaseEdits() {}

    /** Whether the job has databases of its own (a start resolved them): else an edit only changes what it asks for. */
    static boolean started(JobSnapshot job) {
        return job.status.state() != JobState.DRAFT && job.status.state() != JobState.NOT_STARTED;
    }

    /**
     * Brings the job's databases to {@code requested} (empty: those of {@code onSource}). Returns what
     * changed, for the job's event (empty when only the request changed: a list of the databases it already had).
     */
    static List<String> apply(Change c, List<String> requested, List<String> onSource) {
        JobSnapshot job = c.job;
        JobState state = job.status.state();
        if (requested.isEmpty() && onSource == null) {
            throw CommandRejected.invalid("patch.databases: the source's databases could not be listed for \"all databases\"");
        }
        List<String> wanted = requested.isEmpty() ? onSource : requested;
        if (wanted.isEmpty()) {
            throw CommandRejected.invalid("patch.databases: a started job migrates at least one database, and the source has"
                    + " none (delete the job instead)");
        }
        List<String> added = wanted.stream().distinct().filter(name -> job.database(name).isEmpty()).toList();
        List<DatabaseSnapshot> removed = job.databases.stream().filter(db -> !wanted.contains(db.name)).toList();
        if (onSource != null) {
            List<String> unknown = added.stream().filter(name -> !onSource.contains(name)).toList();
            if (!unknown.isEmpty()) {
                throw CommandRejected.invalid("patch.databases: the source has no database " + String.join(", ", unknown));
            }
        }
        for (DatabaseSnapshot db : removed) {
            // Its stream halts (no desired state any more), its slot and publication are dropped; its data stays.
            c.cdcCleared(db);
            c.task(DumpTask.Kind.CLEANUP, db, false);
            CopyUnits.forget(job, db);
            job.databases.remove(db);
        }
        List<DatabaseSnapshot> fresh = added.stream().map(DatabaseSnapshot::fresh).toList();
        if (state == JobState.RUNNING) {
            addLive(c, added, fresh);
        } else {
            job.databases.addAll(fresh);
            c.sortDatabases();
        }
        rephase(c, !removed.isEmpty(), !added.isEmpty());
        List<String> changes = new ArrayList<>();
        if (!added.isEmpty()) {
            changes.add("added " + added + (state == JobState.RUNNING ? "" : " (prepared when the job resumes or restarts)"));
        }
        if (!removed.isEmpty()) {
            changes.add("removed " + removed.stream().map(db -> db.name).toList());
        }
        return changes;
    }

    private static void addLive(Change c, List<String> added, List<DatabaseSnapshot> fresh) {
        JobSnapshot job = c.job;
        if (!added.isEmpty() && job.status.phase() == JobPhase.CDC) {
            Moves.move(c, JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP),
                    "database " + String.join(", ", added) + " added: dumped, then it joins CDC");
        }
        job.databases.addAll(fresh);
        c.sortDatabases();
        if (!fresh.isEmpty()) {
            // Workers prepare a database of a running job only if its document lists it: the document goes first.
            c.publish();
            fresh.forEach(db -> c.task(DumpTask.Kind.PREPARE_DATABASE, db, null));
        }
    }

    /** The job's phase after the edit: its least advanced database's. */
    private static void rephase(Change c, boolean removed, boolean added) {
        JobSnapshot job = c.job;
        JobStatus status = job.status;
        switch (status.state()) {
            case RUNNING -> {
                if (removed) {
                    // The database the job waited for may be the one removed.
                    DatabaseAgreement.agreedMove(job, job.databases).ifPresent(to -> Moves.move(c, to, "the databases left agree after a removal"));
                }
            }
            case STOPPED -> {
                JobPhase phase = job.databases.stream().allMatch(db -> db.phase() == JobPhase.CDC) ? JobPhase.CDC : JobPhase.FULL_DUMP;
                if (phase != status.phase()) {
                    // FULL_DUMP: nothing to promote before the added databases are dumped; CDC: the one still dumping was removed.
                    Moves.move(c, JobStatus.of(JobState.STOPPED, phase), added
                            ? "databases added: dumped when the job resumes" : "the databases left are all dumped");
                }
            }
            case FAILED -> FailedDatabases.rephase(c);
            default -> { }
        }
    }

    /**
     * The status a resume leads to: FULL_DUMP while a database is not dumped yet (one added while the
     * job was stopped or failed is prepared by the resume), else what the state machine says.
     */
    static JobStatus resumedPhase(JobSnapshot job, JobStatus to) {
        boolean undumped = job.databases.stream().anyMatch(db -> db.phase() != JobPhase.CDC);
        return to.phase() != JobPhase.FULL_DUMP && undumped ? JobStatus.of(to.state(), JobPhase.FULL_DUMP) : to;
    }
}
