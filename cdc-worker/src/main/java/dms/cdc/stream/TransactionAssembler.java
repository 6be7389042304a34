package dms.cdc.stream;

import dms.cdc.apply.RowChange;
import dms.cdc.apply.SourceTransaction;
import dms.cdc.apply.TableRef;
import dms.cdc.apply.TransactionPart;
import dms.common.sql.Lsn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Gathers Debezium's records into whole source transactions (docs/data-path.md, rules 3 and 4).
 *
 * <p>With provide.transaction.metadata, a transaction arrives as a BEGIN record, its change records,
 * and an END record. The END record's offset holds the transaction's own commit position:
 * {@code lsn_commit} is set from the COMMIT message (the end of the commit record, which is also
 * what the slot confirms), whereas a change record's {@code sequence} starts with the commit
 * LSN of the previous transaction. A marker ({@link dms.common.pg.WalMarker}) becomes an empty transaction:
 * from PostgreSQL 14 a non-transactional logical decoding message, at the message's LSN; before 14 a source
 * transaction that writes the slot's marker table, at its commit LSN, its token the row's. Either way, applying
 * it moves the applied position past every transaction committed before the marker was written. The marker
 * table's rows are never applied to the destination.
 *
 * <p>A transaction bigger than a part ({@link PartLimits}) is handed over in parts as it streams in, so that
 * memory holds one part, not the transaction (rule 4): a part may only hold changes that are applied whatever
 * the transaction's commit LSN, which is known only at its END. A change is such a change when its own LSN
 * (the commit comes after it) is after both the LSN up to which the stream may re-deliver transactions already
 * applied ({@code replayEnd}) and its table's sync LSN (rule 3). From the first change that is not, the rest of
 * the transaction is held until its END, as a small one is.
 *
 * <p>One instance per stream; records must be given in stream order.
 */
public final class TransactionAssembler {

    static final String LSN_COMMIT = "lsn_commit";
    static final String LSN = "lsn";

    /** What the assembler hands over: a whole transaction (or the END of one handed over in parts), or a part. */
    public sealed interface Piece<E> permits Completed, Part {}

    /**
     * A finished transaction and the record whose offset acknowledges it to the slot.
     *
     * @param afterParts parts of it were handed over before: {@code transaction} holds only the changes after them
     * @param bytes roughly the memory its changes hold, summed as they came (for the apply queue's bound)
     */
    public record Completed<E>(SourceTransaction transaction, E ackEvent, boolean afterParts, long bytes) implements Piece<E> {}

    /** The next changes of a transaction still streaming in (nothing to acknowledge before its END). */
    public record Part<E>(TransactionPart part, long bytes) implements Piece<E> {}

    /** A part is handed over when the open transaction reaches either bound. */
    public record PartLimits(int changes, long bytes) {}

    private final ChangeDecoder decoder;
    private final String markerPrefix;
    private final TableRef markerTable;
    private final Map<TableRef, Lsn> syncLsns;
    private final Lsn replayEnd;
    private final PartLimits limits;
    private List<RowChange> changes;
    private long changeBytes;
    private long xid;
    /** The open transaction's changes so far are all applied whatever its commit LSN: it may be handed in parts. */
    private boolean partable;
    private boolean parted;
    /** The token of the open transaction's last marker-table row, if it wrote one. */
    private String markerToken;

    /**
     * @param markerTable the slot's marker table (sources before PostgreSQL 14; nothing arrives from it on newer ones)
     * @param syncLsns per-table sync LSNs of the stream (rule 3), read as they are now (tables found during CDC join it)
     * @param replayEnd a transaction whose commit is at or before it may have been applied already (the stream
     *     re-delivers what was applied and not yet confirmed to the slot); {@link Lsn#ZERO} when none is re-delivered
     */
    public TransactionAssembler(ChangeDecoder decoder, String markerPrefix, TableRef markerTable, Map<TableRef, Lsn> syncLsns,
                                Lsn replayEnd, PartLimits limits) {
        this.decoder = decoder;
        this.markerPrefix = markerPrefix;
        this.markerTable = markerTable;
        this.syncLsns = syncLsns;
        this.replayEnd = replayEnd;
        this.limits = limits;
    }

    /** True while a transaction has begun and not ended. */
    public boolean inTransaction() {
        return changes != null;
    }

    public int openChanges() {
        return changes == null ? 0 : changes.size();
    }

    /** Feeds one record; returns the transaction it completes, or the part it fills, if any. */
    public <E> Optional<Piece<E>> accept(SourceRecord record, E event) {
        if (!(record.value() instanceof Struct value)) {
            return Optional.empty(); // a tombstone or a heartbeat without value
        }
        if (record.topic() != null && record.topic().endsWith(".transaction") && value.schema().field("status") != null) {
            return transactionBoundary(record, value, event);
        }
        if (value.schema().field("op") == null) {
            return Optional.empty(); // heartbeat
        }
        String op = value.getString("op");
        if ("m".equals(op)) {
            Struct message = value.getStruct("message");
            if (message == null || !markerPrefix.equals(message.getString("prefix"))) {
                return Optional.empty();
            }
            String content = new String(message.getBytes("content"), StandardCharsets.UTF_8);
            if (changes != null) {
                throw new IllegalStateException("a drain marker inside a transaction: emit it non-transactional");
            }
            Lsn lsn = offsetLsn(record.sourceOffset(), LSN_COMMIT, LSN);
            return Optional.of(new Completed<>(new SourceTransaction(0, lsn, Instant.now(), List.of(), content), event, false, 0));
        }
        if (changes == null) {
            throw new IllegalStateException("a change outside any transaction: " + record);
        }
        RowChange change = decoder.decode(value);
        if (change.table().equals(markerTable)) {
            if (change.after() != null) {
                markerToken = change.after().get("token");
            }
            return Optional.empty();
        }
        changes.add(change);
        changeBytes += change.approximateBytes();
        partable = partable && appliedWhateverTheCommit(change, record.sourceOffset());
        if (partable && (changes.size() >= limits.changes() || changeBytes >= limits.bytes())) {
            Part<E> part = new Part<>(new TransactionPart(xid, List.copyOf(changes)), changeBytes);
            changes = new ArrayList<>();
            changeBytes = 0;
            parted = true;
            return Optional.of(part);
        }
        return Optional.empty();
    }

    /** The commit LSN is after the change's own LSN: past replayEnd and the table's sync LSN, the change is applied. */
    private boolean appliedWhateverTheCommit(RowChange change, Map<String, ?> offset) {
        Object lsn = offset == null ? null : offset.get(LSN);
        if (!(lsn instanceof Number n)) {
            return false;
        }
        Lsn at = new Lsn(n.longValue());
        Lsn sync = syncLsns.get(change.table());
        return at.isAfter(replayEnd) && (sync == null || at.isAfter(sync));
    }

    private <E> Optional<Piece<E>> transactionBoundary(SourceRecord record, Struct value, E event) {
        String status = value.getString("status");
        if ("BEGIN".equals(status)) {
            if (changes != null) {
                throw new IllegalStateException("transaction " + xid + " did not end before the next began");
            }
            changes = new ArrayList<>();
            changeBytes = 0;
            partable = true;
            parted = false;
            markerToken = null;
            xid = parseXid(value.getString("id"));
            return Optional.empty();
        }
        if ("END".equals(status)) {
            if (changes == null) {
                // the END of a transaction whose BEGIN came before this stream started: nothing to apply
                return Optional.empty();
            }
            Lsn commitLsn = offsetLsn(record.sourceOffset(), LSN_COMMIT, LSN);
            Instant commitTime = value.schema().field("ts_ms") != null && value.get("ts_ms") != null
                    ? Instant.ofEpochMilli(value.getInt64("ts_ms")) : null;
            SourceTransaction tx = new SourceTransaction(xid, commitLsn, commitTime, List.copyOf(changes), markerToken);
            changes = null;
            markerToken = null;
            return Optional.of(new Completed<>(tx, event, parted, changeBytes));
        }
        throw new IllegalStateException("unknown transaction status " + status);
    }

    private static Lsn offsetLsn(Map<String, ?> offset, String key, String fallback) {
        Object v = offset == null ? null : offset.get(key);
        if (v == null && offset != null) {
            v = offset.get(fallback);
        }
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("no " + key + " in the record's offset " + offset);
        }
        return new Lsn(n.longValue());
    }

    /** Debezium's PostgreSQL transaction id is the xid, possibly followed by {@code :lsn}. */
    private static long parseXid(String id) {
        if (id == null) {
            return 0;
        }
        int colon = id.indexOf(':');
        try {
            return Long.parseLong(colon < 0 ? id : id.substring(0, colon));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
