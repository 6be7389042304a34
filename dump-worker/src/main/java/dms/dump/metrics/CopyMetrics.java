package dms.dump.metrics;

import dms.common.messages.DumpTask;
import dms.common.messages.DumpControl;
import dms.common.messages.WorkerEvent.UnitReport;
import dms.common.messages.WorkerEvent;
import dms.common.metrics.MetricLabels;
import dms.common.statemachine.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * This worker's copies, counted from the unit reports it sends: {@code dms_dump_copied_rows_total}
 * and {@code dms_dump_copied_bytes_total} {migration_job, database, table} (a unit's counts when it commits,
 * so a table in ranges grows range by range), {@code dms_dump_units_total{migration_job, database, result}}
 * and {@code dms_dump_copy_seconds{migration_job, database}} (time per copied unit). A job's series go
 * once it is completed or deleted: per job the tables are bounded, over the jobs they are not.
 */
@ApplicationScoped
public class CopyMetrics {

    static final List<String> PER_JOB = List.of("dms_dump_copied_rows", "dms_dump_copied_bytes", "dms_dump_units",
            "dms_dump_copy_seconds");

    @Inject
    MeterRegistry registry;

    public void reported(WorkerEvent event) {
        if (!(event instanceof WorkerEvent.UnitDone done)) {
            return;
        }
        done(event.jobId(), event.database(), done.unit());
        done.bundle().forEach(b -> done(event.jobId(), event.database(), b.unit()));
    }

    private void done(String job, String database, UnitReport unit) {
        Counter.builder("dms_dump_units").description("Copy units this worker finished, by outcome")
                .tags(MetricLabels.JOB, job, "database", database, "result", unit.state().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
        if (unit.state() != WorkerEvent.UnitState.COPIED) {
            return;
        }
        rows(job, database, unit.table()).increment(unit.rows());
        bytes(job, database, unit.table()).increment(unit.bytes());
        Timer.builder("dms_dump_copy_seconds").description("Time to copy one unit (a table or a range of it)")
                .tags(MetricLabels.JOB, job, "database", database)
                .register(registry).record(Duration.ofMillis(unit.millis()));
    }

    /**
     * A copy begins: its table's counters exist at 0 from now on, so that the count at its
     * commit shows in rate() and increase() (they miss the first value of a new series).
     */
    public void copyStarting(DumpTask.CopyTable task) {
        rows(task.jobId(), task.database(), task.unit().qualifiedName());
        bytes(task.jobId(), task.database(), task.unit().qualifiedName());
    }

    private Counter rows(String job, String database, String table) {
        return Counter.builder("dms_dump_copied_rows").description("Rows copied to the destination")
                .tags(MetricLabels.JOB, job, "database", database, "table", table).register(registry);
    }

    private Counter bytes(String job, String database, String table) {
        return Counter.builder("dms_dump_copied_bytes").baseUnit("bytes").description("Bytes of COPY data streamed to the destination")
                .tags(MetricLabels.JOB, job, "database", database, "table", table).register(registry);
    }

    /** Drops the series of a job that will copy nothing any more. */
    public void jobChanged(DumpControl job) {
        if (!job.ended()) {
            return;
        }
        for (Meter meter : List.copyOf(registry.getMeters())) {
            if (PER_JOB.contains(meter.getId().getName()) && job.jobId().equals(meter.getId().getTag(MetricLabels.JOB))) {
                registry.remove(meter);
            }
        }
    }
}
