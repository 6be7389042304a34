package dms.cdc.stream;

import dms.cdc.apply.TableRef;
import dms.common.messages.ConnectionProfile;
import dms.common.sql.Lsn;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a CDC stream of one job database needs.
 *
 * @param slotName the job's logical slot (pgoutput) on the source, created by the dump
 * @param publicationName the job's publication, created by the dump
 * @param syncLsns per-table sync LSNs: a change to a table in a transaction that committed at or
 *     before the table's sync LSN is skipped (tables copied at a later snapshot than the slot's); empty
 *     when every table was copied at the slot's snapshot
 * @param options tuning; {@link Options#DEFAULTS} fits
 */
public record CdcStreamSpec(String jobId, String database, String slotName, String publicationName, ConnectionProfile source,
                            ConnectionProfile destination, Map<TableRef, Lsn> syncLsns, Options options) {

    public CdcStreamSpec {
        syncLsns = syncLsns == null ? Map.of() : Map.copyOf(syncLsns);
        options = options == null ? Options.DEFAULTS : options;
    }

    /**
     * @param maxTransactionsPerApply source transactions applied in one destination transaction, at most
     * @param maxChangesPerApply changes applied in one destination transaction before it commits; also the size
     *     of a part of a bigger source transaction, which is applied part by part and still commits whole, alone
     * @param maxQueuedBytes approximate bytes of changes waiting to be applied (the apply queue), at most: with
     *     rows of 100 KB, counts alone would let gigabytes pile up. A part of a big transaction holds a quarter of
     *     it at most. Debezium's own queue is bounded by count only ({@link DebeziumConfig})
     * @param maxBatchSize Debezium's max.batch.size (records per poll)
     * @param pollIntervalMs Debezium's poll.interval.ms: how long its reader sleeps after finding no message (also
     *     how long a poll waits for a fuller batch); at 50 ms the walsender sat blocked on a full socket during
     *     those sleeps and a backlog applied ~10% slower than at 5 ms
     * @param workDir where Debezium may keep files (none today: offsets are in memory); may be null
     */
    public record Options(int maxTransactionsPerApply, int maxChangesPerApply, long maxQueuedBytes, int maxBatchSize,
                          int pollIntervalMs, Path workDir) {
        /**
         * 128 MB of queued changes, less in a small heap (a sixth of it): Debezium's queue and the apply
         * queue may each hold that much, with a part being assembled and one being applied besides.
         */
        public static final Options DEFAULTS = new Options(1000, 20_000,
                Math.min(128L << 20, Runtime.getRuntime().maxMemory() / 6), 4096, 5, null);

        /** Where a big source transaction is cut into parts (see {@code TransactionAssembler}). */
        public TransactionAssembler.PartLimits partLimits() {
            return new TransactionAssembler.PartLimits(maxChangesPerApply, Math.max(1, maxQueuedBytes / 4));
        }
    }
}
