package dms.orchestrator.store;

import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.JobEvent;
import dms.common.statemachine.JobStatus;
import dms.orchestrator.metrics.EventMetrics;
import dms.orchestrator.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Appends to a job's audit trail: the control database and dms.job-events, in one transaction;
 * counted in {@code dms_job_events_total} once it commits.
 */
@ApplicationScoped
public class JobEvents {

    @Inject
    Outbox outbox;

    @Inject
    Topics topics;

    @Inject
    EventMetrics metrics;

    public void record(MigrationJobEntity job, JobEvent.Type type, JobStatus from, JobStatus to,
                       String commandId, String database, String message) {
        job.eventSequence++;
        JobEvent event = new JobEvent(job.eventSequence, job.id, Instant.now(), type,
                from == null ? null : from.state(), from == null ? null : from.phase(),
                to == null ? null : to.state(), to == null ? null : to.phase(), commandId, database, message);
        JobEventEntity row = new JobEventEntity();
        row.jobId = job.id;
        row.sequence = event.sequence();
        row.time = event.time();
        row.document = Json.write(event);
        row.persist();
        outbox.add(topics.jobEvents(), job.id, row.document);
        metrics.recorded(job.id, type);
    }
}
