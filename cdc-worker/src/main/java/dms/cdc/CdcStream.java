package dms.cdc;

import dms.cdc.apply.ApplyQueue;
import dms.cdc.apply.ApplyResult;
import dms.cdc.apply.SchemaDriftException;
import dms.cdc.apply.SourceTransaction;
import dms.cdc.apply.TransactionApplier;
import dms.common.pg.PgConnector;
import dms.cdc.drain.DrainMarker;
import dms.cdc.drain.DrainOverdue;
import dms.cdc.drain.DrainResult;
import dms.cdc.lag.LagProbe;
import dms.cdc.lag.LagSnapshot;
import dms.common.pg.internal.AppliedPosition;
import dms.common.pg.internal.PositionStore;
import dms.cdc.stream.ChangeDecoder;
import dms.cdc.stream.DebeziumConfig;
import dms.cdc.stream.TransactionAssembler;
import dms.cdc.stream.ValueText;
import dms.common.sql.Lsn;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.RecordChangeEvent;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class CdcStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcStream.class);

    public enum State { STREAMING, DRAINING, STOPPED, FAILED }

    /** Running counts since this stream started. */
    public record Stats(long appliedTransactions, long appliedChanges, long skippedTransactions, long skippedChanges, long applies) {}

    private record PendingDrain(String token, Lsn target, CompletableFuture<DrainResult> result) {}

    private final CdcStreamSpec spec;
    private final PgConnector connections;
    private final TransactionApplier applier;
    private final TransactionAssembler assembler;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final ExecutorService engineThread;
    /** Applies what the engine's thread assembled: the only user of the applier and of the committer. */
    private final ExecutorService applyThread;
    private final ApplyQueue<TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>>> applyQueue;
    /** The engine's committer (one per engine), kept from its first batch for the apply thread. */
    private volatile DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer;
    private final AtomicLong appliedTransactions = new AtomicLong();
    private final AtomicLong appliedChanges = new AtomicLong();
    private final AtomicLong skippedTransactions = new AtomicLong();
    private final AtomicLong skippedChanges = new AtomicLong();
    private final AtomicLong applies = new AtomicLong();
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile AppliedPosition position;
    private volatile State state = State.STREAMING;
    private volatile boolean halted;
    /** The engine has ended (its completion callback ran). */
    private volatile boolean engineEnded;
    private volatile Throwable failure;
    private volatile PendingDrain drain;
    /** Where the pending drain's marker was written. */
    private volatile Lsn drainMarker;

    private CdcStream(CdcStreamSpec spec, PgConnector connections, TransactionApplier applier) {
        this.spec = spec;
        this.connections = connections;
        this.applier = applier;
        this.position = applier.position();
        this.assembler = new TransactionAssembler(new ChangeDecoder(DebeziumConfig.UNAVAILABLE_PLACEHOLDER), DrainMarker.PREFIX);
        this.engineThread = daemonThread("dms-cdc-" + spec.slotName());
        this.applyThread = daemonThread("dms-cdc-apply-" + spec.slotName());
        // One group waiting while another is applied.
        this.applyQueue = new ApplyQueue<>(spec.options().maxChangesPerApply(), spec.options().maxQueuedBytes());
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
        Connection destination = connections.open(spec.destination(), spec.database());
        TransactionApplier applier;
        try {
            applier = new TransactionApplier(destination, new PositionStore(spec.jobId(), spec.database()), spec.syncLsns());
        } catch (SQLException | RuntimeException e) {
            destination.close();
            throw e;
        }
        CdcStream stream = new CdcStream(spec, connections, applier);
        LOG.info("CDC {}/{}: streaming slot {} (publication {}) from applied position {}", spec.jobId(), spec.database(),
                spec.slotName(), spec.publicationName(), applier.position().commitLsn());
        stream.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(DebeziumConfig.of(spec, connections))
                .notifying(stream::handleBatch)
                .using(stream::engineStopped)
                .build();
        stream.engineThread.execute(stream.engine);
        stream.applyThread.execute(stream::applyLoop);
        return stream;
    }

    public CdcStreamSpec spec() {
        return spec;
    }

    public State state() {
        return state;
    }

    /** The applied position (as committed on the destination). */
    public AppliedPosition position() {
        return position;
    }

    public Stats stats() {
        return new Stats(appliedTransactions.get(), appliedChanges.get(), skippedTransactions.get(), skippedChanges.get(), applies.get());
    }

    /** Completes when the stream has stopped: normally after stop() or a drain, exceptionally with a {@link CdcStreamException}. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** Lag against the source now (opens a short session on the source; read-only). */
    public LagSnapshot lag() throws SQLException {
        try (Connection source = connections.open(spec.source(), spec.database())) {
            return LagProbe.measure(source, spec.slotName(), position);
        }
    }

    /**
     * Applies everything the source committed up to its current WAL position, then stops the stream.
     * See {@link DrainMarker} for how the end is recognized without waiting for a change.
     */
    public synchronized CompletableFuture<DrainResult> drain() throws SQLException {
        if (drain != null && !drain.result().isDone()) {
            return drain.result();
        }
        if (halted) {
            return CompletableFuture.failedFuture(new IllegalStateException("the stream is " + state));
        }
        try (Connection source = connections.open(spec.source(), spec.database())) {
            Lsn target = DrainMarker.currentWalLsn(source);
            PendingDrain pending = new PendingDrain(DrainMarker.newToken(spec.slotName()), target, new CompletableFuture<>());
            drain = pending;
            state = State.DRAINING;
            Lsn marker = DrainMarker.emit(source, pending.token());
            drainMarker = marker;
            LOG.info("CDC {}/{}: draining up to {} (marker at {})", spec.jobId(), spec.database(), target, marker);
            completion.whenComplete((v, e) -> pending.result().completeExceptionally(
                    e != null ? e : new IllegalStateException("the stream stopped before the drain finished")));
            return pending.result();
        }
    }

    /**
     * The pending drain ran out of time: its future fails with what was seen ({@link DrainOverdue}); the
     * stream goes on, and a marker arriving later no longer stops it. False if no drain was pending
     * (none began, or it finished meanwhile).
     */
    public synchronized boolean giveUpDrain(Duration timeout) {
        PendingDrain pending = drain;
        if (pending == null || pending.result().isDone()) {
            return false;
        }
        return pending.result().completeExceptionally(DrainOverdue.markerLate(drainMarker, pending.target(), position.commitLsn(), timeout));
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
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
        completion.complete(null);
    }

    @Override
    public void close() {
        stop();
    }

    // ---- the engine's side ----

    /** The engine's thread: assembles whole transactions and queues them; the apply thread applies them. */
    private void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
                             DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        this.committer = committer;
        if (halted) {
            return; // stopping: apply nothing more, acknowledge nothing more
        }
        try {
            for (RecordChangeEvent<SourceRecord> event : events) {
                var completed = assembler.accept(event.record(), event);
                if (completed.isPresent() && !enqueue(completed.get())) {
                    return; // closed: the stream stops
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | AssertionError e) {
            failOn(e);
        }
    }

    private boolean enqueue(TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>> completed) throws InterruptedException {
        SourceTransaction tx = completed.transaction();
        return applyQueue.put(completed, tx.changes().size(), tx.approximateBytes());
    }

    /** The apply thread: applies queued transactions, several per destination transaction, until the stream halts. */
    private void applyLoop() {
        try {
            while (true) {
                var group = applyQueue.takeGroup(spec.options().maxTransactionsPerApply(), spec.options().maxChangesPerApply());
                if (group.isEmpty() || halted) {
                    return; // the queue is closed: the stream stops
                }
                apply(group);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            if (halted || engineEnded) {
                LOG.debug("CDC {}/{}: apply ended while stopping: {}", spec.jobId(), spec.database(), e.toString());
            } else {
                failOn(e);
            }
        }
    }

    private void apply(List<TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>>> group)
            throws SQLException, InterruptedException {
        List<SourceTransaction> transactions = new ArrayList<>(group.size());
        for (var c : group) {
            transactions.add(c.transaction());
        }
        ApplyResult result;
        try {
            result = applier.apply(transactions);
        } catch (SchemaDriftException e) {
            if (group.size() == 1) {
                throw e;
            }
            // Apply (and acknowledge) the transactions before the one that hit the drift, one by one, then stop.
            for (var c : group) {
                apply(List.of(c));
            }
            throw e; // not reached: the offending transaction throws above
        }
        position = result.position();
        appliedTransactions.addAndGet(result.appliedTransactions());
        appliedChanges.addAndGet(result.appliedChanges());
        skippedTransactions.addAndGet(result.skippedTransactions());
        skippedChanges.addAndGet(result.skippedChanges());
        applies.incrementAndGet();
        // Committed on the destination: now (only now) the slot may confirm it.
        committer.markProcessed(group.get(group.size() - 1).ackEvent());
        committer.markBatchFinished();
        PendingDrain pending = drain;
        if (pending != null && transactions.stream().anyMatch(t -> pending.token().equals(t.drainMarker()))) {
            drained(pending);
        }
    }

    /** The marker arrived: the stream stops there, unless the drain was given up meanwhile (then it goes on). */
    private synchronized void drained(PendingDrain pending) {
        if (pending.result().isDone()) {
            LOG.info("CDC {}/{}: drain marker applied after the drain was given up; streaming on", spec.jobId(), spec.database());
            return;
        }
        LOG.info("CDC {}/{}: drained to {} (target {})", spec.jobId(), spec.database(), position.commitLsn(), pending.target());
        halt();
        pending.result().complete(new DrainResult(pending.target(), position.commitLsn()));
        CompletableFuture.runAsync(this::stop);
    }

    /** Stops the stream as FAILED, with a message that says what went wrong in the user's terms. */
    private void failOn(Throwable e) {
        String prefix = "CDC " + spec.jobId() + "/" + spec.database() + " stopped";
        if (e instanceof SchemaDriftException) {
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
        LOG.error(e.getMessage(), e);
        failure = e;
        halt();
        state = State.FAILED;
        CompletableFuture.runAsync(() -> {
            closeEngine();
            awaitEngine(Duration.ofSeconds(60));
            completion.completeExceptionally(e);
        });
    }

    /** Applies nothing more: the apply thread ends after the group it may be applying, the engine's thread stops queueing. */
    private void halt() {
        halted = true;
        applyQueue.close();
    }

    private void engineStopped(boolean success, String message, Throwable error) {
        engineEnded = true;
        // The engine has ended: nothing more arrives. The apply thread finishes what it applies, then the applier closes.
        applyQueue.close();
        awaitApplyThread(Duration.ofSeconds(60));
        applier.close();
        if (failure != null) {
            completion.completeExceptionally(failure);
            return;
        }
        if (!success && !halted) {
            state = State.FAILED;
            CdcStreamException e = new CdcStreamException("CDC " + spec.jobId() + "/" + spec.database()
                    + " stopped: the source stream failed: " + message + (error == null ? "" : ": " + rootMessage(error)), error);
            LOG.error(e.getMessage(), error);
            failure = e;
            completion.completeExceptionally(e);
            return;
        }
        halted = true;
        state = State.STOPPED;
        completion.complete(null);
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
                if (System.nanoTime() > deadline || engineEnded) {
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
