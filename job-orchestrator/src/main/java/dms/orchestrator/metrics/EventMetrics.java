package dms.orchestrator.metrics;

import dms.common.messages.JobEvent;
import dms.common.metrics.MetricLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Set;

/**
 * {@code dms_job_events_total{migration_job,type}}: the events of each job's audit trail, by
 * {@link JobEvent.Type}, what the Grafana dashboards draw as annotations. Counted once the
 * transaction that records the event commits: a unit of work rolled back and tried again counts
 * once. A series is made by its first event (the dashboards see a new series as an event too);
 * those of a job are kept for a while after it is deleted, so that its DELETED event is scraped.
 */
@ApplicationScoped
public class EventMetrics {

    private static final String NAME = "dms_job_events";

    @Inject
    MeterRegistry registry;
    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Counts the event when the current transaction commits. */
    public void recorded(String jobId, JobEvent.Type type) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    Counter.builder(NAME).description("Events of the jobs' audit trails, by type")
                            .tags(MetricLabels.JOB, jobId, "type", type.name()).register(registry).increment();
                }
            }
        });
    }

    /** Removes the series of the jobs not in {@code jobs}. */
    void keepJobs(Set<String> jobs) {
        for (Meter meter : List.copyOf(registry.getMeters())) {
            if (meter.getId().getName().equals(NAME) && !jobs.contains(meter.getId().getTag(MetricLabels.JOB))) {
                registry.remove(meter);
            }
        }
    }
}
