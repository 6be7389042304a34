package dms.cdc.stream;

import dms.cdc.apply.RowChange;
import dms.cdc.apply.SourceTransaction;
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
 * LSN of the previous transaction. A drain marker (a non-transactional logical decoding message,
 * see {@link dms.cdc.promote.DrainMarker}) becomes an empty transaction at the marker's LSN: applying
 * it moves the applied position past every transaction committed before it.
 *
 * <p>One instance per stream; records must be given in stream order.
 */
public final class TransactionAssembler {

    static final String LSN_COMMIT = "lsn_commit";
    static final String LSN = "lsn";

    /** A finished transaction and the record whose offset acknowledges it to the slot. */
    public record Completed<E>(SourceTransaction transaction, E ackEvent) {}

    private final ChangeDecoder decoder;
    private final String markerPrefix;
    private List<RowChange> changes;
    private long xid;

    public TransactionAssembler(ChangeDecoder decoder, String markerPrefix) {
        this.decoder = decoder;
        this.markerPrefix = markerPrefix;
    }

    /** True while a transaction has begun and not ended. */
    public boolean inTransaction() {
        return changes != null;
    }

    public int openChanges() {
        return changes == null ? 0 : changes.size();
    }

    /** Feeds one record; returns the transaction it completes, if any. */
    public <E> Optional<Completed<E>> accept(SourceRecord record, E event) {
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
            return Optional.of(new Completed<>(new SourceTransaction(0, lsn, Instant.now(), List.of(), content), event));
        }
        if (changes == null) {
            throw new IllegalStateException("a change outside any transaction: " + record);
        }
        changes.add(decoder.decode(value));
        return Optional.empty();
    }

    private <E> Optional<Completed<E>> transactionBoundary(SourceRecord record, Struct value, E event) {
        String status = value.getString("status");
        if ("BEGIN".equals(status)) {
            if (changes != null) {
                throw new IllegalStateException("transaction " + xid + " did not end before the next began");
            }
            changes = new ArrayList<>();
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
            SourceTransaction tx = new SourceTransaction(xid, commitLsn, commitTime, List.copyOf(changes), null);
            changes = null;
            return Optional.of(new Completed<>(tx, event));
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
