package dms.dump.verify;

import dms.common.messages.TableCheck;
import dms.common.pg.WalMarker;
import dms.common.pg.internal.PositionStore;
import dms.common.sql.Lsn;
import dms.common.verify.KeyChunks;
import dms.common.verify.KeyRange;
import dms.common.verify.TableChecksum;
import dms.common.verify.TableChecksum.Checksum;
import dms.dump.catalog.TableInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Compares one table on both sides, a chunk of {@code chunkRows} rows in primary-key order at a
 * time: under a fresh source snapshot, the chunk's key range, count and md5; then the same range
 * on the destination. While CDC runs, a marker written into the source's WAL right after the
 * snapshot is waited for on the destination first (its applied position passes it), and a chunk
 * that differs is compared again under a newer snapshot, since rows changed on the source while
 * the destination applied past the snapshot differ for a moment without being wrong.
 */
final class TableComparison {

    /** Comparisons of a differing chunk while CDC runs, before it is reported as differing. */
    static final int LIVE_ATTEMPTS = 3;

    /** How one database is compared. */
    record Settings(String jobId, String database, String slotName, String markerToken, boolean live, int chunkRows,
                    Duration catchUpTimeout, int groups) {}

    /** The destination did not apply the source's position in time: the table cannot be compared now. */
    static final class NotCaughtUp extends Exception {
        NotCaughtUp(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code upTo} null: the open-ended tail, after the last key the source had. */
    private record Chunk(List<String> upTo, Checksum source, Checksum destination) {
        boolean equal() {
            return source.equals(destination);
        }
    }

    private final Connection source;
    private final Connection markers;
    private final Connection destination;
    private final Settings settings;

    /** @param markers a source session of its own that writes the markers while CDC runs (unused otherwise) */
    TableComparison(Connection source, Connection markers, Connection destination, Settings settings) {
        this.source = source;
        this.markers = markers;
        this.destination = destination;
        this.settings = settings;
    }

    TableCheck compare(TableInfo table) throws SQLException, InterruptedException, NotCaughtUp {
        if (!existsOnDestination(table)) {
            return check(table, TableCheck.Result.DIFFERS, null, null, 0, "missing on the destination");
        }
        List<String> key = table.primaryKey();
        // The chunks end at the last key the table has now: a table the source keeps adding to is not chased.
        List<String> end = key.isEmpty() ? null : KeyChunks.lastKey(source, table.schema(), table.name(), key, null);
        long sourceRows = 0;
        long destinationRows = 0;
        int chunks = 0;
        KeyRange firstDiffering = null;
        List<String> after = null;
        do {
            Chunk chunk = null;
            for (int attempt = 1; attempt <= (settings.live() ? LIVE_ATTEMPTS : 1); attempt++) {
                boolean tailAgain = chunk != null && chunk.upTo() == null && !key.isEmpty();
                chunk = tailAgain ? compareTailDestinationFirst(table, key, after, end) : compareChunk(table, key, after, end);
                if (chunk.equal()) {
                    break;
                }
            }
            chunks++;
            sourceRows += chunk.source().rows();
            destinationRows += chunk.destination().rows();
            if (!chunk.equal() && firstDiffering == null) {
                firstDiffering = new KeyRange(after, chunk.upTo());
            }
            after = chunk.upTo();
        } while (after != null);
        String how = key.isEmpty() ? "no primary key: compared whole in one query" : null;
        if (firstDiffering == null) {
            return check(table, TableCheck.Result.EQUAL, sourceRows, destinationRows, chunks, how);
        }
        String detail = (key.isEmpty() ? "rows differ" : "first difference in " + String.join(", ", key) + " "
                + firstDiffering.toString().substring("key in ".length()))
                + (table.publishable() ? "" : "; not replicated by CDC (" + (table.unlogged() ? "unlogged" : "no replica identity")
                + "): changes after its copy are not applied")
                + (how == null ? "" : "; " + how);
        return check(table, TableCheck.Result.DIFFERS, sourceRows, destinationRows, chunks, detail);
    }

    /** One chunk: the source under a snapshot of its own, then the destination once it has applied that snapshot. */
    private Chunk compareChunk(TableInfo table, List<String> key, List<String> after, List<String> end)
            throws SQLException, InterruptedException, NotCaughtUp {
        List<String> upTo;
        Checksum atSource;
        Lsn marker = null;
        source.setAutoCommit(false);
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            if (settings.live()) {
                // The first statement takes the transaction's snapshot; the marker is written after it, by a session
                // of its own: before PostgreSQL 14 a marker is a row committed in a transaction of its own.
                try (Statement st = source.createStatement()) {
                    st.execute("SELECT 1");
                }
                marker = WalMarker.emit(markers, settings.slotName(), settings.markerToken());
            }
            if (end == null || end.equals(after)) {
                upTo = null; // the open tail after the end (or a table without key, or empty at the start)
            } else {
                upTo = KeyChunks.nextBound(source, table.schema(), table.name(), key, new KeyRange(after, end), settings.chunkRows());
                if (upTo == null) {
                    upTo = end; // the last chunk ends at the end, so rows added since stay out of both sides
                }
            }
            atSource = TableChecksum.of(source, table.schema(), table.name(), key, new KeyRange(after, upTo));
        } finally {
            source.rollback();
            source.setAutoCommit(true);
        }
        // The marker reaches every replication group's stream: the chunk's rows may be in any of them.
        if (marker != null && !PositionStore.awaitGroups(destination, settings.jobId(), settings.database(), settings.groups(), marker,
                settings.catchUpTimeout())) {
            throw new NotCaughtUp("the destination did not apply the source's position " + marker + " within "
                    + settings.catchUpTimeout().toSeconds() + " s (CDC lag, or CDC stopped)");
        }
        Checksum atDestination = TableChecksum.of(destination, table.schema(), table.name(), key, new KeyRange(after, upTo));
        return new Chunk(upTo, atSource, atDestination);
    }

    /**
     * The tail again, for a table the source keeps adding rows to: rows inserted after the source's
     * snapshot reach the destination before it is read, and differ for a moment. So the destination
     * is read first, up to its own last key, then the source at a snapshot taken after that, up to
     * the same key: rows added since lie beyond it on both sides.
     */
    private Chunk compareTailDestinationFirst(TableInfo table, List<String> key, List<String> after, List<String> end)
            throws SQLException, InterruptedException, NotCaughtUp {
        List<String> last = KeyChunks.lastKey(destination, table.schema(), table.name(), key, after);
        if (last == null) {
            return compareChunk(table, key, after, end); // nothing there: only a wait for the source's position tells
        }
        KeyRange range = new KeyRange(after, last);
        Checksum atDestination = TableChecksum.of(destination, table.schema(), table.name(), key, range);
        // Rows the source has after the destination's last key are not applied yet: they are not compared.
        Checksum atSource = TableChecksum.of(source, table.schema(), table.name(), key, range);
        return new Chunk(null, atSource, atDestination);
    }

    private boolean existsOnDestination(TableInfo table) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.qualifiedName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private TableCheck check(TableInfo table, TableCheck.Result result, Long sourceRows, Long destinationRows, int chunks,
                             String detail) {
        return new TableCheck(settings.database(), table.schema(), table.name(), result, sourceRows, destinationRows, chunks, detail);
    }
}
