package dms.cdc.apply;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts a run of rows into one table with {@code COPY ... FROM STDIN} (pgjdbc's CopyManager): one statement and
 * one stream of text for the whole run, where a batch of upserts costs the server a statement execution, an
 * ON CONFLICT check and a cast per value of every row. The run is in a savepoint: a row that is already there
 * (a duplicate key: the destination diverged, or a table copied again) rolls back that run only, and the caller
 * applies it as upserts instead, which converge. A table that COPY cannot write (row security forced on it) is
 * told to the caller the same way, and not tried again.
 */
final class CopyInserter {

    private static final Logger LOG = LoggerFactory.getLogger(CopyInserter.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FEATURE_NOT_SUPPORTED = "0A000";
    /** Text sent to the server in pieces of about this many characters, so that a run's rows need no second copy whole. */
    private static final int CHUNK_CHARS = 64 * 1024;

    private final Connection connection;
    private final CopyManager copy;
    private final Set<TableRef> refused = new HashSet<>();

    CopyInserter(Connection connection) throws SQLException {
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
    }

    /**
     * Inserts the rows (each the values of {@code copySql}'s columns, in order) in a savepoint.
     *
     * @return false when the run was rolled back to its savepoint because a row was already there (or COPY cannot
     *     write the table): the caller applies it as upserts
     */
    boolean insert(TableRef table, String copySql, List<List<String>> rows) throws SQLException {
        if (refused.contains(table)) {
            return false;
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            write(copySql, rows);
            connection.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (!UNIQUE_VIOLATION.equals(state) && !FEATURE_NOT_SUPPORTED.equals(state)) {
                throw e;
            }
            connection.rollback(savepoint);
            if (FEATURE_NOT_SUPPORTED.equals(state)) {
                refused.add(table);
                LOG.warn("COPY cannot write {} ({}): its inserts are applied as statements", table, e.getMessage());
            } else {
                LOG.info("{} row(s) into {}: a key already there ({}); applied as upserts", rows.size(), table, e.getMessage());
            }
            return false;
        }
    }

    private void write(String copySql, List<List<String>> rows) throws SQLException {
        CopyIn in = copy.copyIn(copySql);
        try {
            StringBuilder text = new StringBuilder(Math.min(CHUNK_CHARS * 2, rows.size() * 64));
            for (List<String> row : rows) {
                CopyText.appendRow(text, row);
                if (text.length() >= CHUNK_CHARS) {
                    send(in, text);
                }
            }
            send(in, text);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void send(CopyIn in, StringBuilder text) throws SQLException {
        if (!text.isEmpty()) {
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            text.setLength(0);
        }
    }
}
