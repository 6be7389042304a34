package dms.orchestrator.metrics;

import dms.common.metrics.MetricLabels;
import dms.common.metrics.TaggedGauges;
import dms.common.statemachine.JobState;
import dms.orchestrator.dump.CopyUnitEntity;
import dms.orchestrator.store.MigrationJobEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Gauges read from the control database every {@code dms.metrics.refresh-interval}:
 * {@code dms_jobs{state}} (every state, 0 included), {@code dms_jobs_by_phase{state,phase}},
 * {@code dms_job_info{migration_job,state,phase}} (1 per job that is not deleted) and the full dump's
 * progress per database of the jobs not finished ({@code dms_dump_tables},
 * {@code dms_dump_tables_copied}, {@code dms_dump_estimated_bytes},
 * {@code dms_dump_copied_estimated_bytes}), and per table ({@code dms_dump_table_estimated_bytes},
 * {@code dms_dump_table_copied_estimated_bytes}). Series of deleted jobs disappear, and those of
 * completed jobs keep only {@code dms_job_info}: the label sets stay bounded by the live jobs.
 * The task counters of {@link TaskMetrics} follow the same jobs; the event counters of
 * {@link EventMetrics} also those deleted within {@code dms.metrics.deleted-job-events-kept} (10 min).
 */
@ApplicationScoped
public class JobGauges {

    private static final Logger LOG = Logger.getLogger(JobGauges.class);
    private static final List<JobState> FINISHED = List.of(JobState.COMPLETED, JobState.DELETING, JobState.DELETED);

    private final Map<JobState, AtomicLong> counts = new EnumMap<>(JobState.class);
    private TaggedGauges byPhase;
    private TaggedGauges info;
    private TaggedGauges tables;
    private TaggedGauges tablesCopied;
    private TaggedGauges estimatedBytes;
    private TaggedGauges estimatedBytesCopied;
    private TaggedGauges tableBytes;
    private TaggedGauges tableBytesCopied;

    @Inject
    MeterRegistry registry;
    @Inject
    TaskMetrics tasks;
    @Inject
    EventMetrics events;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "dms.metrics.deleted-job-events-kept", defaultValue = "10m")
    java.time.Duration deletedEventsKept;

    void register(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        for (JobState state : JobState.values()) {
            AtomicLong value = new AtomicLong();
            counts.put(state, value);
            Gauge.builder("dms_jobs", value, AtomicLong::get).tag("state", state.name())
                    .description("Migration jobs by state").register(registry);
        }
        byPhase = new TaggedGauges(registry, "dms_jobs_by_phase", "Migration jobs by state and phase (phase NONE: none)", null);
        info = new TaggedGauges(registry, "dms_job_info", "1 for each job that is not deleted, with its state and phase", null);
        tables = new TaggedGauges(registry, "dms_dump_tables", "Tables the full dump of the database copies (current run)", null);
        tablesCopied = new TaggedGauges(registry, "dms_dump_tables_copied",
                "Tables whose every copy unit is copied (current run)", null);
        estimatedBytes = new TaggedGauges(registry, "dms_dump_estimated_bytes",
                "On-disk size of the tables the full dump copies, as planned", "bytes");
        estimatedBytesCopied = new TaggedGauges(registry, "dms_dump_copied_estimated_bytes",
                "Planned size of the copy units already copied", "bytes");
        tableBytes = new TaggedGauges(registry, "dms_dump_table_estimated_bytes",
                "On-disk size of a table the full dump copies, as planned", "bytes");
        tableBytesCopied = new TaggedGauges(registry, "dms_dump_table_copied_estimated_bytes",
                "Planned size of the table's copy units already copied", "bytes");
    }

    @Scheduled(every = "${dms.metrics.refresh-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                refreshJobs();
                refreshDumps();
                refreshTables();
            });
        } catch (RuntimeException e) {
            // The control database is down (the health check says so): keep the last values.
            LOG.debugf("Job gauges not refreshed: %s", e.getMessage());
        }
    }

    private void refreshJobs() {
        Map<JobState, Long> now = new EnumMap<>(JobState.class);
        Map<Tags, Double> phases = new HashMap<>();
        MigrationJobEntity.getEntityManager()
                .createQuery("select j.state, j.phase, count(j) from MigrationJobEntity j group by j.state, j.phase", Object[].class)
                .getResultList().forEach(row -> {
                    JobState state = (JobState) row[0];
                    long n = (Long) row[2];
                    now.merge(state, n, Long::sum);
                    phases.put(Tags.of("state", state.name(), "phase", phase(row[1])), (double) n);
                });
        counts.forEach((state, value) -> value.set(now.getOrDefault(state, 0L)));
        byPhase.publish(phases);

        Map<Tags, Double> jobs = new HashMap<>();
        Set<String> ids = new HashSet<>();
        MigrationJobEntity.getEntityManager()
                .createQuery("select j.id, j.state, j.phase from MigrationJobEntity j where j.state <> ?1", Object[].class)
                .setParameter(1, JobState.DELETED)
                .getResultList().forEach(row -> {
                    ids.add((String) row[0]);
                    jobs.put(Tags.of(MetricLabels.JOB, (String) row[0], "state", ((JobState) row[1]).name(), "phase", phase(row[2])), 1.0);
                });
        info.publish(jobs);
        tasks.keepJobs(ids);
        // A deleted job's events stay a while: its DELETED event is scraped and drawn.
        Set<String> withEvents = new HashSet<>(ids);
        withEvents.addAll(MigrationJobEntity.getEntityManager()
                .createQuery("select j.id from MigrationJobEntity j where j.state = ?1 and j.updateTime > ?2", String.class)
                .setParameter(1, JobState.DELETED).setParameter(2, java.time.Instant.now().minus(deletedEventsKept))
                .getResultList());
        events.keepJobs(withEvents);
    }

    /** One row per database of a job not finished, over the copy units of the job's current run. */
    private void refreshDumps() {
        Map<Tags, Double> total = new HashMap<>();
        Map<Tags, Double> copied = new HashMap<>();
        Map<Tags, Double> bytes = new HashMap<>();
        Map<Tags, Double> bytesCopied = new HashMap<>();
        CopyUnitEntity.getEntityManager().createQuery("""
                        select u.jobId, u.database, count(distinct concat(u.schemaName, '.', u.tableName)),
                               count(distinct case when u.state <> ?1 then concat(u.schemaName, '.', u.tableName) end),
                               sum(u.estimatedBytes), sum(case when u.state = ?1 then u.estimatedBytes else 0 end)
                        from CopyUnitEntity u, MigrationJobEntity j
                        where j.id = u.jobId and u.runEpoch = j.runEpoch and j.state not in ?2
                        group by u.jobId, u.database""", Object[].class)
                .setParameter(1, CopyUnitEntity.State.COPIED)
                .setParameter(2, FINISHED)
                .getResultList().forEach(row -> {
                    Tags tags = Tags.of(MetricLabels.JOB, (String) row[0], "database", (String) row[1]);
                    long all = ((Number) row[2]).longValue();
                    total.put(tags, (double) all);
                    copied.put(tags, (double) (all - ((Number) row[3]).longValue()));
                    bytes.put(tags, ((Number) row[4]).doubleValue());
                    bytesCopied.put(tags, ((Number) row[5]).doubleValue());
                });
        tables.publish(total);
        tablesCopied.publish(copied);
        estimatedBytes.publish(bytes);
        estimatedBytesCopied.publish(bytesCopied);
    }

    /** One row per table of a job not finished, over the copy units of the job's current run. */
    private void refreshTables() {
        Map<Tags, Double> bytes = new HashMap<>();
        Map<Tags, Double> bytesCopied = new HashMap<>();
        CopyUnitEntity.getEntityManager().createQuery("""
                        select u.jobId, u.database, u.schemaName, u.tableName,
                               sum(u.estimatedBytes), sum(case when u.state = ?1 then u.estimatedBytes else 0 end)
                        from CopyUnitEntity u, MigrationJobEntity j
                        where j.id = u.jobId and u.runEpoch = j.runEpoch and j.state not in ?2
                        group by u.jobId, u.database, u.schemaName, u.tableName""", Object[].class)
                .setParameter(1, CopyUnitEntity.State.COPIED)
                .setParameter(2, FINISHED)
                .getResultList().forEach(row -> {
                    Tags tags = Tags.of(MetricLabels.JOB, (String) row[0], "database", (String) row[1],
                            "table", row[2] + "." + row[3]);
                    bytes.put(tags, ((Number) row[4]).doubleValue());
                    bytesCopied.put(tags, ((Number) row[5]).doubleValue());
                });
        tableBytes.publish(bytes);
        tableBytesCopied.publish(bytesCopied);
    }

    private static String phase(Object phase) {
        return phase == null ? "NONE" : phase.toString();
    }
}
