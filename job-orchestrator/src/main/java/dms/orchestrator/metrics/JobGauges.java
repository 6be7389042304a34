package dms.orchestrator.metrics;

import dms.common.statemachine.JobState;
import dms.orchestrator.store.MigrationJobEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** {@code dms_jobs{state}}: how many jobs are in each state, counted from the control database every few seconds. */
@ApplicationScoped
public class JobGauges {

    private final Map<JobState, AtomicLong> counts = new EnumMap<>(JobState.class);

    @Inject
    MeterRegistry registry;

    void register(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        for (JobState state : JobState.values()) {
            AtomicLong value = new AtomicLong();
            counts.put(state, value);
            Gauge.builder("dms_jobs", value, AtomicLong::get).tag("state", state.name())
                    .description("Migration jobs by state").register(registry);
        }
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Map<JobState, Long> now = new EnumMap<>(JobState.class);
                MigrationJobEntity.getEntityManager()
                        .createQuery("select j.state, count(j) from MigrationJobEntity j group by j.state", Object[].class)
                        .getResultList().forEach(row -> now.put((JobState) row[0], (Long) row[1]));
                counts.forEach((state, value) -> value.set(now.getOrDefault(state, 0L)));
            });
        } catch (RuntimeException e) {
            // The control database is down: the health check says so; keep the last counts.
        }
    }
}
