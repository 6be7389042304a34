package dms.cdc.newtables;

import dms.cdc.apply.TableRef;
import dms.common.messages.RoleHandling;
import dms.common.pg.roles.DestinationRoles;
import dms.common.pg.roles.ObjectOwners;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dump restores of a table besides its definition and rows, for a table created on the source during CDC
 * (docs/cdc.md): its comments and those of its columns; and, unless the job's roles setting is SKIP, its grants (on
 * the table and on columns) and its owner, their roles made as the dump makes them ({@link DestinationRoles}, before
 * the copy's transaction) and the owner given as the dump gives it ({@link ObjectOwners}). The statements are the
 * source's own ({@code format} with {@code %I}, {@code %L} and {@code regclass}), read in the copy's snapshot.
 */
final class TableRights {

    private static final Logger LOG = LoggerFactory.getLogger(TableRights.class);

    private static final String COMMENTS = "SELECT format('COMMENT ON TABLE %s IS %L', d.objoid::regclass, d.description)"
            + " FROM pg_description d WHERE d.classoid = 'pg_class'::regclass AND d.objoid = ?::regclass AND d.objsubid = 0"
            + " UNION ALL SELECT format('COMMENT ON COLUMN %s.%I IS %L', d.objoid::regclass, a.attname, d.description)"
            + " FROM pg_description d JOIN pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid"
            + " WHERE d.classoid = 'pg_class'::regclass AND d.objoid = ?::regclass AND d.objsubid > 0 AND NOT a.attisdropped";

    private static final String GRANTEE = "CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,"
            + " CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END";

    /** The owner's own rights are the owner's by default: pg_dump prints them only when revoked, which is not restored. */
    private static final String GRANTS = "SELECT format('GRANT %s ON TABLE %s TO %s%s', g.privilege_type, c.oid::regclass, " + GRANTEE + ")"
            + " FROM pg_class c, aclexplode(c.relacl) g WHERE c.oid = ?::regclass AND g.grantee <> c.relowner"
            + " UNION ALL SELECT format('GRANT %s (%I) ON TABLE %s TO %s%s', g.privilege_type, a.attname, c.oid::regclass, " + GRANTEE + ")"
            + " FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid, aclexplode(a.attacl) g"
            + " WHERE c.oid = ?::regclass AND NOT a.attisdropped AND g.grantee <> c.relowner";

    private TableRights() {}

    /**
     * Before the copy's transaction, both connections in autocommit: the roles the source's database names and the
     * destination lacks, as the job's setting says. A refusal (REQUIRE_EXISTING and a role missing, a user that may not
     * create roles) fails the database, naming the roles.
     */
    static void prepareRoles(Connection source, Connection destination, TableRef table, RoleHandling roles) throws SQLException {
        try {
            DestinationRoles.prepare(source, destination, roles);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e;
            }
            throw new NewTableException(table, e);
        }
    }

    /**
     * In the copy's destination transaction, after the table is made there. Grants and owner under a savepoint: one the
     * destination refuses (a grantee it lacks, an owner the user cannot act as) leaves the table to the migration user, as
     * the dump leaves its objects, with a warning.
     */
    static void copy(Connection source, Connection destination, TableRef table, RoleHandling roles) throws SQLException {
        NewTableCopy.run(destination, statements(source, COMMENTS, table));
        if (roles == RoleHandling.SKIP) {
            return;
        }
        List<String> grants = statements(source, GRANTS, table);
        try (Statement st = destination.createStatement()) {
            st.execute("SAVEPOINT table_rights");
            try {
                NewTableCopy.run(destination, grants);
                ObjectOwners.restoreTable(source, destination, table.quoted());
                st.execute("RELEASE SAVEPOINT table_rights");
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT table_rights");
                LOG.warn("Table {} created during CDC: its grants and owner are not restored, it stays the migration user's: {}", table,
                        e.getMessage());
            }
        }
    }

    /** The statements a query on the source prints for {@code table} (each of its parameters). */
    private static List<String> statements(Connection source, String sql, TableRef table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setString(i, table.quoted());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
