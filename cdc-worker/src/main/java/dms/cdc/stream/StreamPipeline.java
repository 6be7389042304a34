package dms.cdc.stream;

import dms.cdc.apply.ApplyQueue;
import dms.cdc.apply.ApplyResult;
import dms.cdc.apply.SchemaDriftException;
import dms.cdc.apply.SourceTransaction;
import dms.cdc.apply.TableRef;
import dms.cdc.apply.TransactionApplier;
import dms.cdc.newtables.NewTables;
import dms.common.pg.WalMarker;
import dms.common.pg.internal.AppliedPosition;
import dms.common.sql.Lsn;
import dms.cdc.promote.DrainMarker;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of one stream: the engine's thread assembles whole source transactions and
 * queues them ({@link #accept}); the apply thread ({@link #applyLoop}) applies them, several per
 * destination transaction, and only then acknowledges them to the slot. A big transaction is queued
 * and applied in parts, in one destination transaction that commits at its END (see
 * {@link TransactionAssembler}), so memory holds a few parts whatever its size. What to do on a failure
 * or on an applied drain marker is the {@link CdcStream}'s: it is told through {@link Listener}.
 */
final class StreamPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPipeline.class);
    /** An idle apply thread wakes this often to see whether a round of {@link NewTables} is due. */
    private static final long NEW_TABLES_WAKE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    interface Listener {
        /** Applying or decoding failed: the stream must stop as failed. */
        void failed(Throwable e);

        /** A group of transactions is committed on the destination and acknowledged. */
        void applied(List<SourceTransaction> group);
    }

    private final CdcStreamSpec spec;
    private final TransactionApplier applier;
    private final NewTables newTables;
    private final StreamLifecycle lifecycle;
    private final Listener listener;
    private final TransactionAssembler assembler;
    private final ApplyQueue<TransactionAssembler.Piece<RecordChangeEvent<SourceRecord>>> applyQueue;
    /** The engine's committer (one per engine), kept from its first batch for the apply thread. */
    private volatile DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer;
    private volatile AppliedPosition position;
    private final AtomicLong appliedTransactions = new AtomicLong();
    private final AtomicLong appliedChanges = new AtomicLong();
    private final AtomicLong skippedTransactions = new AtomicLong();
    private final AtomicLong skippedChanges = new AtomicLong();
    private final AtomicLong applies = new AtomicLong();
    private final AtomicLong appliedParts = new AtomicLong();
    private final AtomicLong unmatchedChanges = new AtomicLong();

    /**
     * @param replayEnd see {@link TransactionAssembler}
     * @param syncLsns the stream's sync LSNs, shared by the assembler, the applier and {@code newTables}
     */
    StreamPipeline(CdcStreamSpec spec, TransactionApplier applier, Lsn replayEnd, Map<TableRef, Lsn> syncLsns, NewTables newTables,
                   StreamLifecycle lifecycle, Listener listener) {
        this.spec = spec;
        this.applier = applier;
        this.newTables = newTables;
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.position = applier.position();
        this.assembler = new TransactionAssembler(new ChangeDecoder(DebeziumConfig.UNAVAILABLE_PLACEHOLDER), DrainMarker.PREFIX,
                new TableRef(WalMarker.SCHEMA, WalMarker.table(spec.group().jobSlot())), syncLsns, replayEnd, spec.options().partLimits());
        // One group waiting while another is applied.
        this.applyQueue = new ApplyQueue<>(spec.options().maxChangesPerApply(), spec.options().maxQueuedBytes());
    }

    AppliedPosition position() {
        return position;
    }

    CdcStream.Stats stats() {
        return new CdcStream.Stats(appliedTransactions.get(), appliedChanges.get(), skippedTransactions.get(), skippedChanges.get(), applies.get(),
                appliedParts.get(), unmatchedChanges.get());
    }

    /** Takes nothing more: the apply thread ends after the group it may be applying, the engine's thread stops queueing. */
    void close() {
        applyQueue.close();
        newTables.close();
    }

    /** Closes the destination connection (after the apply thread has ended). */
    void closeApplier() {
        applier.close();
    }

    /** The engine's thread: assembles whole transactions and queues them. */
    void accept(List<RecordChangeEvent<SourceRecord>> events,
                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        this.committer = committer;
        if (lifecycle.halted()) {
            return; // stopping: apply nothing more, acknowledge nothing more
        }
        try {
            for (RecordChangeEvent<SourceRecord> event : events) {
                var piece = assembler.accept(event.record(), event);
                if (piece.isPresent() && !enqueue(piece.get())) {
                    return; // closed: the stream stops
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | AssertionError e) {
            listener.failed(e);
        }
    }

    private boolean enqueue(TransactionAssembler.Piece<RecordChangeEvent<SourceRecord>> piece) throws InterruptedException {
        if (piece instanceof TransactionAssembler.Part<RecordChangeEvent<SourceRecord>> p) {
            return applyQueue.putAlone(piece, p.part().changes().size(), p.bytes());
        }
        var completed = (TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>>) piece;
        int changes = completed.transaction().changes().size();
        // The END of a transaction applied in parts commits alone: its parts are in no other destination transaction.
        // Its bytes were summed as its changes came: going over every value again cost 1-2% of the worker's CPU.
        return completed.afterParts()
                ? applyQueue.putAlone(piece, changes, completed.bytes())
                : applyQueue.put(piece, changes, completed.bytes());
    }

    /** The apply thread: applies queued transactions, several per destination transaction, until the stream halts. */
    void applyLoop() {
        try {
            while (!lifecycle.halted()) {
                if (!applier.inPartialTransaction()) {
                    // Between destination transactions: tables created on the source join the stream here.
                    newTables.runIfDue();
                }
                var group = applyQueue.takeGroup(spec.options().maxTransactionsPerApply(), spec.options().maxChangesPerApply(),
                        NEW_TABLES_WAKE_NANOS);
                if (group == null) {
                    continue; // nothing to apply: a table newTables found may wait for its copy
                }
                if (group.isEmpty() || lifecycle.halted()) {
                    return; // the queue is closed: the stream stops
                }
                if (group.get(0) instanceof TransactionAssembler.Part<RecordChangeEvent<SourceRecord>> part) {
                    applier.applyPart(part.part()); // alone in its group (putAlone); committed with its END
                    appliedParts.incrementAndGet();
                } else {
                    apply(completed(group));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            if (lifecycle.halted()) {
                LOG.debug("CDC {}/{}: apply ended while stopping: {}", spec.jobId(), spec.database(), e.toString());
            } else {
                listener.failed(e);
            }
        }
    }

    private static List<TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>>> completed(
            List<TransactionAssembler.Piece<RecordChangeEvent<SourceRecord>>> group) {
        List<TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>>> out = new ArrayList<>(group.size());
        for (var piece : group) {
            out.add((TransactionAssembler.Completed<RecordChangeEvent<SourceRecord>>) piece);
        }
        return out;
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
        unmatchedChanges.addAndGet(result.unmatchedChanges());
        applies.incrementAndGet();
        // Committed on the destination: now (only now) the slot may confirm it.
        committer.markProcessed(group.get(group.size() - 1).ackEvent());
        committer.markBatchFinished();
        listener.applied(transactions);
    }
}
