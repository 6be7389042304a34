package dms.cdc.control;

import dms.cdc.CdcStream;
import dms.cdc.lag.LagSnapshot;
import dms.common.metrics.TaggedGauges;
import dms.common.messages.CdcControl;
import dms.common.messages.WorkerEvent;
import dms.common.pg.PgConnector;
import dms.common.pg.ReplicationSlots;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
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
    private TaggedGauges lagBytes;
    private TaggedGauges lagSeconds;
    private TaggedGauges retainedWal;
    private TaggedGauges changesApplied;
    private TaggedGauges transactionsApplied;

    void start(@Observes StartupEvent start) {
        lagBytes = new TaggedGauges(registry, "dms_cdc_lag_bytes", "Source WAL position minus the applied position", "bytes");
        lagSeconds = new TaggedGauges(registry, "dms_cdc_lag_seconds",
                "Age of the last applied source commit (0 when caught up and idle)", null);
        retainedWal = new TaggedGauges(registry, "dms_slot_retained_wal_bytes", "WAL the source keeps for the job's slot",
                "bytes");
        changesApplied = new TaggedGauges(registry, "dms_cdc_changes_applied", "Row changes applied by the running stream",
                null);
        transactionsApplied = new TaggedGauges(registry, "dms_cdc_transactions_applied",
                "Source transactions applied by the running stream", null);
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
        Map<Tags, Double> bytes = new HashMap<>();
        Map<Tags, Double> seconds = new HashMap<>();
        Map<Tags, Double> wal = new HashMap<>();
        Map<Tags, Double> changes = new HashMap<>();
        Map<Tags, Double> transactions = new HashMap<>();
        for (JobDatabaseStream s : supervisor.running()) {
            CdcStream stream = s.stream();
            CdcControl c = s.desired();
            if (c != null && c.desired() == CdcControl.Desired.STOP) {
                reportStopped(c).ifPresent(retained ->
                        wal.put(Tags.of("job", c.jobId(), "database", c.database()), (double) retained));
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
                bytes.put(tags, (double) lag.lagBytes());
                seconds.put(tags, age);
                wal.put(tags, (double) Math.max(0, lag.slotRetainedBytes()));
                changes.put(tags, (double) stream.stats().appliedChanges());
                transactions.put(tags, (double) stream.stats().appliedTransactions());
                actions.report(c, WorkerEvent.signal(c.jobId(), c.runEpoch(), c.database(), null, worker)
                        .withLag(lag.lagBytes(), age, lag.slotRetainedBytes()));
            } catch (Exception e) {
                LOG.debugf("Lag of %s not measured: %s", s.key(), e.getMessage());
            }
        }
        heartbeats.keySet().retainAll(supervisor.running().stream().map(JobDatabaseStream::key).toList());
        lagBytes.publish(bytes);
        lagSeconds.publish(seconds);
        retainedWal.publish(wal);
        changesApplied.publish(changes);
        transactionsApplied.publish(transactions);
    }
}
