package dms.cdc.control;

import dms.cdc.CdcStream;
import dms.cdc.lag.LagSnapshot;
import dms.common.messages.CdcControl;
import dms.common.messages.WorkerEvent;
import dms.common.pg.PgConnector;
import dms.common.pg.ReplicationSlots;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every few seconds, for each stream running here: a heartbeat into the source's WAL (which keeps
 * the slot of an idle database moving and measures the lag in seconds, see {@link HeartbeatLag}),
 * then its lag (bytes and seconds) and the WAL its slot retains, on dms.progress (the job
 * document shows them) and as metrics, with the changes and transactions applied.
 */
@ApplicationScoped
public class LagReporter {

    private static final Logger LOG = Logger.getLogger(LagReporter.class);

    @Inject
    StreamSupervisor supervisor;
    @Inject
    StreamActions actions;
    @Inject
    MeterRegistry registry;
    @Inject
    PgConnector connector;
    @Inject
    @Named("workerName")
    String worker;
    @ConfigProperty(name = "dms.cdc.report-interval", defaultValue = "PT5S")
    Duration interval;

    private ScheduledExecutorService timer;
    private final Map<String, HeartbeatLag> heartbeats = new HashMap<>();
    private MultiGauge lagBytes;
    private MultiGauge lagSeconds;
    private MultiGauge retainedWal;
    private MultiGauge changesApplied;
    private MultiGauge transactionsApplied;

    void start(@Observes StartupEvent start) {
        lagBytes = MultiGauge.builder("dms_cdc_lag_bytes").description("Source WAL position minus the applied position")
                .baseUnit("bytes").register(registry);
        lagSeconds = MultiGauge.builder("dms_cdc_lag_seconds")
                .description("Age of the last applied source commit (0 when caught up and idle)").register(registry);
        retainedWal = MultiGauge.builder("dms_slot_retained_wal_bytes").description("WAL the source keeps for the job's slot")
                .baseUnit("bytes").register(registry);
        changesApplied = MultiGauge.builder("dms_cdc_changes_applied").description("Row changes applied by the running stream")
                .register(registry);
        transactionsApplied = MultiGauge.builder("dms_cdc_transactions_applied")
                .description("Source transactions applied by the running stream").register(registry);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dms-cdc-lag");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** A stopped stream: the WAL its slot keeps grows, and the job document and the metric show it. */
    private OptionalLong reportStopped(CdcControl c) {
        try (Connection source = connector.open(c.source(), c.database())) {
            OptionalLong retained = ReplicationSlots.retainedWalBytes(source, c.slotName());
            if (retained.isPresent()) {
                actions.report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), null, worker)
                        .withLag(null, null, retained.getAsLong()));
            }
            return retained;
        } catch (Exception e) {
            LOG.debugf("Retained WAL of %s/%s not measured: %s", c.jobId(), c.database(), e.getMessage());
            return OptionalLong.empty();
        }
    }

    private void tick() {
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        List<MultiGauge.Row<?>> seconds = new ArrayList<>();
        List<MultiGauge.Row<?>> wal = new ArrayList<>();
        List<MultiGauge.Row<?>> changes = new ArrayList<>();
        List<MultiGauge.Row<?>> transactions = new ArrayList<>();
        for (JobDatabaseStream s : supervisor.running()) {
            CdcStream stream = s.stream();
            CdcControl c = s.desired();
            if (c != null && c.desired() == CdcControl.Desired.STOP) {
                reportStopped(c).ifPresent(retained ->
                        wal.add(MultiGauge.Row.of(Tags.of("job", c.jobId(), "database", c.database()), retained)));
                continue;
            }
            if (stream == null || c == null || stream.completion().isDone()) {
                continue;
            }
            Tags tags = Tags.of("job", c.jobId(), "database", c.database());
            try {
                HeartbeatLag beats = heartbeats.get(s.key());
                if (beats == null || beats.stream() != stream) {
                    beats = new HeartbeatLag(stream);
                    heartbeats.put(s.key(), beats);
                }
                LagSnapshot lag = stream.lag();
                double age = beats.lagSeconds(lag.appliedLsn(), Instant.now());
                beats.beat();
                bytes.add(MultiGauge.Row.of(tags, lag.lagBytes()));
                seconds.add(MultiGauge.Row.of(tags, age));
                wal.add(MultiGauge.Row.of(tags, Math.max(0, lag.slotRetainedBytes())));
                changes.add(MultiGauge.Row.of(tags, stream.stats().appliedChanges()));
                transactions.add(MultiGauge.Row.of(tags, stream.stats().appliedTransactions()));
                actions.report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), null, worker)
                        .withLag(lag.lagBytes(), age, lag.slotRetainedBytes()));
            } catch (Exception e) {
                LOG.debugf("Lag of %s not measured: %s", s.key(), e.getMessage());
            }
        }
        heartbeats.keySet().retainAll(supervisor.running().stream().map(JobDatabaseStream::key).toList());
        lagBytes.register(bytes, true);
        lagSeconds.register(seconds, true);
        retainedWal.register(wal, true);
        changesApplied.register(changes, true);
        transactionsApplied.register(transactions, true);
    }
}
