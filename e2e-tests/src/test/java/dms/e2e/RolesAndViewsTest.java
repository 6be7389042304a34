package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A source as teams run them: objects owned by and granted to roles the destination lacks (with a
 * membership between them), materialized views (one reading another, one WITH NO DATA). The
 * destination's migration user is no superuser, as on AlloyDB: CREATEROLE and CREATEDB only. The
 * job creates the missing roles, restores owners and grants, fills the views after the dump and
 * again at promote, with the changes CDC brought. A job's roles setting is validated, kept on its
 * document and read by its pre-flight.
 */
class RolesAndViewsTest {

    private static final String DB = "rv_shop";
    private static final String MIGRATION_USER = "rv_migrator";
    private static final String PASSWORD = "Rv-Mig-7Hq2-pw";
    private static final String SKIP_DB = "rv_skip";

    @BeforeAll
    static void stack() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        source.execute("postgres", """
                CREATE ROLE rv_owner NOLOGIN CREATEDB;
                CREATE ROLE rv_group NOLOGIN;
                CREATE ROLE rv_reader LOGIN PASSWORD 'reader' IN ROLE rv_group;
                """);
        source.execute(DB, """
                GRANT CREATE ON SCHEMA public TO rv_owner;
                CREATE SCHEMA sales AUTHORIZATION rv_owner;
                CREATE TABLE sales.orders (id int PRIMARY KEY, amount int NOT NULL);
                ALTER TABLE sales.orders OWNER TO rv_owner;
                CREATE TABLE public.notes (id serial PRIMARY KEY, body text);
                ALTER TABLE public.notes OWNER TO rv_owner;
                GRANT USAGE ON SCHEMA sales TO rv_group;
                GRANT SELECT ON sales.orders TO rv_group;
                GRANT SELECT, INSERT ON public.notes TO rv_reader;
                INSERT INTO sales.orders SELECT i, i FROM generate_series(1, 100) i;
                INSERT INTO public.notes (body) SELECT 'note ' || i FROM generate_series(1, 10) i;
                CREATE MATERIALIZED VIEW public.order_totals AS SELECT count(*) AS orders, sum(amount) AS amount FROM sales.orders;
                CREATE VIEW public.doubled AS SELECT orders * 2 AS orders2 FROM public.order_totals;
                CREATE MATERIALIZED VIEW public.order_doubled AS SELECT orders2 FROM public.doubled;
                CREATE MATERIALIZED VIEW public.orders_later AS SELECT * FROM sales.orders WITH NO DATA;
                SELECT lo_from_bytea(424201, convert_to('chapter one', 'UTF8'));
                ALTER LARGE OBJECT 424201 OWNER TO rv_owner;
                GRANT SELECT ON LARGE OBJECT 424201 TO rv_reader;
                COMMENT ON LARGE OBJECT 424201 IS 'the manual''s first chapter';
                SELECT lo_from_bytea(424202, decode(repeat('ab', 1500000), 'hex'));
                SELECT lo_from_bytea(424203, 'goes away during CDC'::bytea);
                """);
        // The destination's migration user, as a managed service gives it: no superuser.
        TestStack.get().destination().execute("postgres", "CREATE ROLE " + MIGRATION_USER + " LOGIN CREATEROLE CREATEDB PASSWORD '"
                + PASSWORD + "'; GRANT SET ON PARAMETER session_replication_role TO " + MIGRATION_USER);
        // A database of its own for the roles setting's test: its owner is never created by the other test's job.
        source.createDatabase(SKIP_DB);
        source.execute("postgres", "CREATE ROLE rv_skip_owner NOLOGIN");
        source.execute(SKIP_DB, "CREATE TABLE t (id int PRIMARY KEY); ALTER TABLE t OWNER TO rv_skip_owner");
        createProfile("rv-src", source);
        request().body(Map.of("id", "rv-dst", "host", "127.0.0.1", "port", TestStack.get().destination().port(),
                "username", MIGRATION_USER, "password", PASSWORD, "sslMode", "disable"))
                .post("/v1/connection-profiles").then().statusCode(200);
    }

    @Test
    void missingRolesAreCreatedOwnersAndGrantsRestoredAndViewsFilledAfterTheDumpAndAtPromote() throws Exception {
        createJob("rv-1", "rv", List.of(DB)).then().statusCode(200);
        JsonPath preflight = verify("rv-1");
        assertTrue(preflight.getBoolean("passed"), preflight.prettify());
        assertEquals(List.of("rv_group", "rv_owner", "rv_reader"),
                preflight.getList("findings.find { it.code == 'ROLES_MISSING_ON_DESTINATION' }.objects"), preflight.prettify());
        assertEquals("WARNING", preflight.getString("findings.find { it.code == 'ROLES_MISSING_ON_DESTINATION' }.severity"));

        action("rv-1", "start").then().statusCode(200);
        awaitStatus("rv-1", "RUNNING/CDC", 120);
        PgCluster dst = TestStack.get().destination();
        assertEquals("rv_owner|rv_owner|rv_owner", dst.queryForString(DB, "SELECT string_agg(o, '|' ORDER BY o) FROM ("
                + " SELECT tableowner AS o FROM pg_tables WHERE tablename IN ('orders', 'notes')"
                + " UNION ALL SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'sales') x"));
        assertEquals("false|false|false", dst.queryForString("postgres", "SELECT string_agg(rolcanlogin::text, '|' ORDER BY rolname)"
                + " FROM pg_roles WHERE rolname IN ('rv_owner', 'rv_group', 'rv_reader')"), "created NOLOGIN");
        assertEquals("t", dst.queryForString("postgres", "SELECT rolcreatedb FROM pg_roles WHERE rolname = 'rv_owner'"),
                "an attribute the migration user has is kept");
        assertEquals("t", dst.queryForString("postgres", "SELECT pg_has_role('rv_reader', 'rv_group', 'MEMBER')"), "membership kept");
        assertEquals("true|true|false", dst.queryForString(DB, "SELECT has_table_privilege('rv_reader', 'sales.orders', 'SELECT') || '|'"
                + " || has_table_privilege('rv_reader', 'public.notes', 'INSERT') || '|'"
                + " || has_table_privilege('rv_reader', 'sales.orders', 'INSERT')"), "grants as on the source");
        assertEquals("100|5050", dst.queryForString(DB, "SELECT orders || '|' || amount FROM order_totals"), "filled after the dump");
        assertEquals("200", dst.queryForString(DB, "SELECT orders2 FROM order_doubled"), "filled after the view it reads");
        assertEquals("false", dst.queryForString(DB, "SELECT relispopulated::text FROM pg_class WHERE relname = 'orders_later'"),
                "WITH NO DATA stays unpopulated");

        // Large objects: copied with the dump, with their owner, grant and comment; compared by verify.
        PgCluster src = TestStack.get().source();
        assertEquals(largeObjects(src), largeObjects(dst));
        assertEquals(MIGRATION_USER, dst.queryForString(DB, "SELECT pg_get_userbyid(lomowner) FROM pg_largeobject_metadata"
                + " WHERE oid = 424202"), "the source superuser's object stays the migration user's: it may not act as a superuser");
        assertEquals("rv_owner|1|the manual's first chapter", dst.queryForString(DB, "SELECT pg_get_userbyid(lomowner) || '|'"
                + " || (SELECT count(*) FROM aclexplode(lomacl) a WHERE a.grantee = 'rv_reader'::regrole) || '|'"
                + " || obj_description(oid, 'pg_largeobject') FROM pg_largeobject_metadata WHERE oid = 424201"));
        JsonPath checked = verifyData("rv-1");
        assertEquals("EQUAL", checked.getString("tables.find { it.table == 'pg_largeobject' }.result"), checked.prettify());
        assertEquals(3, checked.getInt("tables.find { it.table == 'pg_largeobject' }.sourceRows"), checked.prettify());

        // CDC writes into tables owned by a role the migration user is no superuser over; large objects change too.
        TestStack.get().source().execute(DB, "INSERT INTO sales.orders SELECT i, i FROM generate_series(101, 150) i;"
                + " UPDATE public.notes SET body = 'changed' WHERE id = 1; SELECT lo_put(424201, 0, convert_to('CHAPTER', 'UTF8'));"
                + " SELECT lo_unlink(424203); SELECT lo_from_bytea(424204, 'written during CDC'::bytea)");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                () -> "150".equals(dst.queryForString(DB, "SELECT count(*) FROM sales.orders")));
        assertEquals("100", dst.queryForString(DB, "SELECT orders FROM order_totals"), "a view is not refreshed during CDC");

        action("rv-1", "promote").then().statusCode(200);
        awaitStatus("rv-1", "COMPLETED", 120);
        assertEquals("150|11325", dst.queryForString(DB, "SELECT orders || '|' || amount FROM order_totals"), "refreshed at promote");
        assertEquals("300", dst.queryForString(DB, "SELECT orders2 FROM order_doubled"), "refreshed at promote, after its input");
        assertEquals("false", dst.queryForString(DB, "SELECT relispopulated::text FROM pg_class WHERE relname = 'orders_later'"));
        assertEquals(largeObjects(src), largeObjects(dst), "large objects copied again at promote");
        assertTrue(largeObjects(dst).contains("424204:"), largeObjects(dst));
    }

    /** Every large object of the database: oid, md5 of its content, comment (owners: asserted apart). */
    private static String largeObjects(PgCluster cluster) {
        return cluster.queryForString(DB, "SELECT string_agg(oid || ':' || md5(lo_get(oid))"
                + " || ':' || coalesce(obj_description(oid, 'pg_largeobject'), ''), ',' ORDER BY oid) FROM pg_largeobject_metadata");
    }

    @Test
    void theRolesSettingIsValidatedKeptOnTheJobAndSaysWhatThePreflightExpects() {
        request().body(Map.of("id", "rv-bad", "source", "rv-src", "destination", "rv-dst", "roles", "DROP"))
                .post("/v1/migration-jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("roles"))
                .body("errors[0].message", containsString("CREATE_MISSING, SKIP, REQUIRE_EXISTING"));
        request().body(Map.of("id", "rv-skip", "source", "rv-src", "destination", "rv-dst", "databases", List.of(SKIP_DB),
                "roles", "SKIP")).post("/v1/migration-jobs").then().statusCode(200).body("response.roles", equalTo("SKIP"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "SKIP".equals(job("rv-skip").path("roles")));
        JsonPath skip = verify("rv-skip");
        assertTrue(skip.getBoolean("passed"), skip.prettify());
        assertEquals(List.of("rv_skip_owner"), skip.getList("findings.find { it.code == 'ROLES_MISSING_ON_DESTINATION' }.objects"));
        assertTrue(skip.getString("findings.find { it.code == 'ROLES_MISSING_ON_DESTINATION' }.message")
                .contains("SKIP: no role is created"), skip.prettify());

        request().body(Map.of("roles", "REQUIRE_EXISTING")).patch("/v1/migration-jobs/rv-skip").then().statusCode(200)
                .body("response.roles", equalTo("REQUIRE_EXISTING"));
        JsonPath required = verify("rv-skip");
        assertFalse(required.getBoolean("passed"), required.prettify());
        assertEquals("ERROR", required.getString("findings.find { it.code == 'ROLES_MISSING_ON_DESTINATION' }.severity"));
        request().body(Map.of("roles", "ALL")).patch("/v1/migration-jobs/rv-skip").then().statusCode(400)
                .body("errors[0].field", equalTo("roles"));
    }
}
