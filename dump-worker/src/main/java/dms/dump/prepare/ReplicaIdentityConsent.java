package dms.dump.prepare;

import dms.dump.catalog.TableInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's replicaIdentityFull setting at prepare (docs/data-path.md, Tables without a key): with the user's
 * consent, the source tables with no primary key and no replica identity are set to REPLICA IDENTITY FULL
 * before the publication and the slot exist, so that their UPDATEs and DELETEs are published and replicated.
 * Only those tables: a key or an identity the user chose stays, and unlogged tables write no WAL anyway.
 */
final class ReplicaIdentityConsent {

    /** The tables as they are now, and the names of those set to FULL ({@code schema.table}). */
    record Outcome(List<TableInfo> tables, List<String> setFull) {}

    private ReplicaIdentityConsent() {}

    static Outcome apply(Connection source, List<TableInfo> tables, boolean consent) throws SQLException {
        if (!consent) {
            return new Outcome(tables, List.of());
        }
        List<TableInfo> after = new ArrayList<>(tables.size());
        List<String> setFull = new ArrayList<>();
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(true);
        try (Statement st = source.createStatement()) {
            for (TableInfo table : tables) {
                if (table.hasReplicaIdentity() || table.unlogged()) {
                    after.add(table);
                    continue;
                }
                try {
                    st.execute("ALTER TABLE " + table.qualifiedName() + " REPLICA IDENTITY FULL");
                } catch (SQLException e) {
                    throw new SQLException("setting REPLICA IDENTITY FULL on " + table + " (the job's replicaIdentityFull)"
                            + " failed: " + e.getMessage(), e.getSQLState(), e);
                }
                after.add(table.withReplicaIdentityFull());
                setFull.add(table.toString());
            }
        } finally {
            source.setAutoCommit(autoCommit);
        }
        return new Outcome(List.copyOf(after), List.copyOf(setFull));
    }
}
