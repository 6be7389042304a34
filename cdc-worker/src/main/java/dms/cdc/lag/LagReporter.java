package dms.cdc.lag;

import dms.cdc.control.JobDatabaseStream;
import dms.cdc.control.StreamReports;
import dms.cdc.control.StreamSupervisor;
import dms.cdc.stream.CdcStream;
import dms.cdc.stream.GroupedStream;
import dms.cdc.stream.KeptSession;
import dms.cdc.lag.LagProbe;
import dms.cdc.lag.LagSnapshot;
import dms.common.pg.internal.AppliedPosition;
import dms.common.messages.CdcControl;
import dms.common.messages.WorkerEvent;
import dms.common.metrics.MetricLabels;
import dms.common.metrics.TaggedCounters;
import dms.common.metrics.TaggedGauges;
import dms.common.pg.PgConnector;
import dms.common.pg.ReplicationGroups;
import dms.common.pg.SlotHealth;
import dms.common.sql.Lsn;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every {@code dms.cdc.report-interval}, for each job database whose desired state this instance
 * holds (RUN, DRAIN, STOP, or WATCH during its dump: a key exists as long as its slot does), one
 * session on the source that looks at the slot. An invalidated slot fails the database at once
 * ({@link JobDatabaseStream#slotInvalidated}). Otherwise the WAL the slot retains and the source's
 * bound on it ({@code max_slot_wal_keep_size}) and, for a stream that should run, a heartbeat and
 * its lag (bytes, and seconds: {@link HeartbeatLag}) go on dms.progress (the job document shows
 * them) and into metrics, with the changes and transactions applied (counters). This is the one place
 * that measures a job's slot: the job document and the metrics both take it from here.
 */
@ApplicationScoped
public class LagReporter {

    private static final Logger LOG = Logger.getLogger(LagReporter.class);

    @Inject
    StreamSupervisor supervisor;
    @Inject
    StreamReports reports;
    @Inject
    MeterRegistry registry;
    @Inject
    PgConnector connector;
    @ConfigProperty(name = "dms.cdc.report-interval", defaultValue = "PT5S")
    Duration interval;

    /**
     * A stream that should run, as last measured here: kept across its restarts on this worker, so that
     * while it waits to start again its lag is still known (and grows) and its heartbeats still count.
     */
    private static final class Following {
        final HeartbeatLag beats;
        final Tags tags;
        AppliedPosition applied;
        /** The stream whose applied counts were last added to the counters, and those counts. */
        GroupedStream counted;
        CdcStream.Stats countedStats;

        Following(HeartbeatLag beats, Tags tags) {
            this.beats = beats;
            this.tags = tags;
        }
    }

    /**
     * One tick's values of the gauges (a series not in it goes) and its reports, sent once the gauges are
     * published: what the job document shows (and the warnings it raises) is never ahead of the metrics.
     */
    private record Values(Map<Tags, Double> lagBytes, Map<Tags, Double> lagSeconds, Map<Tags, Double> retainedWal,
                          Map<Tags, Double> walKeepLimit, Map<Tags, Double> invalidated, List<Runnable> reports) {
        Values() {
            this(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new ArrayList<>());
        }

        void report(StreamReports to, CdcControl c, WorkerEvent report) {
            reports.add(() -> to.report(c, report));
        }
    }

    /** A source session per job database of a running stream, kept between ticks (this thread's). */
    private final Map<String, KeptSession> sessions = new HashMap<>();
    private ScheduledExecutorService timer;
    private final Map<String, Following> following = new HashMap<>();
    private TaggedGauges lagBytes;
    private TaggedGauges lagSeconds;
    private TaggedGauges retainedWal;
    private TaggedGauges walKeepLimit;
    private TaggedGauges invalidated;
    private TaggedCounters changesApplied;
    private TaggedCounters transactionsApplied;
    private TaggedCounters unmatchedChanges;

    void start(@Observes StartupEvent start) {
        lagBytes = new TaggedGauges(registry, "dms_cdc_lag_bytes", "Source WAL position minus the applied position", "bytes");
        lagSeconds = new TaggedGauges(registry, "dms_cdc_lag_seconds",
                "Age of the last applied source commit (0 when caught up and idle)", null);
        retainedWal = new TaggedGauges(registry, "dms_slot_retained_wal_bytes", "WAL the source keeps for the job's slot",
                "bytes");
        walKeepLimit = new TaggedGauges(registry, "dms_slot_wal_keep_limit_bytes",
                "The source's max_slot_wal_keep_size: past it the source invalidates the slot (-1: unlimited)", "bytes");
        invalidated = new TaggedGauges(registry, "dms_slot_invalidated",
                "1 when the source invalidated the job's slot (its changes are lost), else 0", null);
        changesApplied = new TaggedCounters(registry, "dms_cdc_changes_applied", "Row changes applied on this worker");
        transactionsApplied = new TaggedCounters(registry, "dms_cdc_transactions_applied",
                "Source transactions applied on this worker");
        unmatchedChanges = new TaggedCounters(registry, "dms_cdc_unmatched_changes",
                "Updates and deletes that found no row on the destination (a divergence)");
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

    private void tick() {
        Values values = new Values();
        Set<String> keys = new HashSet<>();
        for (JobDatabaseStream s : supervisor.running()) {
            CdcControl c = s.desired();
            if (c == null) {
                continue;
            }
            keys.add(s.key());
            try {
                measure(s, c, session(s.key(), c), values);
                if (c.desired() != CdcControl.Desired.RUN && c.desired() != CdcControl.Desired.DRAIN) {
                    closeSession(s.key()); // kept only beside a stream's own sessions: a stopped job holds none on its source
                }
            } catch (Exception e) {
                closeSession(s.key());
                LOG.debugf("Slot and lag of %s not measured: %s", s.key(), e.getMessage());
            }
        }
        following.keySet().retainAll(keys);
        Set.copyOf(sessions.keySet()).stream().filter(k -> !keys.contains(k)).forEach(this::closeSession);
        lagBytes.publish(values.lagBytes());
        lagSeconds.publish(values.lagSeconds());
        retainedWal.publish(values.retainedWal());
        walKeepLimit.publish(values.walKeepLimit());
        invalidated.publish(values.invalidated());
        values.reports().forEach(Runnable::run);
        Set<Tags> counted = new HashSet<>();
        following.values().forEach(f -> counted.add(f.tags));
        changesApplied.retain(counted);
        transactionsApplied.retain(counted);
        unmatchedChanges.retain(counted);
    }

    /** The key's kept session, opened again when the job's source profile was edited (or the last use failed). */
    private Connection session(String key, CdcControl c) throws SQLException {
        return sessions.computeIfAbsent(key, k -> new KeptSession(connector)).get(c.source(), c.database());
    }

    private void closeSession(String key) {
        KeptSession kept = sessions.remove(key);
        if (kept != null) {
            kept.close();
        }
    }

    private void measure(JobDatabaseStream s, CdcControl c, Connection source, Values values) throws SQLException {
        Optional<SlotHealth> found = worstSlot(source, c);
        if (found.isEmpty()) {
            // Not made yet, or dropped (promote, delete, a removed database): a stream's start says so when it matters.
            following.remove(s.key());
            return;
        }
        SlotHealth slot = found.get();
        Tags tags = Tags.of(MetricLabels.JOB, c.jobId(), "database", c.database());
        values.invalidated().put(tags, slot.invalidated() ? 1.0 : 0.0);
        values.walKeepLimit().put(tags, (double) slot.maxSlotWalKeepSizeBytes());
        if (slot.invalidated()) {
            following.remove(s.key());
            s.slotInvalidated(c, slot.invalidationMessage(c.database()));
            return;
        }
        Long retained = slot.retainedWalBytes();
        if (retained != null) {
            values.retainedWal().put(tags, (double) retained);
        }
        WorkerEvent.StreamProgress report = new WorkerEvent.StreamProgress(reports.header(c), null, null, retained,
                slot.maxSlotWalKeepSizeBytes(), null, null);
        if (c.desired() != CdcControl.Desired.RUN && c.desired() != CdcControl.Desired.DRAIN) {
            following.remove(s.key());
            values.report(reports, c, report);
            return;
        }
        GroupedStream stream = s.stream();
        boolean running = stream != null && !stream.completion().isDone();
        Following f = following.get(s.key());
        AppliedPosition applied = running ? stream.position() : f != null ? f.applied : null;
        if (applied == null) {
            values.report(reports, c, report); // no stream has run here yet: its lag is not known
            return;
        }
        LagSnapshot lag = LagProbe.measure(source, c.slotName(), applied);
        if (f == null) {
            f = new Following(new HeartbeatLag(lag.sourceLsn(),
                    applied.sourceCommitTime() != null ? applied.sourceCommitTime() : lag.takenAt()), tags);
            following.put(s.key(), f);
        }
        f.applied = applied;
        double seconds = f.beats.lagSeconds(applied.commitLsn(), lag.takenAt());
        values.lagBytes().put(tags, (double) lag.lagBytes());
        values.lagSeconds().put(tags, seconds);
        String appliedLsn = applied.commitLsn().equals(Lsn.ZERO) ? null : applied.commitLsn().toString();
        values.report(reports, c, new WorkerEvent.StreamProgress(report.header(), lag.lagBytes(), seconds, retained,
                slot.maxSlotWalKeepSizeBytes(), appliedLsn, applied.unmatched()));
        if (stream != null) {
            count(f, stream);
        }
        if (running) {
            // After the report: a source that refuses the heartbeat (no right to it, a marker table gone) still gets its slot watched.
            f.beats.beat(source, c.slotName());
        }
    }

    /**
     * The job database's slots seen as one (one per replication group, docs/cdc.md): an invalidated one, else the one that
     * retains the most WAL (the source keeps what the oldest needs); empty when the job's own slot (group 0's) is not there.
     */
    private static Optional<SlotHealth> worstSlot(Connection source, CdcControl c) throws SQLException {
        Optional<SlotHealth> worst = Optional.empty();
        for (ReplicationGroups.Group g : ReplicationGroups.find(source, c.slotName(), c.publicationName())) {
            Optional<SlotHealth> slot = SlotHealth.probe(source, g.slotName());
            if (slot.isEmpty() && g.index() == 0) {
                return slot;
            }
            if (slot.isPresent() && (worst.isEmpty() || worse(slot.get(), worst.get()))) {
                worst = slot;
            }
        }
        return worst;
    }

    private static boolean worse(SlotHealth a, SlotHealth b) {
        if (a.invalidated() != b.invalidated()) {
            return a.invalidated();
        }
        long ra = a.retainedWalBytes() == null ? -1 : a.retainedWalBytes();
        long rb = b.retainedWalBytes() == null ? -1 : b.retainedWalBytes();
        return ra > rb;
    }

    /**
     * Adds what the stream applied since the last tick to the counters: a stream's own counts start at 0,
     * so a new stream (a restart here) adds all of its counts, and a stopped one its last.
     */
    private void count(Following f, GroupedStream stream) {
        CdcStream.Stats now = stream.stats();
        CdcStream.Stats before = stream == f.counted ? f.countedStats : new CdcStream.Stats(0, 0, 0, 0, 0, 0, 0);
        changesApplied.add(f.tags, now.appliedChanges() - before.appliedChanges());
        transactionsApplied.add(f.tags, now.appliedTransactions() - before.appliedTransactions());
        unmatchedChanges.add(f.tags, now.unmatchedChanges() - before.unmatchedChanges());
        f.counted = stream;
        f.countedStats = now;
    }
}
