package dms.common.pg.roles;

import dms.common.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Gives the destination's objects to their source owners, at the end of post-data (docs/data-path.md,
 * rule 6). pg_restore runs with --no-owner, so the migration user creates and owns everything while it
 * restores, copies, indexes and refreshes; then each object owned on the source by a role (pg_shdepend)
 * gets {@code ALTER <kind> <identity> OWNER TO <role>}, the identity as the source's pg_identify_object
 * quotes it. Left to the migration user: objects of the source's bootstrap superuser (pinned, not
 * recorded), of an owner it cannot act as (a superuser it is no member of), and kinds a schema dump does
 * not restore (publications, subscriptions; large objects get theirs from {@code LargeObjects}). A sequence that belongs to a column follows
 * its table. An owner that lacks CREATE on the object's schema (on a schema: on the database), which
 * PostgreSQL requires of a new owner, is lent it for the ALTER only. Idempotent: run again, it changes
 * nothing.
 */
public final class ObjectOwners {

    private static final Logger LOG = Logger.getLogger(ObjectOwners.class);

    /** pg_identify_object's type -> the ALTER command that gives it an owner. */
    private static final Map<String, String> ALTER = Map.ofEntries(
            Map.entry("table", "TABLE"), Map.entry("view", "VIEW"), Map.entry("materialized view", "MATERIALIZED VIEW"),
            Map.entry("sequence", "SEQUENCE"), Map.entry("foreign table", "FOREIGN TABLE"),
            Map.entry("composite type", "TYPE"), Map.entry("type", "TYPE"), Map.entry("domain", "DOMAIN"),
            Map.entry("function", "FUNCTION"), Map.entry("procedure", "PROCEDURE"), Map.entry("aggregate", "AGGREGATE"),
            Map.entry("schema", "SCHEMA"), Map.entry("collation", "COLLATION"), Map.entry("conversion", "CONVERSION"),
            Map.entry("operator", "OPERATOR"), Map.entry("operator class", "OPERATOR CLASS"),
            Map.entry("operator family", "OPERATOR FAMILY"), Map.entry("statistics object", "STATISTICS"),
            Map.entry("text search dictionary", "TEXT SEARCH DICTIONARY"),
            Map.entry("text search configuration", "TEXT SEARCH CONFIGURATION"),
            Map.entry("foreign-data wrapper", "FOREIGN DATA WRAPPER"), Map.entry("server", "SERVER"),
            Map.entry("event trigger", "EVENT TRIGGER"), Map.entry("language", "LANGUAGE"));

    private static final String OWNED = """
            SELECT o.type, o.identity, r.rolname, o.schema
            FROM pg_shdepend d
            JOIN pg_roles r ON r.oid = d.refobjid,
                 pg_identify_object(d.classid, d.objid, d.objsubid) o
            WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND d.refclassid = 'pg_authid'::regclass AND d.deptype = 'o'
              AND (o.schema IS NULL OR (o.schema NOT LIKE 'pg\\_temp\\_%' AND o.schema NOT LIKE 'pg\\_toast\\_temp\\_%'))
              AND NOT EXISTS (SELECT 1 FROM pg_depend e
                              WHERE e.classid = d.classid AND e.objid = d.objid AND e.deptype = 'e')
              AND NOT (d.classid = 'pg_class'::regclass AND EXISTS (
                       SELECT 1 FROM pg_depend s
                       WHERE s.classid = 'pg_class'::regclass AND s.objid = d.objid
                         AND s.refclassid = 'pg_class'::regclass AND s.deptype IN ('a', 'i')
                         AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S'))""";
    private static final String ORDER = " ORDER BY o.type <> 'schema', 3, 1, 2";
    /** One table (a table created during CDC): its parameter is the table's quoted name. */
    private static final String ONE_TABLE = " AND d.classid = 'pg_class'::regclass AND d.objid = ?::regclass";

    /** Undefined table, function, object, schema: an object made on the source after its schema was dumped. */
    private static final Set<String> NOT_ON_DESTINATION = Set.of("42P01", "42883", "42704", "3F000");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private ObjectOwners() {}

    /** Where an object lives: its schema, or for a schema the database. */
    private record Place(String keyword, String name) {
        String sql() {
            return keyword + " " + SqlIdentifiers.quote(name);
        }
    }

    /**
     * Runs {@code alter}, lending {@code role} CREATE on {@code place} for it when it lacks it; false when the
     * object is not on the destination.
     */
    private static boolean withCreateOn(Connection destination, Place place, String role, String alter) throws SQLException {
        boolean lend = place != null && !hasCreate(destination, place, role);
        try (Statement st = destination.createStatement()) {
            if (lend) {
                st.execute("GRANT CREATE ON " + place.sql() + " TO " + SqlIdentifiers.quote(role));
            }
            try {
                st.execute(alter);
                return true;
            } catch (SQLException e) {
                if (NOT_ON_DESTINATION.contains(e.getSQLState())) {
                    return false;
                }
                throw e;
            } finally {
                if (lend) {
                    st.execute("REVOKE CREATE ON " + place.sql() + " FROM " + SqlIdentifiers.quote(role));
                }
            }
        }
    }

    private static boolean hasCreate(Connection destination, Place place, String role) throws SQLException {
        String sql = place.keyword().equals("DATABASE") ? "SELECT has_database_privilege(?, ?, 'CREATE')"
                : "SELECT has_schema_privilege(?, n.oid, 'CREATE') FROM pg_namespace n WHERE n.nspname = ?";
        try (PreparedStatement ps = destination.prepareStatement(sql)) {
            ps.setString(1, role);
            ps.setString(2, place.name());
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getBoolean(1); // a schema not there: nothing to lend, the ALTER says so
            }
        }
    }

    private record Owned(String kind, String identity, String owner, String schema) {}

    /** {@code destination} in autocommit. Returns how many objects were given to their owner. */
    public static int restore(Connection source, Connection destination) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(OWNED + ORDER)) {
            return restore(ps, destination);
        }
    }

    /**
     * The same for one table, {@code quotedTable} (its owned sequences follow it): a table created on the source
     * during CDC. In the destination's transaction that created it, which an error aborts (its caller's savepoint).
     */
    public static int restoreTable(Connection source, Connection destination, String quotedTable) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(OWNED + ONE_TABLE + ORDER)) {
            ps.setString(1, quotedTable);
            return restore(ps, destination);
        }
    }

    private static int restore(PreparedStatement ownedQuery, Connection destination) throws SQLException {
        List<Owned> owned = new ArrayList<>();
        try (ResultSet rs = ownedQuery.executeQuery()) {
            while (rs.next()) {
                String alter = ALTER.get(rs.getString(1));
                if (alter != null) {
                    owned.add(new Owned(alter, rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        DestinationUser user = DestinationUser.read(destination, owned.stream().map(Owned::owner).distinct().toList());
        Set<String> keptOwners = new TreeSet<>();
        int given = 0;
        for (Owned o : owned) {
            if (!user.superuser() && !user.actsAs().contains(o.owner())) {
                keptOwners.add(o.owner());
                continue;
            }
            // The identity comes quoted from the source's catalog (pg_identify_object), the role is quoted here.
            String alter = "ALTER " + o.kind() + " " + o.identity() + " OWNER TO " + SqlIdentifiers.quote(o.owner());
            // PostgreSQL wants the new owner to hold CREATE where the object lives (the database for a schema), which
            // the owner may lack on the source too: lent for the ALTER only.
            Place place = o.kind().equals("SCHEMA") ? new Place("DATABASE", destination.getCatalog())
                    : o.schema() == null ? null : new Place("SCHEMA", o.schema());
            try {
                if (withCreateOn(destination, place, o.owner(), alter)) {
                    given++;
                } else {
                    LOG.warnf("%s %s is not on the destination (made on the source after the schema dump?): its owner %s is"
                            + " not set", o.kind(), o.identity(), o.owner());
                }
            } catch (SQLException e) {
                if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw new SQLException(alter + ": " + e.getMessage(), e.getSQLState(), e);
                }
                keptOwners.add(o.owner());
                LOG.warnf("%s: %s; it stays owned by %s", alter, e.getMessage(), user.name());
            }
        }
        if (!keptOwners.isEmpty()) {
            LOG.warnf("Objects owned on the source by %s stay owned by %s: it cannot act as those roles on the destination",
                    keptOwners, user.name());
        }
        return given;
    }
}
