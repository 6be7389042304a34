package dms.dump.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.messages.DumpTask;
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
 * Takes dump tasks from dms.dump-tasks (consumer group: instances share the work), several at a time, and runs each
 * unless a newer record of its job on dms.dump-control refuses it ({@link DumpControlView}): an older run, a stopped or
 * deleted job, a database prepared already. A task is acknowledged once done and reported: a worker killed mid-task
 * leaves it to be delivered again, and each handler starts by cleaning what the task owns.
 */
@ApplicationScoped
public class DumpTaskConsumer {

    private static final Logger LOG = Logger.getLogger(DumpTaskConsumer.class);

    @Inject
    DumpControlView control;
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
            if (!control.awaitCaughtUp(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the dump control view did not catch up with dms.dump-control");
            }
            Optional<String> refused = control.refusal(task);
            if (refused.isPresent()) {
                LOG.infof("Dropped %s task of %s/%s run %d: %s", task.kind(), task.jobId(), task.database(), task.runEpoch(),
                        refused.get());
                return;
            }
            if (task instanceof DumpTask.PrepareDatabase p) {
                prepare.run(p);
            } else if (task instanceof DumpTask.CopyTable c) {
                copy.run(c);
            } else if (task instanceof DumpTask.NewSnapshot s) {
                newSnapshot.run(s);
            } else if (task instanceof DumpTask.PostData p) {
                postData.run(p);
            } else if (task instanceof DumpTask.Cleanup c) {
                cleanup.run(c);
            } else if (task instanceof DumpTask.VerifyData v) {
                verifyData.run(v);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s task of %s/%s failed unexpectedly", task.kind(), task.jobId(), task.database());
        } finally {
            tasks.finish(run);
        }
    }
}
