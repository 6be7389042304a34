package dms.orchestrator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code dms_task_failures_total{job,kind}}: failures the workers reported (kind {@code copy}:
 * one copy unit; {@code database}: a database's dump or CDC failed).
 * {@code dms_task_retries_total{job,kind}}: work the orchestrator sent again (kind {@code copy}:
 * a failed unit queued for another attempt; {@code snapshot}: a new snapshot after the old
 * one was lost).
 */
@ApplicationScoped
public class TaskMetrics {

    public static final String COPY = "copy";
    public static final String DATABASE = "database";
    public static final String SNAPSHOT = "snapshot";

    @Inject
    MeterRegistry registry;

    public void failed(String job, String kind) {
        registry.counter("dms_task_failures", "job", job, "kind", kind).increment();
    }

    public void retried(String job, String kind) {
        registry.counter("dms_task_retries", "job", job, "kind", kind).increment();
    }
}
