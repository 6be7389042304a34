package dms.common.verify.preflight;

import static dms.common.verify.preflight.FindingCode.*;

import dms.common.messages.PreflightReport.Side;
import dms.common.pg.SequenceSync;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of one source database: tables CDC cannot follow (no key and no REPLICA IDENTITY
 * FULL, unlogged), tables and sequences the user cannot read, large objects (neither copied nor replicated).
 * Tables are those the full dump copies (ordinary tables and leaf partitions, not an extension's).
 */
final class SourceDatabaseCheck {

    private static final int MAX_LISTED = 100;

    /**
     * Large objects the user may not read: not a superuser, lo_compat_privileges off, and neither owner (or a
     * member of the owner) nor granted SELECT (itself, through a role, or PUBLIC). A NULL ACL: the owner only.
     */
    private static final String UNREADABLE_LARGE_OBJECTS = """
            SELECT m.oid::text FROM pg_largeobject_metadata m
            WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
              AND current_setting('lo_compat_privileges') = 'off'
              AND NOT pg_has_role(current_user, m.lomowner, 'USAGE')
              AND NOT EXISTS (SELECT 1 FROM aclexplode(m.lomacl) a WHERE a.privilege_type = 'SELECT'
                              AND (a.grantee = 0 OR pg_has_role(current_user, a.grantee, 'USAGE')))
            ORDER BY m.oid LIMIT\s""" + MAX_LISTED;

    private SourceDatabaseCheck() {}

    /**
     * Runs the checks; returns the extensions the database uses (the destination must offer them).
     * {@code replicaIdentityFull}: the job's consent to set REPLICA IDENTITY FULL on the tables without identity.
     */
    static List<String> check(Connection conn, String db, boolean replicaIdentityFull, Findings findings) throws SQLException {
        List<String> withoutIdentity = new ArrayList<>();
        List<String> notOwned = new ArrayList<>();
        List<String> unlogged = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT format('%I.%I', n.nspname, c.relname), c.relpersistence = 'u',
                       has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT'),
                       CASE c.relreplident
                           WHEN 'f' THEN true
                           WHEN 'd' THEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
                           WHEN 'i' THEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)
                           ELSE false END,
                       pg_has_role(c.relowner, 'USAGE')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpersistence IN ('p', 'u')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'dms_internal')
                  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
                ORDER BY 1""")) {
            while (rs.next()) {
                String table = rs.getString(1);
                if (rs.getBoolean(2)) {
                    unlogged.add(table);
                } else if (!rs.getBoolean(4)) {
                    withoutIdentity.add(table);
                    if (!rs.getBoolean(5)) {
                        notOwned.add(table);
                    }
                }
                if (!rs.getBoolean(3)) {
                    unreadable.add(table);
                }
            }
        }
        if (!withoutIdentity.isEmpty() && replicaIdentityFull) {
            findings.warning(TABLE_WITHOUT_PRIMARY_KEY, Side.SOURCE, db, withoutIdentity, withoutIdentity.size()
                    + " table(s) have no primary key and no REPLICA IDENTITY FULL, and the job's replicaIdentityFull setting is on:"
                    + " the job sets REPLICA IDENTITY FULL on them when it prepares the database (each UPDATE and DELETE then"
                    + " logs the whole old row), so that their changes are replicated", "nothing");
            if (!notOwned.isEmpty()) {
                findings.error(REPLICA_IDENTITY_NOT_SETTABLE, Side.SOURCE, db, notOwned, "the source user does not own "
                        + notOwned.size() + " of those table(s): it cannot set their REPLICA IDENTITY",
                        "ALTER TABLE ... REPLICA IDENTITY FULL as their owner, or GRANT the owner role to the source user");
            }
        } else if (!withoutIdentity.isEmpty()) {
            findings.warning(TABLE_WITHOUT_PRIMARY_KEY, Side.SOURCE, db, withoutIdentity, withoutIdentity.size()
                    + " table(s) have no primary key and no REPLICA IDENTITY FULL: they are copied once, but their"
                    + " later UPDATEs and DELETEs cannot be replicated (the source would even refuse them once published)",
                    "add a primary key, or ALTER TABLE ... REPLICA IDENTITY FULL, before starting the job, or set the job's"
                            + " replicaIdentityFull to true to let the job do the latter");
        }
        if (!unlogged.isEmpty()) {
            findings.warning(UNLOGGED_TABLE, Side.SOURCE, db, unlogged, unlogged.size()
                    + " unlogged table(s): they write no WAL, so they are copied once and never replicated",
                    "ALTER TABLE ... SET LOGGED if their changes must reach the destination");
        }
        if (!unreadable.isEmpty()) {
            findings.error(MISSING_READ_PRIVILEGE, Side.SOURCE, db, unreadable, "the source user cannot read "
                    + unreadable.size() + " table(s) (SELECT on the table, USAGE on its schema)",
                    "GRANT USAGE ON SCHEMA ... and GRANT SELECT ON ALL TABLES IN SCHEMA ... TO the source user");
        }
        List<String> sequences = PreflightCheck.strings(conn, SequenceSync.UNREADABLE);
        if (!sequences.isEmpty()) {
            findings.error(SEQUENCE_NOT_READABLE, Side.SOURCE, db, sequences, "the source user cannot read " + sequences.size()
                    + " sequence(s): their values could not be carried over to the destination",
                    "GRANT SELECT ON SEQUENCE ... (or ON ALL SEQUENCES IN SCHEMA ...) TO the source user");
        }
        List<String> largeObjects = PreflightCheck.strings(conn, "SELECT count(*)::text FROM pg_largeobject_metadata");
        long count = Long.parseLong(largeObjects.get(0));
        if (count > 0) {
            findings.warning(LARGE_OBJECTS, Side.SOURCE, db, null, count + " large object(s) (pg_largeobject): copied with the dump"
                    + " and again at promote, not by CDC: until the promote, the destination holds them as of the dump",
                    "nothing to do; verify compares them (pg_catalog.pg_largeobject)");
            List<String> hidden = PreflightCheck.strings(conn, UNREADABLE_LARGE_OBJECTS);
            if (!hidden.isEmpty()) {
                findings.error(LARGE_OBJECT_NOT_READABLE, Side.SOURCE, db, hidden, "the source user cannot read "
                        + hidden.size() + (hidden.size() == MAX_LISTED ? " or more" : "") + " large object(s):"
                        + " they could not be copied", "GRANT SELECT ON LARGE OBJECT ... TO the source user, or make it a"
                        + " member of their owners");
            }
        }
        return PreflightCheck.strings(conn, "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname");
    }
}
