package dms.dump.runtime;

import dms.common.kafka.ReportSender;
import dms.common.kafka.Topics;
import dms.common.messages.WorkerEvent;
import dms.dump.metrics.CopyMetrics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Sends this worker's reports to dms.progress and waits for the broker's ack; counts them in {@link CopyMetrics}.
 * A task's report names the task's attempt ({@link RunningTasks}), so the orchestrator can tell a superseded one.
 */
@ApplicationScoped
public class ProgressReporter {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    Topics topics;
    @Inject
    CopyMetrics metrics;
    @Inject
    RunningTasks tasks;

    private ReportSender sender;
    /** The heartbeats' own producer: one waiting out a broker outage does not hold up the reports. */
    private ReportSender heartbeats;

    @PostConstruct
    void init() {
        sender = new ReportSender(kafkaConfig, topics.progress());
        heartbeats = new ReportSender(kafkaConfig, topics.progress());
    }

    /**
     * The report is on the broker when this returns (waiting out a broker outage): a task is
     * acknowledged only after its report. It names the attempt of the task this thread runs.
     */
    public void report(WorkerEvent event) {
        event = tasks.stamp(event);
        sender.deliver(event);
        metrics.reported(event);
    }

    /** A heartbeat ({@link TaskHeartbeats}): one try; a lost one is replaced by the next. */
    public void heartbeat(WorkerEvent event) {
        heartbeats.send(event);
    }

    @PreDestroy
    void close() {
        sender.close();
        heartbeats.close();
    }
}
