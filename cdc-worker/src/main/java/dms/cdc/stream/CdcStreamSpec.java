package dms.cdc.stream;

import dms.cdc.apply.TableRef;
import dms.common.messages.ConnectionProfile;
import dms.common.sql.Lsn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a CDC stream of one job database (of one of its replication groups) needs.
 *
 * @param slotName the stream's logical slot (pgoutput) on the source, created by the dump: the job's, or its group's
 * @param publicationName the stream's publication, created by the dump: the job's, or its group's
 * @param syncLsns per-table sync LSNs: a change to a table in a transaction that committed at or
 *     before the table's sync LSN is skipped (tables copied at a later snapshot than the slot's); empty
 *     when every table was copied at the slot's snapshot
 * @param options tuning; {@link Options#DEFAULTS} fits
 * @param group which of the job database's replication groups this stream is (null: the only one)
 */
public record CdcStreamSpec(String jobId, String database, String slotName, String publicationName, ConnectionProfile source,
                            ConnectionProfile destination, Map<TableRef, Lsn> syncLsns, Options options, Group group) {

    public CdcStreamSpec {
        syncLsns = syncLsns == null ? Map.of() : Map.copyOf(syncLsns);
        options = options == null ? Options.DEFAULTS : options;
        group = group == null ? Group.only(slotName, publicationName) : group;
    }

    /** The stream of a job database with one replication group. */
    public CdcStreamSpec(String jobId, String database, String slotName, String publicationName, ConnectionProfile source,
                         ConnectionProfile destination, Map<TableRef, Lsn> syncLsns, Options options) {
        this(jobId, database, slotName, publicationName, source, destination, syncLsns, options, null);
    }

    /**
     * One replication group among the job database's (docs/cdc.md, "Parallel CDC").
     *
     * @param index 0 to count - 1; its applied position is its own ({@code PositionStore} of the group)
     * @param jobSlot the job's own slot name (group 0's): it names the markers and, before PostgreSQL 14, the one
     *     marker table that is in every group's publication, so that one marker reaches every group
     * @param publications every group's publication, in group order: a table in none of them is new
     */
    public record Group(int index, String jobSlot, List<String> publications) {
        public Group {
            publications = List.copyOf(publications);
        }

        static Group only(String slotName, String publicationName) {
            return new Group(0, slotName, List.of(publicationName));
        }

        public int count() {
            return publications.size();
        }

        /**
         * Whether a table created during CDC is this group's to take: a stable hash of its name, so that exactly one
         * group's stream adds it to its publication, whichever worker runs it.
         */
        public boolean takes(TableRef table) {
            return Math.floorMod((table.schema() + "." + table.name()).hashCode(), count()) == index;
        }
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
