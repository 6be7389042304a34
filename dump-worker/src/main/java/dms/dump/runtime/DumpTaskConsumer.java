package dms.dump.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.messages.DatabaseProgress;
import dms.common.messages.DumpTask;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.WorkerSignal;
import dms.dump.cleanup.CleanupDatabase;
import dms.dump.copy.CopyTable;
import dms.dump.postdata.PostData;
import dms.dump.prepare.NewSnapshot;
import dms.dump.prepare.PrepareDatabase;
import dms.dump.verify.VerifyData;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes dump tasks from dms.dump-tasks (consumer group: instances share the work), several
 * at a time, and runs each unless its job no longer wants it (an older run epoch, a deleted
 * job). A task is acknowledged once done and reported: a worker killed mid-task leaves it
 * to be delivered again, and each handler starts by cleaning what the task owns.
 */
@ApplicationScoped
public class DumpTaskConsumer {

    private static final Logger LOG = Logger.getLogger(DumpTaskConsumer.class);
    /** A task can arrive before the job document of its run: wait this long for it. */
    private static final Duration NEWER_RUN_WAIT = Duration.ofSeconds(15);

    @Inject
    JobStateWatcher watcher;
    @Inject
    RunningTasks tasks;
    @Inject
    PrepareDatabase prepare;
    @Inject
    CopyTable copy;
    @Inject
    PostData postData;
    @Inject
    NewSnapshot newSnapshot;
    @Inject
    CleanupDatabase cleanup;
    @Inject
    VerifyData verifyData;

    @Incoming("dump-tasks")
    @Blocking(value = "dump-tasks", ordered = false)
    public void consume(ConsumerRecord<String, String> record) {
        DumpTask task;
        try {
            task = record.value() == null ? null : Json.read(record.value(), DumpTask.class);
        } catch (JsonProcessingException e) {
            task = null;
        }
        if (task == null || task.target() == null || task.jobId() == null || task.database() == null) {
            LOG.warnf("Dropped a record of %s/%d/%d that is not a dump task", record.topic(), record.partition(), record.offset());
            return;
        }
        // A second run of the same PREPARE on another thread would replace the slot under the first.
        RunningTasks.Running run = tasks.start(task);
        if (run == null) {
            LOG.infof("Dropped %s task of %s/%s (attempt %s) delivered again: it runs here already and will report",
                    task.kind(), task.jobId(), task.database(), task.attempt());
            return;
        }
        try {
            Optional<MigrationJob> job = currentJob(task);
            if (job.isEmpty()) {
                LOG.infof("Dropped %s task of %s/%s run %d: the job is gone or in a newer run",
                        task.kind(), task.jobId(), task.database(), task.runEpoch());
                return;
            }
            if (!wanted(task, job.get())) {
                LOG.infof("Dropped %s task of %s/%s: the job is %s/%s now", task.kind(), task.jobId(), task.database(),
                        job.get().state(), job.get().phase());
                return;
            }
            if (task instanceof DumpTask.PrepareDatabase p) {
                prepare.run(p, job.get());
            } else if (task instanceof DumpTask.CopyTable c) {
                copy.run(c, job.get());
            } else if (task instanceof DumpTask.NewSnapshot s) {
                newSnapshot.run(s);
            } else if (task instanceof DumpTask.PostData p) {
                postData.run(p, job.get());
            } else if (task instanceof DumpTask.Cleanup c) {
                cleanup.run(c);
            } else if (task instanceof DumpTask.VerifyData v) {
                verifyData.run(v, job.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s task of %s/%s failed unexpectedly", task.kind(), task.jobId(), task.database());
        } finally {
            tasks.finish(run);
        }
    }

    /** Whether the job, in its current status, still asks for this kind of task. */
    static boolean wanted(DumpTask task, MigrationJob job) {
        return switch (task.kind()) {
            case PREPARE_DATABASE -> job.state() == JobState.STARTING || job.state() == JobState.RESTARTING
                    || job.state() == JobState.RESUMING || addedAndNotPlanned(task, job) || preparedDespiteAnother(task, job);
            // A copy that is no longer wanted is still answered (CANCELLED): the orchestrator counts it.
            case COPY_TABLE -> true;
            case POST_DATA, NEW_SNAPSHOT -> RunningCopies.copyWanted(job, task.runEpoch(), task.database());
            case CLEANUP -> true;
            case VERIFY_DATA -> VerifyData.wanted(job);
        };
    }

    /**
     * A database added to a running job is prepared once: a redelivered task finds it planned (its
     * phase set) and is dropped, as re-preparing would replace its slot under the copies.
     */
    private static boolean addedAndNotPlanned(DumpTask task, MigrationJob job) {
        return job.state() == JobState.RUNNING && job.phase() == JobPhase.FULL_DUMP
                && progressOf(job, task.database()).map(p -> p.phase() == null).orElse(false);
    }

    /**
     * The job failed (another database did) while this one waited to be prepared: it is prepared all the
     * same, as failure stays where it happens (a redelivered task finds it planned and is dropped).
     */
    private static boolean preparedDespiteAnother(DumpTask task, MigrationJob job) {
        return job.state() == JobState.FAILED && job.phase() == null
                && progressOf(job, task.database()).map(p -> p.phase() == null && p.lastSignal() != WorkerSignal.FAILED).orElse(false);
    }

    /**
     * A database added to a running job: the orchestrator publishes the job document that lists it
     * before the PREPARE task, but on another topic, so the task can arrive first.
     */
    private static boolean awaitsItsDocument(DumpTask task, MigrationJob job) {
        return task.kind() == DumpTask.Kind.PREPARE_DATABASE && job.state() == JobState.RUNNING
                && progressOf(job, task.database()).isEmpty();
    }

    /** The job document's entry for a database; empty when the document does not list it (yet). */
    private static Optional<DatabaseProgress> progressOf(MigrationJob job, String database) {
        return job.databaseProgress() == null ? Optional.empty()
                : job.databaseProgress().stream().filter(p -> p.database().equals(database)).findFirst();
    }

    /**
     * The job as of this task's run, or empty when the task is stale. Waits (up to {@link #NEWER_RUN_WAIT})
     * for the task's run to show in the view, and for the document listing a database added to a running job.
     */
    private Optional<MigrationJob> currentJob(DumpTask task) throws InterruptedException {
        if (!watcher.awaitCaughtUp(Duration.ofMinutes(2))) {
            throw new IllegalStateException("the job view did not catch up with dms.job-state");
        }
        long deadline = System.nanoTime() + NEWER_RUN_WAIT.toNanos();
        while (true) {
            Optional<MigrationJob> job = watcher.job(task.jobId());
            if (job.isPresent() && job.get().runEpoch() > task.runEpoch()) {
                return Optional.empty();
            }
            boolean sameRun = job.isPresent() && job.get().runEpoch() == task.runEpoch();
            if (sameRun && !awaitsItsDocument(task, job.get())) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                return sameRun ? job : Optional.empty();
            }
            Thread.sleep(100);
        }
    }
}
