package dms.cdc.newtables;

import dms.cdc.apply.TableRef;
import dms.common.pg.internal.InternalSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the source's catalog with the job's publication. The job migrates every schema of its
 * database but the system ones, and the publication holds the tables the dump found publishable
 * (docs/data-path.md, rule 1: the dump's {@code TableCatalog}): ordinary tables and leaf
 * partitions, permanent, not an extension's, with a replica identity. A table of that kind
 * that is not in the publication was created after the dump (or was given its key after).
 */
final class NewTableFinder {

    /**
     * The migration's own schema: on a source before PostgreSQL 14 it holds the slot's marker table, which is in
     * the publication and never copied (docs/cdc.md, Markers).
     */
    private static final String NOT_OURS = "n.nspname <> '" + InternalSchema.SCHEMA + "'";

    /**
     * Ordinary tables and leaf partitions outside the system schemas and ours, not an extension's: the dump's scope, where
     * they are permanent ({@link #PERMANENT}).
     */
    private static final String USER_TABLE = "c.relkind = 'r' AND " + NOT_OURS
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

    /** Not unlogged, not temporary (a session's own, gone with it). */
    private static final String PERMANENT = "c.relpersistence = 'p'";

    /** A replica identity, as {@code TableInfo.publishable} asks: else the source would refuse its UPDATE and DELETE. */
    private static final String PUBLISHABLE = "(c.relreplident = 'f'"
            + " OR c.relreplident = 'd' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)"
            + " OR c.relreplident = 'i' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident))";

    /** In any of the publications given (a job database's replication groups each have one). */
    private static final String IN_PUBLICATION = "EXISTS (SELECT 1 FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid"
            + " WHERE p.pubname = ANY (?) AND r.prrelid = c.oid)";

    private static final String FROM = "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ";

    private NewTableFinder() {}

    /** The tables of the job's scope that could be published and are in none of {@code publications}. */
    static List<TableRef> unpublished(Connection source, List<String> publication) throws SQLException {
        return tables(source, FROM + PERMANENT + " AND " + USER_TABLE + " AND " + PUBLISHABLE + " AND NOT " + IN_PUBLICATION + " ORDER BY 1, 2",
                publication, rs -> new TableRef(rs.getString(1), rs.getString(2)));
    }

    /** The tables in the publication, but for the marker table. */
    static List<TableRef> published(Connection source, String publication) throws SQLException {
        return tables(source, FROM + IN_PUBLICATION + " AND " + NOT_OURS + " ORDER BY 1, 2", List.of(publication),
                rs -> new TableRef(rs.getString(1), rs.getString(2)));
    }

    /**
     * The tables of the job's schemas that no publication can carry, and why: unlogged ones (not in the WAL) and those
     * without a replica identity (the source would refuse their UPDATE and DELETE once published). Some were there at
     * the dump, which copied them once (the caller knows them by their copy).
     */
    static List<NotTakenTable> notTakeable(Connection source, List<String> publication) throws SQLException {
        return tables(source, "SELECT n.nspname, c.relname, c.relpersistence = 'u', c.relreplident = 'n'"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relpersistence IN ('p', 'u') AND "
                + USER_TABLE + " AND NOT " + IN_PUBLICATION + " AND (c.relpersistence = 'u' OR NOT " + PUBLISHABLE + ") ORDER BY 1, 2",
                publication, rs -> new NotTakenTable(new TableRef(rs.getString(1), rs.getString(2)),
                        rs.getBoolean(3) ? NotTakenTable.Why.UNLOGGED : rs.getBoolean(4) ? NotTakenTable.Why.REPLICA_IDENTITY_NOTHING
                                : NotTakenTable.Why.NO_KEY));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> tables(Connection source, String sql, List<String> publications, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            ps.setArray(1, source.createArrayOf("text", publications.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        }
        return out;
    }
}
