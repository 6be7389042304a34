package dms.dump.runtime;

import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every {@code dms.dump.heartbeat-interval}, a heartbeat on dms.progress for each leased task running
 * here: the orchestrator extends the task's lease, so a long copy or prepare is not sent again while it
 * runs. One try each ({@link ProgressReporter#heartbeat}): a heartbeat lost while Kafka is away is replaced by
 * the next one (the interval is a fraction of the orchestrator's {@code dms.dump.task-lease}).
 */
@ApplicationScoped
public class TaskHeartbeats {

    private static final Logger LOG = Logger.getLogger(TaskHeartbeats.class);

    @Inject
    RunningTasks tasks;
    @Inject
    ProgressReporter reporter;
    @Inject
    @Named("workerName")
    String worker;
    @ConfigProperty(name = "dms.dump.heartbeat-interval", defaultValue = "PT30S")
    Duration interval;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-heartbeats");
        t.setDaemon(true);
        return t;
    });

    void begin(@Observes StartupEvent start) {
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        for (RunningTasks.Running r : tasks.all()) {
            WorkerEvent.TaskRef ref = r.ref();
            if (ref == null) {
                continue;
            }
            try {
                reporter.heartbeat(WorkerEvent.heartbeat(r.task.jobId(), r.task.runEpoch(), r.task.database(), worker, ref,
                        r.task instanceof DumpTask.CopyTable copy ? copy.snapshotName() : null));
            } catch (RuntimeException e) {
                LOG.debugf("Heartbeat of %s/%s %s not sent (the next one will be): %s", r.task.jobId(), r.task.database(), ref,
                        e.getMessage());
            }
        }
    }

    void end(@Observes ShutdownEvent stop) {
        timer.shutdownNow();
    }
}
