package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.DatabaseProgress;
import dms.common.messages.DumpParallelism;
import dms.common.messages.JobEvent;
import dms.common.messages.JobPatch;
import dms.common.messages.JobSpec;
import dms.common.messages.JobSummary;
import dms.common.messages.MigrationJob;
import dms.common.messages.PreflightReport;
import dms.orchestrator.verify.Preflights;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.json.Json;
import dms.orchestrator.dump.FullDump;
import dms.orchestrator.fanout.JobTransitions;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import dms.orchestrator.dump.CopyScheduler;
import dms.common.statemachine.JobPhase;
import java.util.Map;
import java.util.Set;

/** Job commands: create, edit, and the state-machine actions, one job or a batch. */
@ApplicationScoped
public class JobCommands {

    private static final Set<JobAction> NEW_RUN = Set.of(JobAction.START, JobAction.RESTART, JobAction.RESUME);

    @Inject
    JobDocuments documents;
    @Inject
    JobEvents events;
    @Inject
    JobTransitions transitions;
    @Inject
    FullDump fullDump;
    @Inject
    LiveDatabaseEdits liveEdits;
    @Inject
    CopyScheduler copies;
    @Inject
    StartChecks startChecks;

    public MigrationJob create(Command c) {
        JobSpec spec = c.job();
        MigrationJobEntity job = MigrationJobEntity.findById(spec.id());
        if (job != null && job.state != JobState.DELETED) {
            throw CommandRejected.alreadyExists("migration job " + spec.id() + " already exists");
        }
        for (String profile : List.of(spec.source(), spec.destination())) {
            if (ConnectionProfileEntity.findById(profile) == null) {
                throw CommandRejected.invalid((profile.equals(spec.source()) ? "job.source" : "job.destination")
                        + ": connection profile " + profile + " does not exist");
            }
        }
        boolean recreated = job != null;
        if (recreated) {
            // A deleted job's id is reused: keep its document version and event sequence growing.
            JobDatabaseEntity.delete("jobId", job.id);
        } else {
            job = new MigrationJobEntity();
            job.id = spec.id();
            job.createTime = Instant.now();
        }
        job.displayName = spec.displayName() != null ? spec.displayName() : spec.id();
        job.sourceProfile = spec.source();
        job.destinationProfile = spec.destination();
        job.requestedDatabases = spec.databases() == null ? List.of() : List.copyOf(spec.databases());
        job.dumpParallelism = spec.dumpParallelism() != null ? spec.dumpParallelism() : DumpParallelism.OPTIMAL;
        job.setStatus(JobStatus.of(Boolean.TRUE.equals(spec.draft()) ? JobState.DRAFT : JobState.NOT_STARTED));
        job.runEpoch = recreated ? job.runEpoch : 0;
        job.errorCode = null;
        job.errorMessage = null;
        job.updateTime = Instant.now();
        if (recreated) {
            job.createTime = job.updateTime;
        } else {
            job.persist();
        }
        events.record(job, JobEvent.Type.CREATED, null, job.status(), c.commandId(), null, "created by " + c.requestedBy());
        return documents.publish(job);
    }

    /** Edit; {@code sourceDatabases} holds the source's databases for a running job whose databases change. */
    public MigrationJob update(Command c, Map<String, List<String>> sourceDatabases) {
        MigrationJobEntity job = existing(c.jobId());
        allowed(job, JobAction.EDIT);
        JobPatch patch = c.patch();
        List<String> changed = new ArrayList<>();
        if (patch.databases() != null && !patch.databases().equals(job.requestedDatabases)) {
            if (job.state == JobState.RUNNING) {
                changed.addAll(liveEdits.apply(job, patch.databases(), sourceDatabases.get(job.id), c.commandId()));
            } else {
                changed.add("databases");
            }
            job.requestedDatabases = List.copyOf(patch.databases());
        }
        if (patch.displayName() != null && !patch.displayName().equals(job.displayName)) {
            job.displayName = patch.displayName();
            changed.add("displayName");
        }
        if (patch.dumpParallelism() != null && patch.dumpParallelism() != job.dumpParallelism) {
            // Read live by the fan-out of a running dump: no restart needed.
            job.dumpParallelism = patch.dumpParallelism();
            changed.add("dumpParallelism");
            fullDump.dispatch(job);
        }
        if (!changed.isEmpty()) {
            events.record(job, JobEvent.Type.UPDATED, job.status(), job.status(), c.commandId(), null, "changed " + changed);
            return documents.publish(job);
        }
        return JobDocuments.toDocument(job, JobDatabaseEntity.ofJob(job.id));
    }

    /**
     * A state-machine action on one job or, all-or-nothing, on a batch of jobs that share one status.
     * Returns the job document, or for a batch {@code {"migrationJobs": [...]}} naming each job
     * ({@link JobSummary}: its document would make the Operation of a large batch too big for Kafka).
     */
    public Object act(Command c, Map<String, List<String>> resolvedDatabases, Map<String, PreflightReport> preflights) {
        JobAction action = c.type().action();
        List<MigrationJobEntity> jobs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : c.targetJobIds()) {
            MigrationJobEntity job = MigrationJobEntity.findById(id);
            if (job == null || job.state == JobState.DELETED) {
                missing.add(id);
            } else {
                jobs.add(job);
            }
        }
        if (!missing.isEmpty()) {
            throw CommandRejected.notFound((missing.size() == 1 ? "migration job " : "migration jobs ")
                    + String.join(", ", missing) + (missing.size() == 1 ? " does not exist" : " do not exist"));
        }
        if (c.isBatch()) {
            sameStatus(jobs);
        }
        jobs.forEach(job -> allowed(job, action));
        if (Preflights.checks(c)) {
            startChecks.requirePassed(c, jobs, preflights);
        }
        Session session = MigrationJobEntity.getEntityManager().unwrap(Session.class);
        FlushMode flushMode = session.getHibernateFlushMode();
        if (jobs.size() > 1) {
            // Every query would otherwise flush first, dirty-checking every entity of the batch so far:
            // quadratic in the batch size. The queries below read rows this loop does not change, or
            // were flushed explicitly (replaceDatabases, the copy units requeued on resume).
            session.setHibernateFlushMode(FlushMode.COMMIT);
        }
        try {
            return actOnEach(c, action, jobs, resolvedDatabases);
        } finally {
            session.setHibernateFlushMode(flushMode);
        }
    }

    private Object actOnEach(Command c, JobAction action, List<MigrationJobEntity> jobs, Map<String, List<String>> resolvedDatabases) {
        List<MigrationJob> results = new ArrayList<>();
        for (MigrationJobEntity job : jobs) {
            JobStatus to = JobStateMachine.apply(job.status(), action).orElseThrow();
            if (NEW_RUN.contains(action)) {
                job.runEpoch++;
            }
            Set<String> restartOnly = null;
            if (action == JobAction.RESTART && c.databases() != null && !c.databases().isEmpty()) {
                restartOnly = restartSome(job, c.databases());
            } else if (action == JobAction.START || action == JobAction.RESTART) {
                replaceDatabases(job, resolvedDatabases.getOrDefault(job.id, job.requestedDatabases));
            }
            transitions.move(job, to, c.commandId(), action.verb() + " requested by " + c.requestedBy()
                    + (restartOnly != null ? " for " + restartOnly : ""), Boolean.TRUE.equals(c.purgeDestination()), restartOnly);
            if (fullDump.stopSettled(job)) {
                transitions.move(job, JobStateMachine.onSignal(job.status(), WorkerSignal.STOPPED).orElseThrow(), c.commandId(),
                        "no copy was in flight", false);
            }
            results.add(documents.publish(job));
        }
        return c.isBatch() ? JobSummary.batchResponse(results) : results.get(0);
    }

    /** The databases of a new run (start, or restart of the whole job): every one from the beginning. */
    private void replaceDatabases(MigrationJobEntity job, List<String> databases) {
        if (databases.isEmpty()) {
            throw CommandRejected.precondition("the source of job " + job.id + " has no database to migrate", details(job));
        }
        JobDatabaseEntity.delete("jobId", job.id);
        for (String name : databases) {
            JobDatabaseEntity.createFor(job.id, name);
        }
        JobDatabaseEntity.getEntityManager().flush();
    }

    /**
     * A restart of some databases (as DMS restarts failed ones): those start from the beginning,
     * the others keep their data and go on where they were. Returns the names restarted.
     */
    private Set<String> restartSome(MigrationJobEntity job, List<String> names) {
        if (job.phase != JobPhase.FULL_DUMP && job.phase != JobPhase.CDC) {
            throw CommandRejected.precondition("databases: job " + job.id + " is " + job.status()
                    + "; some databases can be restarted only in FULL_DUMP or CDC (restart the whole job instead)", details(job));
        }
        Set<String> restart = new LinkedHashSet<>(names);
        for (String name : restart) {
            JobDatabaseEntity db = JobDatabaseEntity.find("jobId = ?1 and name = ?2", job.id, name).firstResult();
            if (db == null) {
                throw CommandRejected.invalid("databases: job " + job.id + " does not migrate database " + name);
            }
            copies.forget(job, db);
            db.progressJson = Json.write(DatabaseProgress.initial(name));
            db.lastSignal = null;
            db.signalEpoch = null;
            db.snapshotName = null;
            db.syncLsn = null;
            db.snapshotsLost = 0;
        }
        JobDatabaseEntity.getEntityManager().flush();
        return restart;
    }

    static void sameStatus(List<MigrationJobEntity> jobs) {
        JobStatus first = jobs.get(0).status();
        Map<String, String> odd = new LinkedHashMap<>();
        jobs.stream().filter(j -> !j.status().equals(first)).forEach(j -> odd.put(j.id, j.status().toString()));
        if (!odd.isEmpty()) {
            throw CommandRejected.precondition("all jobs of a batch must share one status; " + jobs.get(0).id + " is "
                    + first + " but " + odd, Map.of("expectedStatus", first.toString(), "jobsInOtherStatus", odd));
        }
    }

    static MigrationJobEntity existing(String id) {
        MigrationJobEntity job = MigrationJobEntity.findById(id);
        if (job == null || job.state == JobState.DELETED) {
            throw CommandRejected.notFound("migration job " + id + " does not exist");
        }
        return job;
    }

    static void allowed(MigrationJobEntity job, JobAction action) {
        if (JobStateMachine.apply(job.status(), action).isEmpty()) {
            throw CommandRejected.precondition(action.verb() + " is not allowed for job " + job.id + " in status "
                    + job.status() + "; allowed: " + JobStateMachine.allowedActions(job.status()).stream().map(JobAction::name).toList(),
                    details(job));
        }
    }

    static Map<String, Object> details(MigrationJobEntity job) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("jobId", job.id);
        d.put("state", job.state.name());
        if (job.phase != null) {
            d.put("phase", job.phase.name());
        }
        d.put("allowedActions", JobStateMachine.allowedActions(job.status()).stream().map(JobAction::name).toList());
        return d;
    }
}
