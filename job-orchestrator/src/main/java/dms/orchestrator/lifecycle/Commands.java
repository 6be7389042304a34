package dms.orchestrator.lifecycle;

import dms.common.messages.JobEvent;
import dms.common.messages.JobPatch;
import dms.common.messages.RoleHandling;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.commands.CommandRejected;
import dms.common.messages.DumpTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's command on a job: a state-machine action (the table in {@link JobStateMachine} says
 * which are allowed) or an edit, which on a started job adds or removes databases ({@link DatabaseEdits}).
 */
public final class Commands {

    private static final Set<JobAction> NEW_RUN = Set.of(JobAction.START, JobAction.RESTART, JobAction.RESUME);

    private Commands() {}

    static void act(Change c, Input.Act a) {
        JobSnapshot job = c.job;
        JobStatus to = JobStateMachine.apply(job.status, a.action()).orElseThrow(() -> notAllowed(job, a.action()));
        if (a.action() == JobAction.RESUME) {
            to = DatabaseEdits.resumedPhase(job, to);
        }
        if (NEW_RUN.contains(a.action())) {
            job.runEpoch++;
        }
        Set<String> restartOnly = null;
        if (a.action() == JobAction.RESTART && a.restartDatabases() != null && !a.restartDatabases().isEmpty()) {
            restartOnly = restartSome(c, a.restartDatabases());
        } else if (a.action() == JobAction.START || a.action() == JobAction.RESTART) {
            replaceDatabases(c, a.resolvedDatabases());
        }
        Moves.move(c, to, a.action().verb() + " requested by " + a.requestedBy() + (restartOnly != null ? " for " + restartOnly : ""),
                a.purgeDestination(), restartOnly);
        if (DumpSteps.stopSettled(job)) {
            Moves.move(c, JobStateMachine.onSignal(job.status, WorkerSignal.STOPPED).orElseThrow(), "no copy was in flight");
        }
        c.publish();
    }

    /** The databases of a new run (start, or restart of the whole job): every one from the beginning. */
    private static void replaceDatabases(Change c, List<String> databases) {
        if (databases.isEmpty()) {
            throw CommandRejected.precondition("the source of job " + c.job.id + " has no database to migrate", details(c.job.id, c.job.status));
        }
        c.job.databases.clear();
        databases.forEach(name -> c.job.databases.add(DatabaseSnapshot.fresh(name)));
        c.sortDatabases();
    }

    /**
     * A restart of some databases (as DMS restarts failed ones): those start from the beginning,
     * the others keep their data and go on where they were. Returns the names restarted.
     */
    private static Set<String> restartSome(Change c, List<String> names) {
        JobSnapshot job = c.job;
        if (job.status.phase() != JobPhase.FULL_DUMP && job.status.phase() != JobPhase.CDC) {
            throw CommandRejected.precondition("databases: job " + job.id + " is " + job.status
                    + "; some databases can be restarted only in FULL_DUMP or CDC (restart the whole job instead)", details(job.id, job.status));
        }
        Set<String> restart = new LinkedHashSet<>(names);
        for (String name : restart) {
            DatabaseSnapshot db = job.database(name).orElseThrow(
                    () -> CommandRejected.invalid("databases: job " + job.id + " does not migrate database " + name));
            CopyUnits.forget(job, db);
            DatabaseSnapshot fresh = DatabaseSnapshot.fresh(name);
            fresh.tablesWithoutIdentity = db.tablesWithoutIdentity;
            job.databases.set(job.databases.indexOf(db), fresh);
        }
        return restart;
    }

    /**
     * An edit: its name, its databases (live on a running job, at the next run on a stopped or failed one), its
     * parallelism (read live by the dispatch of copies), its roles and replicaIdentityFull settings, and, before it starts,
     * its cdcParallelism.
     */
    static void edit(Change c, Input.Edit e) {
        JobSnapshot job = c.job;
        if (JobStateMachine.apply(job.status, JobAction.EDIT).isEmpty()) {
            throw notAllowed(job, JobAction.EDIT);
        }
        JobPatch patch = e.patch();
        List<String> changed = new ArrayList<>();
        if (patch.databases() != null && !patch.databases().equals(job.requestedDatabases)) {
            List<String> edited = DatabaseEdits.started(job) ? DatabaseEdits.apply(c, patch.databases(), e.onSource()) : List.of();
            changed.addAll(edited.isEmpty() ? List.of("databases") : edited);
            job.requestedDatabases = List.copyOf(patch.databases());
        }
        if (patch.displayName() != null && !patch.displayName().equals(job.displayName)) {
            job.displayName = patch.displayName();
            changed.add("displayName");
        }
        if (patch.dumpParallelism() != null && patch.dumpParallelism() != job.dumpParallelism) {
            job.dumpParallelism = patch.dumpParallelism();
            changed.add("dumpParallelism");
            CopyUnits.dispatch(c);
        }
        if (patch.roles() != null && patch.roles() != RoleHandling.of(job.roles)) {
            // Read from the job document when a database is prepared and post-data restored: databases
            // already past those steps keep what they did.
            job.roles = patch.roles();
            changed.add("roles");
        }
        if (patch.replicaIdentityFull() != null && patch.replicaIdentityFull() != job.replicaIdentityFull) {
            // Like roles: read when a database is prepared; tables already set FULL stay so.
            job.replicaIdentityFull = patch.replicaIdentityFull();
            changed.add("replicaIdentityFull");
        }
        if (patch.cdcParallelism() != null && patch.cdcParallelism() != job.cdcParallelism) {
            // Groups are made when a database is prepared and live as long as its slots: only a job that has not
            // started takes a new value (a restart prepares again with the one it has).
            JobState state = job.status.state();
            if (state != JobState.NOT_STARTED && state != JobState.DRAFT) {
                throw CommandRejected.precondition("cdcParallelism of job " + job.id + " can change only before it starts"
                        + " (NOT_STARTED or DRAFT); it is " + job.status, details(job.id, job.status));
            }
            job.cdcParallelism = patch.cdcParallelism();
            changed.add("cdcParallelism");
        }
        if (!changed.isEmpty()) {
            c.event(JobEvent.Type.UPDATED, job.status, job.status, null, "changed " + changed);
            c.publish();
        }
    }

    static CommandRejected notAllowed(JobSnapshot job, JobAction action) {
        return notAllowed(job.id, job.status, action);
    }

    public static CommandRejected notAllowed(String jobId, JobStatus status, JobAction action) {
        return CommandRejected.precondition(action.verb() + " is not allowed for job " + jobId + " in status "
                + status + "; allowed: " + JobStateMachine.allowedActions(status).stream().map(JobAction::name).toList(),
                details(jobId, status));
    }

    /** The problem details of a refused command: the job's status and what it allows. */
    public static Map<String, Object> details(String jobId, JobStatus status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("jobId", jobId);
        d.put("state", status.state().name());
        if (status.phase() != null) {
            d.put("phase", status.phase().name());
        }
        d.put("allowedActions", JobStateMachine.allowedActions(status).stream().map(JobAction::name).toList());
        return d;
    }
}
