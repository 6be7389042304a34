package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * From RUNNING/CDC the destination follows the source (a real cdc-worker, Debezium on the job's
 * slot); stop keeps the slot and resume replays what accumulated; promote drains, syncs the
 * sequences, drops the slot and publication and completes the job.
 */
class CdcTest {

    private static final String DB = "cdc_shop";
    private static final Map<String, List<String>> TABLES = Map.of(
            "accounts", List.of("id"), "ledger", List.of("id"), "notes", List.of("id"));

    @BeforeAll
    static void workersAndSource() throws Exception {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        source.execute(DB, """
                CREATE TABLE accounts (id bigserial PRIMARY KEY, owner text NOT NULL, balance numeric(14,2) NOT NULL,
                    opened timestamptz NOT NULL DEFAULT now(), tags text[], doc jsonb);
                CREATE TABLE ledger (id bigserial PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id),
                    amount numeric(14,2) NOT NULL, at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE notes (id int PRIMARY KEY, body text, due date, at timestamp, local_time timetz);
                ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL;
                INSERT INTO accounts (owner, balance, tags, doc)
                    SELECT 'owner ' || i, i * 10.5, ARRAY['t' || i], jsonb_build_object('i', i) FROM generate_series(1, 2000) i;
                INSERT INTO ledger (account_id, amount) SELECT 1 + i % 2000, i FROM generate_series(1, 10000) i;
                INSERT INTO notes VALUES (1, repeat('big toast value ', 10000)), (2, 'small');
                """);
    }

    @Test
    void destinationFollowsTheSourceThroughStopResumeAndPromote() throws Exception {
        PgCluster source = TestStack.get().source();
        createProfiles("cdc");
        createJob("cdc-1", "cdc", List.of(DB)).then().statusCode(200);
        action("cdc-1", "start").then().statusCode(200);
        awaitStatus("cdc-1", "RUNNING/CDC", 120);

        // Changes after the hand-over: inserts, updates (one of them leaves the TOAST value alone), deletes,
        // and a multi-statement transaction.
        source.execute(DB, """
                INSERT INTO accounts (owner, balance) SELECT 'late ' || i, i FROM generate_series(1, 500) i;
                UPDATE accounts SET balance = balance + 1 WHERE id % 10 = 0;
                UPDATE notes SET id = 3 WHERE id = 2;
                UPDATE notes SET id = 1 WHERE id = 1;
                INSERT INTO notes VALUES (4, 'values Debezium alone loses', 'infinity', '-infinity', '10:15:30.5+05:30'),
                    (5, 'BC and far future', '0044-03-15 BC', '294276-12-31 23:59:59.999999', '23:00-03');
                DELETE FROM ledger WHERE id % 7 = 0;
                BEGIN;
                INSERT INTO accounts (owner, balance) VALUES ('transfer', 0);
                INSERT INTO ledger (account_id, amount) VALUES (currval('accounts_id_seq'), -100), (1, 100);
                COMMIT;
                """);
        awaitEqual();
        // Caught up and idle: heartbeats keep the slot moving, and the lag reads 0 s.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath p = job("cdc-1").jsonPath();
            assertNotNull(p.get("databaseProgress[0].lagBytes"), p.prettify());
            assertEquals(0.0, p.getDouble("databaseProgress[0].lagSeconds"), p.prettify());
        });

        action("cdc-1", "stop").then().statusCode(200);
        awaitStatus("cdc-1", "STOPPED/CDC", 60);
        long retainedAtStop = job("cdc-1").jsonPath().getLong("databaseProgress[0].retainedWalBytes");
        source.execute(DB, "INSERT INTO ledger (account_id, amount) SELECT 1 + i % 2000, -i FROM generate_series(1, 10000) i");
        // Stopped, the slot keeps the WAL written meanwhile, and the job document shows it growing.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> job("cdc-1").jsonPath().getLong("databaseProgress[0].retainedWalBytes") > retainedAtStop + 500_000);
        try (Connection dst = TestStack.get().destination().connect(DB)) {
            assertNotEquals(count(source, "ledger"), query(dst, "SELECT count(*) FROM ledger"), "nothing applied while stopped");
        }
        try (Connection src = source.connect(DB)) {
            assertEquals("1", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_cdc_1_%'"), "slot kept");
        }
        action("cdc-1", "resume").then().statusCode(200);
        awaitStatus("cdc-1", "RUNNING/CDC", 60);
        awaitEqual();

        source.execute(DB, "SELECT setval('ledger_id_seq', 900000)");
        action("cdc-1", "promote").then().statusCode(200);
        awaitStatus("cdc-1", "COMPLETED", 120);
        try (Connection src = source.connect(DB); Connection dst = TestStack.get().destination().connect(DB)) {
            assertEquals("900000", query(dst, "SELECT last_value FROM ledger_id_seq"), "sequences set at promote");
            assertEquals(query(src, "SELECT last_value FROM accounts_id_seq"), query(dst, "SELECT last_value FROM accounts_id_seq"));
            assertEquals("0", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_cdc_1_%'"), "slot dropped");
            assertEquals("0", query(src, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'dms_cdc_1_%'"), "publication dropped");
            for (var t : TABLES.entrySet()) {
                assertEquals(TableChecksum.of(src, "public", t.getKey(), t.getValue()), TableChecksum.of(dst, "public", t.getKey(), t.getValue()));
            }
        }
    }

    @Test
    void killingTheCdcWorkerDuringALoadLosesAndDoublesNothing() throws Exception {
        PgCluster source = TestStack.get().source();
        source.createDatabase("cdc_load");
        source.execute("cdc_load", "CREATE TABLE load (id bigint PRIMARY KEY, body text, n int NOT NULL DEFAULT 0)");
        createProfiles("cdcl");
        createJob("cdcl-1", "cdcl", List.of("cdc_load")).then().statusCode(200);
        action("cdcl-1", "start").then().statusCode(200);
        awaitStatus("cdcl-1", "RUNNING/CDC", 120);

        // 100,000 rows in transactions of 1,000; the worker applying them is killed a third of the way in.
        java.util.concurrent.atomic.AtomicInteger committed = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection c = source.connect("cdc_load")) {
                c.setAutoCommit(false);
                try (var ps = c.prepareStatement("INSERT INTO load (id, body) SELECT g, md5(g::text) FROM generate_series(?, ?) g")) {
                    for (int t = 0; t < 100; t++) {
                        ps.setLong(1, t * 1000L + 1);
                        ps.setLong(2, t * 1000L + 1000);
                        ps.executeUpdate();
                        c.commit();
                        committed.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> committed.get() >= 30);
        TestStack.cdcWorker().kill();
        TestStack.cdcWorker();
        writer.join(120_000);
        assertEquals(100, committed.get());

        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            try (Connection src = source.connect("cdc_load"); Connection dst = TestStack.get().destination().connect("cdc_load")) {
                assertEquals(TableChecksum.of(src, "public", "load", List.of("id")), TableChecksum.of(dst, "public", "load", List.of("id")));
            }
        });
        try (Connection dst = TestStack.get().destination().connect("cdc_load")) {
            // Every change counted once in the position's own transaction: a change applied twice would show here.
            assertEquals("100000", query(dst, "SELECT changes FROM dms_internal.cdc_position WHERE job_id = 'cdcl-1'"));
        }
        request().delete("/v1/migration-jobs/cdcl-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("cdcl-1", "404", 60);
        try (Connection src = source.connect("cdc_load")) {
            assertEquals("0", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_cdcl_1_%'"), "slot dropped");
        }
    }

    private static void awaitEqual() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Connection src = TestStack.get().source().connect(DB); Connection dst = TestStack.get().destination().connect(DB)) {
                for (var t : TABLES.entrySet()) {
                    assertEquals(TableChecksum.of(src, "public", t.getKey(), t.getValue()),
                            TableChecksum.of(dst, "public", t.getKey(), t.getValue()), "table " + t.getKey());
                }
            }
        });
    }

    private static String count(PgCluster cluster, String table) throws Exception {
        try (Connection c = cluster.connect(DB)) {
            return query(c, "SELECT count(*) FROM " + table);
        }
    }

    private static String query(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
