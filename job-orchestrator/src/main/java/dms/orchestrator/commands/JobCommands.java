package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.DumpParallelism;
import dms.common.messages.RoleHandling;
import dms.common.messages.JobEvent;
import dms.common.messages.JobSpec;
import dms.common.messages.JobSummary;
import dms.common.messages.MigrationJob;
import dms.common.messages.PreflightReport;
import dms.orchestrator.verify.Preflights;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.store.ConnectionProfileEntity;
import dms.orchestrator.store.JobDatabaseEntity;
import dms.orchestrator.store.JobDocuments;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.lifecycle.Commands;
import dms.orchestrator.lifecycle.Input;
import dms.orchestrator.lifecycle.JobLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Job commands: create, edit, and the state-machine actions, one job or a batch. */
@ApplicationScoped
public class JobCommands {

    @Inject
    JobDocuments documents;
    @Inject
    JobEvents events;
    @Inject
    JobLifecycle lifecycle;
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
        job.roles = RoleHandling.of(spec.roles());
        job.replicaIdentityFull = Boolean.TRUE.equals(spec.replicaIdentityFull());
        job.cdcParallelism = spec.cdcParallelism() != null ? spec.cdcParallelism() : 1;
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
        MigrationJob published = lifecycle.apply(job, new Input.Edit(c.patch(), c.commandId(), sourceDatabases.get(job.id),
                Instant.now())).document();
        return published != null ? published : JobDocuments.toDocument(job, JobDatabaseEntity.ofJob(job.id));
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
            // were flushed explicitly (SnapshotStore flushes rows it adds or removes).
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
            Input.Act act = new Input.Act(action, c.commandId(), c.requestedBy(), Boolean.TRUE.equals(c.purgeDestination()),
                    c.databases(), resolvedDatabases.getOrDefault(job.id, job.requestedDatabases), Instant.now());
            results.add(lifecycle.apply(job, act).document());
        }
        return c.isBatch() ? JobSummary.batchResponse(results) : results.get(0);
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
            throw Commands.notAllowed(job.id, job.status(), action);
        }
    }

    static Map<String, Object> details(MigrationJobEntity job) {
        return Commands.details(job.id, job.status());
    }
}
