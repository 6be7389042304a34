package dms.cdc.stream;

import dms.cdc.apply.SchemaDriftException;
import dms.cdc.apply.SourceTransaction;
import dms.cdc.apply.TableRef;
import dms.cdc.apply.TransactionApplier;
import dms.cdc.newtables.NewTables;
import dms.common.pg.PgConnector;
import dms.cdc.promote.DrainMarker;
import dms.cdc.promote.DrainOverdue;
import dms.cdc.promote.DrainResult;
import dms.cdc.lag.LagProbe;
import dms.cdc.lag.LagSnapshot;
import dms.common.pg.internal.AppliedPosition;
import dms.common.pg.internal.PositionStore;
import dms.common.sql.Lsn;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.RecordChangeEvent;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDC stream of one job database: Debezium embedded reads the job's slot, whole source
 * transactions are applied to the destination with their position (see {@link TransactionApplier}),
 * and only then acknowledged to the slot.
 *
 * <pre>
 *   CdcStream stream = CdcStream.start(spec, connections);   // streams until stopped
 *   stream.lag();                                            // lag in bytes and seconds, slot's retained WAL
 *   stream.drain().get();                                    // promote: apply up to the source's current LSN, then stop
 *   stream.stop();                                           // or: halt; restart later with start(spec, ...)
 *   stream.completion()                                      // completes when stopped; exceptionally (CdcStreamException) on failure
 * </pre>
 *
 * Restartable: a new stream on the same spec resumes from the position stored on the destination.
 * The data path is the {@link StreamPipeline}; where the stream is in its life (streaming, draining,
 * stopping, failed) is its {@link StreamLifecycle}.
 */
public final class CdcStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcStream.class);

    /**
     * Running counts since this stream started.
     *
     * @param appliedParts parts of big transactions applied ahead of their END (see {@link TransactionAssembler})
     * @param unmatchedChanges updates and deletes that found no row on the destination
     */
    public record Stats(long appliedTransactions, long appliedChanges, long skippedTransactions, long skippedChanges, long applies,
                        long appliedParts, long unmatchedChanges) {

        /** Both streams' counts together (a database's replication groups). */
        public Stats plus(Stats o) {
            return new Stats(appliedTransactions + o.appliedTransactions, appliedChanges + o.appliedChanges,
                    skippedTransactions + o.skippedTransactions, skippedChanges + o.skippedChanges, applies + o.applies,
                    appliedParts + o.appliedParts, unmatchedChanges + o.unmatchedChanges);
        }
    }

    private record PendingDrain(String token, Lsn target, CompletableFuture<DrainResult> result) {}

    private final CdcStreamSpec spec;
    private final PgConnector connections;
    private final StreamLifecycle lifecycle = new StreamLifecycle();
    private final StreamPipeline pipeline;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final ExecutorService engineThread;
    /** Runs the pipeline's apply loop: the only user of the applier and of the committer. */
    private final ExecutorService applyThread;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile PendingDrain drain;
    /** Where the pending drain's marker was written. */
    private volatile Lsn drainMarker;

    private CdcStream(CdcStreamSpec spec, PgConnector connections, TransactionApplier applier, Lsn replayEnd, Map<TableRef, Lsn> syncLsns,
                      NewTables newTables) {
        this.spec = spec;
        this.connections = connections;
        this.pipeline = new StreamPipeline(spec, applier, replayEnd, syncLsns, newTables, lifecycle, new StreamPipeline.Listener() {
            @Override
            public void failed(Throwable e) {
                failOn(e);
            }

            @Override
            public void applied(List<SourceTransaction> group) {
                PendingDrain pending = drain;
                if (pending != null && group.stream().anyMatch(t -> pending.token().equals(t.drainMarker()))) {
                    drained(pending);
                }
            }
        });
        this.engineThread = daemonThread("dms-cdc-" + spec.slotName());
        this.applyThread = daemonThread("dms-cdc-apply-" + spec.slotName());
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to the destination (reads the applied position, creating {@code dms_internal}
     * if needed) and starts streaming from the slot. Returns at once; failures show in {@link #completion()}.
     */
    public static CdcStream start(CdcStreamSpec spec, PgConnector connections) throws SQLException {
        return start(spec, connections, NewTables.Options.DISABLED);
    }

    /** As {@link #start(CdcStreamSpec, PgConnector)}, taking in the tables created on the source during CDC. */
    public static CdcStream start(CdcStreamSpec spec, PgConnector connections, NewTables.Options newTableOptions) throws SQLException {
        SessionPair sessions = SessionPair.open(connections, spec.source(), spec.destination(), spec.database());
        try (Connection source = sessions.source()) {
            return start(spec, connections, newTableOptions, source, sessions.destination());
        }
    }

    /**
     * As {@link #start(CdcStreamSpec, PgConnector, NewTables.Options)}, on sessions already open: {@code source} is only
     * read from (and left open), {@code destination} becomes the applier's (closed if the start fails).
     */
    static CdcStream start(CdcStreamSpec spec, PgConnector connections, NewTables.Options newTableOptions, Connection source,
                           Connection destination) throws SQLException {
        TransactionApplier applier;
        Lsn replayEnd;
        // Shared by the reading and the applying thread; a table copied during CDC joins it.
        Map<TableRef, Lsn> syncLsns = new ConcurrentHashMap<>(spec.syncLsns());
        NewTables newTables = new NewTables(spec, connections, syncLsns, newTableOptions);
        try {
            applier = new TransactionApplier(destination, new PositionStore(spec.jobId(), spec.database(), spec.group().index()), syncLsns);
            replayEnd = ReplayEnd.of(source, spec.slotName(), applier.position().commitLsn());
            newTables.beforeStreaming(source);
        } catch (SQLException | RuntimeException e) {
            destination.close();
            throw e;
        }
        CdcStream stream = new CdcStream(spec, connections, applier, replayEnd, syncLsns, newTables);
        LOG.info("CDC {}/{}: streaming slot {} (publication {}) from applied position {}", spec.jobId(), spec.database(),
                spec.slotName(), spec.publicationName(), applier.position().commitLsn());
        stream.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(DebeziumConfig.of(spec, connections))
                .notifying(stream.pipeline::accept)
                .using(stream::engineStopped)
                .build();
        stream.engineThread.execute(stream.engine);
        stream.applyThread.execute(stream.pipeline::applyLoop);
        newTables.startFinding();
        return stream;
    }

    public CdcStreamSpec spec() {
        return spec;
    }

    public StreamLifecycle.State state() {
        return lifecycle.state();
    }

    /** The applied position (as committed on the destination). */
    public AppliedPosition position() {
        return pipeline.position();
    }

    public Stats stats() {
        return pipeline.stats();
    }

    /** Completes when the stream has stopped: normally after stop() or a drain, exceptionally with a {@link CdcStreamException}. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** Lag against the source now (opens a short session on the source; read-only). */
    public LagSnapshot lag() throws SQLException {
        try (Connection source = connections.open(spec.source(), spec.database())) {
            return LagProbe.measure(source, spec.slotName(), pipeline.position());
        }
    }

    /**
     * Applies everything the source committed up to its current WAL position, then stops the stream.
     * See {@link DrainMarker} for how the end is recognized without waiting for a change.
     */
    public CompletableFuture<DrainResult> drain() throws SQLException {
        return drain(List.of(this), connections);
    }

    /**
     * Drains {@code streams}, the streams of one job database's replication groups, to ONE marker: each is told the
     * marker's token first, then the marker is written once; it reaches every group's stream (docs/cdc.md, Markers),
     * and each stops once it applied it. Completes when all have; the applied position is the lowest.
     */
    static CompletableFuture<DrainResult> drain(List<CdcStream> streams, PgConnector connections) throws SQLException {
        CdcStreamSpec first = streams.get(0).spec;
        try (Connection source = connections.open(first.source(), first.database())) {
            Lsn target = DrainMarker.currentWalLsn(source);
            String token = DrainMarker.newToken(first.group().jobSlot());
            List<CompletableFuture<DrainResult>> results = new java.util.ArrayList<>();
            for (CdcStream s : streams) {
                results.add(s.expectDrainMarker(token, target));
            }
            Lsn marker = DrainMarker.emit(source, first.group().jobSlot(), token);
            streams.forEach(s -> s.drainMarker = marker);
            LOG.info("CDC {}/{}: draining {} stream(s) up to {} (marker at {})", first.jobId(), first.database(), streams.size(), target,
                    marker);
            return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> new DrainResult(target,
                    results.stream().map(CompletableFuture::join).map(DrainResult::appliedLsn).min(Lsn::compareTo).orElseThrow()));
        }
    }

    /** Stops at the marker {@code token}, which the caller writes next (before: this stream could pass it unawares). */
    private synchronized CompletableFuture<DrainResult> expectDrainMarker(String token, Lsn target) {
        if (drain != null && !drain.result().isDone()) {
            return drain.result();
        }
        if (lifecycle.halted()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the stream is " + lifecycle.state()));
        }
        PendingDrain pending = new PendingDrain(token, target, new CompletableFuture<>());
        drain = pending;
        lifecycle.moveTo(StreamLifecycle.State.DRAINING);
        completion.whenComplete((v, e) -> pending.result().completeExceptionally(
                e != null ? e : new IllegalStateException("the stream stopped before the drain finished")));
        return pending.result();
    }

    /**
     * The pending drain ran out of time: its future fails with what was seen ({@link DrainOverdue}); the
     * stream goes on streaming, and a marker arriving later no longer stops it. False if no drain was
     * pending (none began, or it finished meanwhile).
     */
    public synchronized boolean giveUpDrain(Duration timeout) {
        PendingDrain pending = drain;
        if (pending == null || pending.result().isDone()) {
            return false;
        }
        lifecycle.moveTo(StreamLifecycle.State.STREAMING);
        return pending.result().completeExceptionally(
                DrainOverdue.markerLate(drainMarker, pending.target(), pipeline.position().commitLsn(), timeout));
    }

    /** Stops streaming (what is applied stays applied; the rest stays in the slot) and waits for the engine to end. */
    public void stop() {
        if (completion.isDone()) {
            return;
        }
        halt();
        closeEngine();
        awaitEngine(Duration.ofSeconds(60));
        awaitApplyThread(Duration.ofSeconds(60));
        lifecycle.moveTo(StreamLifecycle.State.STOPPED); // if the engine did not say it ended
        completion.complete(null);
    }

    @Override
    public void close() {
        stop();
    }

    /** The marker arrived: the stream stops there, unless the drain was given up meanwhile (then it goes on). */
    private synchronized void drained(PendingDrain pending) {
        if (pending.result().isDone()) {
            LOG.info("CDC {}/{}: drain marker applied after the drain was given up; streaming on", spec.jobId(), spec.database());
            return;
        }
        Lsn applied = pipeline.position().commitLsn();
        LOG.info("CDC {}/{}: drained to {} (target {})", spec.jobId(), spec.database(), applied, pending.target());
        halt();
        pending.result().complete(new DrainResult(pending.target(), applied));
        CompletableFuture.runAsync(this::stop);
    }

    /** Stops the stream as FAILED, with a message that says what went wrong in the user's terms. */
    private void failOn(Throwable e) {
        String prefix = "CDC " + spec.jobId() + "/" + spec.database() + " stopped";
        if (e instanceof SchemaDriftException) {
            fail(new CdcStreamException(prefix + ": " + e.getMessage(), e));
        } else if (e instanceof NewTables.SourceFailed) {
            fail(new CdcStreamException(prefix + ": " + e.getMessage(), e));
        } else if (e instanceof ValueText.UnsupportedValueException) {
            fail(new CdcStreamException(prefix + ": cannot apply a value: " + e.getMessage(), e));
        } else if (e instanceof SQLException sql) {
            String what = sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    ? "the destination is unreachable" : "applying to the destination failed";
            fail(new CdcStreamException(prefix + ": " + what + " (SQLSTATE " + sql.getSQLState() + "): " + e.getMessage(), e));
        } else {
            // pgjdbc's own assertions (-ea) fire when the destination connection breaks mid-call
            fail(new CdcStreamException(prefix + " while applying to the destination: " + e, e));
        }
    }

    private void fail(CdcStreamException e) {
        if (!lifecycle.fail(e)) {
            LOG.debug("CDC {}/{}: {} while stopping", spec.jobId(), spec.database(), e.getMessage());
            return;
        }
        LOG.error(e.getMessage(), e);
        pipeline.close();
        CompletableFuture.runAsync(() -> {
            closeEngine();
            awaitEngine(Duration.ofSeconds(60));
            completion.completeExceptionally(e);
        });
    }

    /** Applies nothing more: the apply thread ends after the group it may be applying, the engine's thread stops queueing. */
    private void halt() {
        lifecycle.moveTo(StreamLifecycle.State.STOPPING);
        pipeline.close();
    }

    /**
     * The engine has ended: nothing more arrives, nothing more is applied (what is queued and not
     * acknowledged stays in the slot). The apply thread finishes its group, then the applier closes.
     */
    private void engineStopped(boolean success, String message, Throwable error) {
        CdcStreamException ended = success ? null : new CdcStreamException("CDC " + spec.jobId() + "/" + spec.database()
                + " stopped: the source stream failed: " + message + (error == null ? "" : ": " + rootMessage(error)), error);
        CdcStreamException failure = lifecycle.engineEnded(success, ended);
        pipeline.close();
        awaitApplyThread(Duration.ofSeconds(60));
        pipeline.closeApplier();
        if (failure == null) {
            completion.complete(null);
            return;
        }
        if (failure == ended) {
            LOG.error(failure.getMessage(), error);
        }
        completion.completeExceptionally(failure);
    }

    private void awaitApplyThread(Duration timeout) {
        awaitEnd(applyThread, "the apply", timeout);
    }

    /**
     * Closes the engine. The async engine refuses while its task is still starting ("Cannot stop engine
     * while tasks are starting"): a stop right after a start asks again until the task is up, else the
     * engine would run on, holding the slot, until the wait below gives up.
     */
    private void closeEngine() {
        if (engine == null) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline || lifecycle.ended()) {
                    LOG.warn("CDC {}/{}: closing the engine: {}", spec.jobId(), spec.database(), e.toString());
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("CDC {}/{}: closing the engine: {}", spec.jobId(), spec.database(), e.toString());
                return;
            }
        }
    }

    private void awaitEngine(Duration timeout) {
        awaitEnd(engineThread, "the engine", timeout);
    }

    private void awaitEnd(ExecutorService thread, String what, Duration timeout) {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("CDC {}/{}: {} did not end within {}", spec.jobId(), spec.database(), what, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (cause: " + root + ")";
    }
}
