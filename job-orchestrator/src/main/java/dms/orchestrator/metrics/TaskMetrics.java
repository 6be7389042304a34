package dms.orchestrator.metrics;

import dms.common.metrics.MetricLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;

/**
 * {@code dms_task_failures_total{migration_job,kind}}: failures the workers reported (kind {@code copy}:
 * one copy unit; {@code database}: a database's dump or CDC failed).
 * {@code dms_task_retries_total{migration_job,kind}}: work the orchestrator sent again (kind {@code copy}:
 * a failed unit queued for another attempt; {@code snapshot}: a new snapshot after the old
 * one was lost). Every job that is not deleted has all its series, at 0 until something
 * happens, so that "no failure" reads 0 rather than no data.
 */
@ApplicationScoped
public class TaskMetrics {

    public static final String COPY = "copy";
    public static final String DATABASE = "database";
    public static final String SNAPSHOT = "snapshot";
    private static final String FAILURES = "dms_task_failures";
    private static final String RETRIES = "dms_task_retries";
    private static final List<String> FAILURE_KINDS = List.of(COPY, DATABASE);
    private static final List<String> RETRY_KINDS = List.of(COPY, SNAPSHOT);

    @Inject
    MeterRegistry registry;

    public void failed(String job, String kind) {
        failures(job, kind).increment();
    }

    public void retried(String job, String kind) {
        retries(job, kind).increment();
    }

    /** Creates the series of these jobs and removes those of the others (deleted). */
    void keepJobs(Set<String> jobs) {
        for (String job : jobs) {
            FAILURE_KINDS.forEach(kind -> failures(job, kind));
            RETRY_KINDS.forEach(kind -> retries(job, kind));
        }
        for (Meter meter : List.copyOf(registry.getMeters())) {
            String name = meter.getId().getName();
            if ((name.equals(FAILURES) || name.equals(RETRIES)) && !jobs.contains(meter.getId().getTag(MetricLabels.JOB))) {
                registry.remove(meter);
            }
        }
    }

    private Counter failures(String job, String kind) {
        return Counter.builder(FAILURES).description("Failures reported by the workers").tags(MetricLabels.JOB, job, "kind", kind)
                .register(registry);
    }

    private Counter retries(String job, String kind) {
        return Counter.builder(RETRIES).description("Work sent again after a failure or a lost snapshot")
                .tags(MetricLabels.JOB, job, "kind", kind).register(registry);
    }
}
