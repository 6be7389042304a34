package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.ReplicationNames;
import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job with cdcParallelism 2 (docs/cdc.md, "Parallel CDC"): the prepare splits the tables into two publications and
 * slots, the biggest table alone in group 0; a writer runs through the prepare and the dump, into tables of both groups
 * and into a keyless REPLICA IDENTITY FULL table of group 1 (whose slot starts before the dump's snapshot: a change of
 * that window applied again would duplicate its rows); then changes during CDC to both groups, one source transaction
 * spanning both, a table created during CDC (one group takes it), stop and resume, a data check, and promote, which
 * drains both groups and drops both slots and publications.
 */
class CdcGroupsTest {

    private static final String DB = "grp_shop";
    private static final String JOB = "grp-1";
    /** The keyless table: every row compared, duplicates included (the checksum counts rows). */
    private static final Map<String, List<String>> TABLES = Map.of(
            "orders", List.of("id"), "customers", List.of("id"), "notes", List.of("id"), "events", List.of());

    @BeforeAll
    static void workersAndSource() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        // Sizes make the split: orders (biggest) alone in group 0, the others in group 1.
        source.execute(DB, """
                CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, body text NOT NULL);
                CREATE TABLE events (at timestamptz NOT NULL DEFAULT clock_timestamp(), kind text NOT NULL, n bigint NOT NULL);
                ALTER TABLE events REPLICA IDENTITY FULL;
                CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL, balance bigint NOT NULL DEFAULT 0);
                CREATE TABLE notes (id int PRIMARY KEY, body text);
                INSERT INTO orders (customer_id, body) SELECT 1 + i % 500, repeat(md5(i::text), 8) FROM generate_series(1, 20000) i;
                INSERT INTO events (kind, n) SELECT 'seed', i FROM generate_series(1, 8000) i;
                INSERT INTO customers (name) SELECT 'customer ' || i FROM generate_series(1, 500) i;
                INSERT INTO notes VALUES (1, 'one'), (2, 'two');
                """);
    }

    @Test
    void twoGroupsReplicateConcurrentlyAndDrainTogether() throws Exception {
        PgCluster source = TestStack.get().source();
        createProfiles("grp");
        request().body(jobBody(9)).post("/v1/migration-jobs").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("cdcParallelism")));
        request().body(jobBody(2)).post("/v1/migration-jobs").then().statusCode(200)
                .body("response.cdcParallelism", org.hamcrest.Matchers.equalTo(2));

        // Writes through the prepare (the groups' slots are made one after the other) and the dump.
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection c = source.connect(DB); Statement st = c.createStatement()) {
                for (int i = 0; writing.get(); i++) {
                    st.execute("INSERT INTO events (kind, n) VALUES ('during dump', " + i + ")");
                    st.execute("UPDATE customers SET balance = balance + 1 WHERE id = " + (1 + i % 500));
                    st.execute("INSERT INTO orders (customer_id, body) VALUES (" + (1 + i % 500) + ", 'during dump " + i + "')");
                    written.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            action(JOB, "start").then().statusCode(200);
            awaitStatus(JOB, "RUNNING/CDC", 180);
        } finally {
            writing.set(false);
            writer.join(30_000);
        }
        assertTrue(written.get() > 10, "the writer ran through the prepare: " + written.get());

        String slot = ReplicationNames.slot(JOB, DB);
        String publication = ReplicationNames.publication(JOB, DB);
        Map<String, String> groupOf = groupOfEachTable(source);
        assertEquals(Map.of("orders", publication, "events", publication + "_g1", "customers", publication + "_g1",
                "notes", publication + "_g1"), groupOf, "the biggest table alone in group 0");
        try (Connection src = source.connect(DB)) {
            assertEquals(slot + "," + slot + "_g1", query(src, "SELECT string_agg(slot_name, ',' ORDER BY slot_name)"
                    + " FROM pg_replication_slots WHERE slot_name LIKE 'dms_grp_1_%'"), "one slot per group");
        }
        request().body(Map.of("cdcParallelism", 1)).patch("/v1/migration-jobs/" + JOB).then().statusCode(409);
        awaitEqual();

        // During CDC: both groups, one source transaction spanning both, and a table created on the source.
        source.execute(DB, """
                UPDATE orders SET body = 'changed' WHERE id % 100 = 0;
                DELETE FROM events WHERE n % 10 = 0 AND kind = 'seed';
                INSERT INTO notes VALUES (3, 'three');
                BEGIN;
                INSERT INTO orders (customer_id, body) VALUES (7, 'spans both groups');
                UPDATE customers SET balance = balance - 100 WHERE id = 7;
                INSERT INTO events (kind, n) VALUES ('transfer', 7);
                COMMIT;
                CREATE TABLE reviews (id int PRIMARY KEY, order_id bigint, stars int);
                INSERT INTO reviews SELECT i, i, 1 + i % 5 FROM generate_series(1, 1000) i;
                """);
        Map<String, List<String>> withNew = new HashMap<>(TABLES);
        withNew.put("reviews", List.of("id"));
        awaitEqual(withNew);
        try (Connection src = source.connect(DB)) {
            assertEquals("1", query(src, "SELECT count(*) FROM pg_publication_tables WHERE tablename = 'reviews'"
                    + " AND pubname LIKE 'dms_grp_1_%'"), "a new table joins one group's publication");
        }
        source.execute(DB, "INSERT INTO reviews VALUES (1001, 1, 5)");
        awaitEqual(withNew);

        action(JOB, "stop").then().statusCode(200);
        awaitStatus(JOB, "STOPPED/CDC", 60);
        source.execute(DB, """
                INSERT INTO orders (customer_id, body) SELECT 1 + i % 500, 'while stopped' FROM generate_series(1, 2000) i;
                INSERT INTO events (kind, n) SELECT 'while stopped', i FROM generate_series(1, 2000) i;
                UPDATE customers SET name = name || ' (stopped)' WHERE id % 3 = 0;
                """);
        action(JOB, "resume").then().statusCode(200);
        awaitStatus(JOB, "RUNNING/CDC", 60);
        awaitEqual(withNew);

        JsonPath check = verifyData(JOB);
        assertEquals(0, check.getInt("tablesDiffering"), check.prettify());
        assertEquals(withNew.size(), check.getInt("tablesEqual"), check.prettify());

        source.execute(DB, "UPDATE customers SET balance = 42 WHERE id = 1; INSERT INTO orders (customer_id, body) VALUES (1, 'last')");
        action(JOB, "promote").then().statusCode(200);
        awaitStatus(JOB, "COMPLETED", 120);
        try (Connection src = source.connect(DB); Connection dst = TestStack.get().destination().connect(DB)) {
            assertEquals("0", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_grp_1_%'"), "slots dropped");
            assertEquals("0", query(src, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'dms_grp_1_%'"), "publications dropped");
            assertEquals(query(src, "SELECT last_value FROM orders_id_seq"), query(dst, "SELECT last_value FROM orders_id_seq"));
            for (var t : withNew.entrySet()) {
                assertEquals(TableChecksum.of(src, "public", t.getKey(), t.getValue()), TableChecksum.of(dst, "public", t.getKey(), t.getValue()),
                        "table " + t.getKey());
            }
        }
    }

    private static Map<String, Object> jobBody(int cdcParallelism) {
        return Map.of("id", JOB, "source", "grp-src", "destination", "grp-dst", "databases", List.of(DB),
                "cdcParallelism", cdcParallelism);
    }

    /** Each table of the job's publications, with the publication that holds it. */
    private static Map<String, String> groupOfEachTable(PgCluster source) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = source.connect(DB); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT tablename, pubname FROM pg_publication_tables WHERE pubname LIKE 'dms_grp_1_%'"
                     + " AND schemaname = 'public'")) {
            while (rs.next()) {
                assertNull(out.put(rs.getString(1), rs.getString(2)), "a table in one group only: " + rs.getString(1));
            }
        }
        return out;
    }

    private static void awaitEqual() {
        awaitEqual(TABLES);
    }

    private static void awaitEqual(Map<String, List<String>> tables) {
        // A table created during CDC is missing on the destination until its group's stream copies it.
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            List<String> differing = new ArrayList<>();
            try (Connection src = TestStack.get().source().connect(DB); Connection dst = TestStack.get().destination().connect(DB)) {
                for (var t : tables.entrySet()) {
                    if (!TableChecksum.of(src, "public", t.getKey(), t.getValue()).equals(TableChecksum.of(dst, "public", t.getKey(),
                            t.getValue()))) {
                        differing.add(t.getKey());
                    }
                }
            }
            assertEquals(List.of(), differing, "tables that differ");
        });
    }

    private static String query(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
