package dms.dump.roles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.RoleHandling;
import dms.common.pg.roles.DestinationRoles;
import dms.common.pg.roles.ObjectOwners;
import dms.devstack.PgCluster;
import dms.dump.schema.SchemaDump;
import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The roles of a schema on a destination whose migration user is no superuser (CREATEROLE, CREATEDB),
 * against real servers: the three settings, then owners given back after a restore that ran --no-owner.
 */
class DestinationRolesTest {

    private static final String DB = "roles_app";
    private static TestClusters clusters;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("roles-src", "roles-dst");
        PgCluster source = clusters.cluster(0);
        source.execute("postgres", """
                CREATE ROLE app_owner NOLOGIN REPLICATION;
                CREATE ROLE app_group NOLOGIN;
                CREATE ROLE app_reader LOGIN PASSWORD 'r' IN ROLE app_group;
                """);
        source.createDatabase(DB);
        source.execute(DB, """
                CREATE SCHEMA billing AUTHORIZATION app_owner;
                CREATE TABLE billing.invoices (id serial PRIMARY KEY, total numeric);
                ALTER TABLE billing.invoices OWNER TO app_owner;
                CREATE FUNCTION billing.twice(i int) RETURNS int LANGUAGE sql AS 'SELECT i * 2';
                ALTER FUNCTION billing.twice(int) OWNER TO app_owner;
                CREATE TABLE public.kept (id int PRIMARY KEY);
                GRANT USAGE ON SCHEMA billing TO app_group;
                GRANT SELECT ON billing.invoices TO app_group;
                GRANT SELECT ON public.kept TO app_reader;
                """);
        clusters.cluster(1).execute("postgres", "CREATE ROLE migrator LOGIN CREATEROLE CREATEDB PASSWORD 'm'");
        clusters.cluster(1).execute("postgres", "CREATE DATABASE " + DB + " OWNER migrator");
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void requireAndSkipCreateNothingThenTheDefaultCreatesRestoresGrantsAndGivesOwnersBack() throws Exception {
        try (Connection source = clusters.connector.open(clusters.profile(0), DB);
             Connection destination = clusters.connector.open(migrator(), DB)) {
            SQLException required = assertThrows(SQLException.class,
                    () -> DestinationRoles.prepare(source, destination, RoleHandling.REQUIRE_EXISTING));
            assertTrue(required.getMessage().contains("[app_group, app_owner, app_reader]"), required.getMessage());
            assertEquals(java.util.List.of(), DestinationRoles.prepare(source, destination, RoleHandling.SKIP));
            assertEquals("0", dst("postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'app\\_%'"));

            assertEquals(java.util.List.of("app_group", "app_owner", "app_reader"),
                    DestinationRoles.prepare(source, destination, RoleHandling.CREATE_MISSING));
        }
        assertEquals("app_group false false|app_owner false false|app_reader false false", dst("postgres", "SELECT string_agg(rolname || ' ' || rolcanlogin"
                + " || ' ' || rolreplication, '|' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'app\\_%'"),
                "NOLOGIN, and without REPLICATION, which a CREATEROLE user may not grant");
        assertEquals("t", dst("postgres", "SELECT pg_has_role('app_reader', 'app_group', 'MEMBER')"));

        SchemaDump schema = new SchemaDump(clusters.connector);
        byte[] dump = dumpWithoutSnapshot(schema);
        schema.restore(dump, migrator(), DB, SchemaDump.Section.PRE_DATA, 1, true);
        assertEquals("migrator", dst(DB, "SELECT tableowner FROM pg_tables WHERE tablename = 'invoices'"), "--no-owner");
        try (Connection source = clusters.connector.open(clusters.profile(0), DB);
             Connection destination = clusters.connector.open(migrator(), DB)) {
            assertEquals(3, ObjectOwners.restore(source, destination), "schema, table, function; the serial's sequence follows");
            assertEquals(3, ObjectOwners.restore(source, destination), "again: nothing else changes");
        }
        assertEquals("app_owner|app_owner|app_owner|app_owner", dst(DB, "SELECT nspowner::regrole || '|' || "
                + "(SELECT tableowner FROM pg_tables WHERE tablename = 'invoices') || '|' || "
                + "(SELECT proowner::regrole FROM pg_proc WHERE proname = 'twice') || '|' || "
                + "(SELECT relowner::regrole FROM pg_class WHERE relname = 'invoices_id_seq') FROM pg_namespace WHERE nspname = 'billing'"));
        assertEquals("true|true|false", dst(DB, "SELECT has_table_privilege('app_reader', 'billing.invoices', 'SELECT') || '|' ||"
                + " has_table_privilege('app_reader', 'public.kept', 'SELECT') || '|' ||"
                + " has_database_privilege('app_owner', current_database(), 'CREATE')"), "grants as on the source; CREATE only lent");
    }

    private static byte[] dumpWithoutSnapshot(SchemaDump schema) throws Exception {
        // An exported snapshot held by a session of our own, as the slot's would be.
        try (Connection holder = clusters.connector.open(clusters.profile(0), DB)) {
            holder.setAutoCommit(false);
            String snapshot;
            try (var st = holder.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                try (var rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
            }
            return schema.dumpSchema(clusters.profile(0), DB, snapshot);
        }
    }

    private static ConnectionProfile migrator() {
        PgCluster c = clusters.cluster(1);
        return new ConnectionProfile("migrator", null, "127.0.0.1", c.port(), "migrator", null, clusters.cipher.encrypt("m"),
                "prefer", null);
    }

    private static String dst(String database, String sql) {
        return clusters.cluster(1).queryForString(database, sql);
    }
}
