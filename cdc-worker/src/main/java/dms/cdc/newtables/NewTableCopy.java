package dms.cdc.newtables;

import dms.cdc.apply.TableRef;
import dms.common.messages.TableName;
import dms.common.pg.internal.CopiedUnits;
import dms.common.sql.Lsn;
import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Brings one table created on the source during CDC to the destination, exactly once
 * (docs/data-path.md, rules 2 and 3, as PostgreSQL's table sync does):
 * <ol>
 *   <li>adds it to the job's publication: the changes committed from then on come in the stream;</li>
 *   <li>on the source, in a REPEATABLE READ transaction, takes a SHARE lock on it (it waits for the
 *       transactions writing it and holds off new ones), then its snapshot and the WAL insert position:
 *       that is its sync LSN. Every transaction that wrote the table and committed at or before it is in
 *       the snapshot, every one after it commits after the lock is released;</li>
 *   <li>in one destination transaction creates it as the source defines it ({@link TableDdl}; its schema
 *       and a missing partitioned parent too), copies its rows, gives it its comments, grants and owner
 *       ({@link TableRights}, whose roles are made before), and records the copy with the sync LSN
 *       ({@link CopiedUnits#recordCdcCopy}); then releases the lock.</li>
 * </ol>
 * The stream skips the table's changes committed at or before the sync LSN and applies the later
 * ones. The lock is held for the copy: writers of that table (only that one) wait as long, at most
 * {@code lockTimeout} for the lock itself (then the next round tries again).
 */
final class NewTableCopy {

    /** "relation ... is already member of publication": a round before added it and did not finish. */
    private static final String DUPLICATE_OBJECT = "42710";

    private NewTableCopy() {}

    /** {@code source} runs with the session's lock_timeout set. */
    static AddedTable run(Connection source, Connection destination, String jobId, String publication, TableRef table,
                          NewTables.Options options, long foundAt) throws SQLException {
        Duration lockTimeout = options.lockTimeout();
        TableRights.prepareRoles(source, destination, table, options.roles());
        addToPublication(source, publication, table);
        source.setAutoCommit(false);
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        destination.setAutoCommit(false);
        try {
            try (Statement st = source.createStatement()) {
                // Before the first query: the snapshot is taken after the lock.
                st.execute("LOCK TABLE ONLY " + table.quoted() + " IN SHARE MODE");
            }
            SourceTableReader reader = new SourceTableReader(source);
            SourceTable definition = reader.read(table);
            Lsn syncLsn = insertLsn(source);
            try (Statement st = destination.createStatement()) {
                st.execute("SET LOCAL session_replication_role = replica");
                st.execute("SET LOCAL lock_timeout = " + lockTimeout.toMillis());
            }
            boolean created = !exists(destination, table);
            if (created) {
                run(destination, List.of("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(table.schema())));
                run(destination, parentsToCreate(reader, destination, definition));
                run(destination, TableDdl.beforeCopy(definition));
            } else {
                run(destination, List.of("DELETE FROM ONLY " + table.quoted()));
            }
            long[] copied = copyRows(source, destination, definition);
            if (created) {
                run(destination, TableDdl.afterCopy(definition));
                TableRights.copy(source, destination, table, options.roles());
            }
            CopiedUnits.recordCdcCopy(destination, jobId, new TableName(table.schema(), table.name()), syncLsn.toString(), copied[0],
                    copied[1]);
            destination.commit();
            source.commit();
            return new AddedTable(table, created, copied[0], copied[1], syncLsn, foundAt, System.currentTimeMillis());
        } catch (SQLException | RuntimeException e) {
            rollBack(destination, e);
            rollBack(source, e);
            throw e;
        } finally {
            destination.setAutoCommit(true);
            source.setAutoCommit(true);
        }
    }

    private static void addToPublication(Connection source, String publication, TableRef table) throws SQLException {
        try (Statement st = source.createStatement()) {
            // ONLY, as the dump's publication: an inheritance parent must not pull in its children.
            st.execute("ALTER PUBLICATION " + SqlIdentifiers.quote(publication) + " ADD TABLE ONLY " + table.quoted());
        } catch (SQLException e) {
            if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** The partitioned parents the destination lacks (a partitioned table created during CDC too), top first. */
    private static List<String> parentsToCreate(SourceTableReader reader, Connection destination, SourceTable table) throws SQLException {
        List<String> out = new ArrayList<>();
        for (TableRef parent = table.partitionOf(); parent != null && !exists(destination, parent); ) {
            SourceTable p = reader.read(parent);
            List<String> statements = new ArrayList<>(TableDdl.beforeCopy(p));
            statements.addAll(TableDdl.afterCopy(p));
            out.addAll(0, statements);
            if (!p.ref().schema().equals(table.ref().schema())) {
                out.add(0, "CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(p.ref().schema()));
            }
            parent = p.partitionOf();
        }
        return out;
    }

    private static Lsn insertLsn(Connection source) throws SQLException {
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    private static boolean exists(Connection destination, TableRef table) throws SQLException {
        try (PreparedStatement ps = destination.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void run(Connection destination, List<String> statements) throws SQLException {
        try (Statement st = destination.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** Streams the rows (text COPY, buffer by buffer): returns rows and bytes. */
    private static long[] copyRows(Connection source, Connection destination, SourceTable table) throws SQLException {
        String columns = table.copiedColumns().stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
        String target = table.ref().quoted() + " (" + columns + ")";
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + target + " TO STDOUT");
        CopyIn in = null;
        long bytes = 0;
        try {
            in = destination.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + target + " FROM STDIN");
            for (byte[] buffer = out.readFromCopy(); buffer != null; buffer = out.readFromCopy()) {
                in.writeToCopy(buffer, 0, buffer.length);
                bytes += buffer.length;
            }
            return new long[] {in.endCopy(), bytes};
        } catch (SQLException | RuntimeException e) {
            if (out.isActive()) {
                out.cancelCopy();
            }
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
            throw e;
        }
    }

    private static void rollBack(Connection connection, Exception e) {
        try {
            connection.rollback();
        } catch (SQLException failure) {
            e.addSuppressed(failure);
        }
    }
}
