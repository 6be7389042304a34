package dms.e2e;

import static dms.e2e.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.DmsService;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * :start really migrates: a real dump-worker prepares the database (publication, slot,
 * schema), copies every table in parallel units (big ones in ranges) under the slot's
 * snapshot, restores post-data, syncs sequences; the job reaches RUNNING/CDC and every table
 * is equal on both sides.
 */
class FullDumpTest {

    private static final String DB = "dump_shop";

    @BeforeAll
    static void sourceDatabase() throws Exception {
        TestStack.dumpWorker();
        TestStack.cdcWorker(); // the one that watches the slot from the dump on, and takes over at RUNNING/CDC
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        try (Connection c = source.connect(DB); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                    CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
                    CREATE TABLE customers (id bigserial PRIMARY KEY, email text UNIQUE NOT NULL, mood mood,
                        born date, balance numeric(12,2), tags text[], doc jsonb, avatar bytea, seen timestamptz,
                        token uuid, score positive, total int GENERATED ALWAYS AS (coalesce(score, 0) * 2) STORED);
                    COMMENT ON TABLE customers IS 'buyers';
                    CREATE TABLE events (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id),
                        kind text NOT NULL, payload text, at timestamptz NOT NULL);
                    CREATE INDEX events_by_customer ON events (customer_id, at);
                    CREATE TABLE audit_log (at timestamptz, who text, what text);
                    CREATE SCHEMA \"Sales \"\"EU\"\"\";
                    CREATE TABLE \"Sales \"\"EU\"\"\".\"Bestellungen ü\" (\"Menge \"\"x\"\"\" int PRIMARY KEY, \"Straße\" text);
                    CREATE VIEW happy_customers AS SELECT id, email FROM customers WHERE mood = 'happy';
                    CREATE FUNCTION double_it(i int) RETURNS int LANGUAGE sql AS 'SELECT i * 2';
                    INSERT INTO customers (email, mood, born, balance, tags, doc, avatar, seen, token, score)
                    SELECT 'c' || i || '@x.org', (ARRAY['sad','ok','happy']::mood[])[1 + i % 3], date '1970-01-01' + i,
                           i * 1.25, ARRAY['a' || i, NULL], jsonb_build_object('i', i, 'nested', jsonb_build_array(i, 'x')),
                           decode(md5(i::text), 'hex'), now() - i * interval '1 minute', gen_random_uuid(),
                           CASE WHEN i % 7 = 0 THEN NULL ELSE i END
                    FROM generate_series(1, 3000) i;
                    INSERT INTO customers (email, doc) VALUES ('big@x.org', jsonb_build_object('blob', repeat('z', 100000)));
                    INSERT INTO events SELECT i, 1 + i % 3000, 'kind' || (i % 5), repeat(md5(i::text), 3), now() - i * interval '1 second'
                    FROM generate_series(1, 60000) i;
                    INSERT INTO audit_log SELECT now(), 'user' || i, repeat('w', 200) FROM generate_series(1, 20000) i;
                    INSERT INTO \"Sales \"\"EU\"\"\".\"Bestellungen ü\" SELECT i, 'Hauptstraße ' || i FROM generate_series(1, 500) i;
                    SELECT setval('customers_id_seq', 5000);
                    ANALYZE;
                    """);
        }
    }

    @Test
    void startCopiesEveryTableUnderOneSnapshotAndHandsOverToCdc() throws Exception {
        createProfiles("fd");
        createJob("fd-1", "fd", List.of(DB)).then().statusCode(200);
        action("fd-1", "start").then().statusCode(200);
        awaitStatus("fd-1", "RUNNING/CDC", 120);

        JsonPath job = job("fd-1").then().statusCode(200).extract().jsonPath();
        assertEquals(4, job.getInt("databaseProgress[0].tablesTotal"));
        assertEquals(4, job.getInt("databaseProgress[0].tablesCopied"));
        assertEquals(3001 + 60000 + 20000 + 500, job.getLong("databaseProgress[0].rowsCopied"));
        assertEquals(100.0, job.getDouble("databaseProgress[0].percentCopied"));
        assertEquals(List.of("public.audit_log"), job.getList("databaseProgress[0].tablesWithoutReplicaIdentity"));
        // Each table's copy: state, rows, rate.
        assertEquals(4, job.getList("databaseProgress[0].tables").size());
        assertEquals(List.of("COPIED", "COPIED", "COPIED", "COPIED"), job.getList("databaseProgress[0].tables.state"));
        assertEquals(60000, job.getInt("databaseProgress[0].tables.find { it.table == 'public.events' }.rows"));
        assertNotNull(job.get("databaseProgress[0].tables.find { it.table == 'public.events' }.megabytesPerSecond"));
        String slot = job.getString("databaseProgress[0].slotName");
        assertNotNull(job.getString("databaseProgress[0].consistentLsn"));
        // The cdc-worker measures the slot every lag tick (1 s here) from the dump on; a dump of a few seconds can
        // reach CDC before the first measurement has come through Kafka: it shows within a few ticks.
        Awaitility.await("WAL retained by the slot is shown").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> job("fd-1").jsonPath().get("databaseProgress[0].retainedWalBytes") != null);

        PgCluster source = TestStack.get().source();
        PgCluster destination = TestStack.get().destination();
        try (Connection src = source.connect(DB); Connection dst = destination.connect(DB)) {
            Map<String, List<String>> tables = new LinkedHashMap<>();
            tables.put("public.customers", List.of("id"));
            tables.put("public.events", List.of("id"));
            tables.put("public.audit_log", List.of());
            tables.put("Sales \"EU\".Bestellungen ü", List.of("Menge \"x\""));
            for (var t : tables.entrySet()) {
                String schema = t.getKey().substring(0, t.getKey().indexOf('.'));
                String name = t.getKey().substring(t.getKey().indexOf('.') + 1);
                assertEquals(TableChecksum.of(src, schema, name, t.getValue()), TableChecksum.of(dst, schema, name, t.getValue()),
                        "table " + t.getKey() + " equal on both sides");
            }
            // The generated column is computed by the destination, the same way.
            assertEquals(query(src, "SELECT sum(total) FROM customers"), query(dst, "SELECT sum(total) FROM customers"));
            // Post-data, sequences, views, functions, types and comments came along.
            assertEquals("events_by_customer", query(dst, "SELECT indexname FROM pg_indexes WHERE indexname = 'events_by_customer'"));
            assertEquals("1", query(dst, "SELECT count(*) FROM pg_constraint WHERE conname = 'events_customer_id_fkey'"));
            assertEquals("5000", query(dst, "SELECT last_value FROM customers_id_seq"));
            assertEquals("10", query(dst, "SELECT double_it(5)"));
            assertEquals(query(src, "SELECT count(*) FROM happy_customers"), query(dst, "SELECT count(*) FROM happy_customers"));
            assertEquals("buyers", query(dst, "SELECT obj_description('customers'::regclass)"));
            assertEquals("sad,ok,happy", query(dst, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"));
        }
        try (Connection src = source.connect(DB)) {
            assertEquals("1", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
            List<String> published = list(src, "SELECT tablename FROM pg_publication_tables ORDER BY 1");
            assertTrue(published.contains("events") && !published.contains("audit_log"), "published: " + published);
        }
        // The big table was split (above the stack's range-bytes): the dump worker's log shows its ranges, by pages
        // (TID range scans: the source is PostgreSQL 14+). Tables copied whole got their indexes right after their copy.
        String workerLog = java.nio.file.Files.readString(TestStack.dumpWorker().logFile());
        assertTrue(workerLog.contains("events (pages ["), "events copied in page ranges");
        assertTrue(workerLog.contains("Indexed fd-1/"), "indexes built after a whole table's copy");

        request().delete("/v1/migration-jobs/fd-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("fd-1", "404", 60);
        try (Connection src = source.connect(DB)) {
            assertEquals("0", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
            assertEquals("0", query(src, "SELECT count(*) FROM pg_publication"));
        }
        try (Connection admin = destination.connect("postgres")) {
            assertEquals("0", query(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + DB + "'"));
        }
    }

    @Test
    void stopMidDumpCancelsTheCopiesAndRestartMigratesFromScratch() throws Exception {
        PgCluster source = TestStack.get().source();
        source.createDatabase("dump_stop");
        source.execute("dump_stop", "CREATE TABLE wide (id bigint PRIMARY KEY, body text);"
                + " INSERT INTO wide SELECT i, repeat(md5(i::text), 6) FROM generate_series(1, 250000) i; ANALYZE");
        createProfiles("stop");
        request().body(Map.of("id", "stop-1", "source", "stop-src", "destination", "stop-dst", "databases", List.of("dump_stop"),
                "dumpParallelism", "MIN")).post("/v1/migration-jobs").then().statusCode(200);
        action("stop-1", "start").then().statusCode(200);
        awaitStatus("stop-1", "RUNNING/FULL_DUMP", 60);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> job("stop-1").jsonPath().getInt("databaseProgress[0].tablesTotal") == 1
                        && job("stop-1").jsonPath().getLong("databaseProgress[0].rowsCopied") > 0);
        assertTrue(job("stop-1").jsonPath().getDouble("databaseProgress[0].percentCopied") < 100.0, "stopped before the end");

        long stopAt = System.nanoTime();
        action("stop-1", "stop").then().statusCode(200);
        awaitStatus("stop-1", "STOPPED/FULL_DUMP", 30);
        long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
        assertTrue(stopMillis < 10_000, "stopped within seconds, took " + stopMillis + " ms");
        try (Connection src = source.connect("dump_stop"); Connection dst = TestStack.get().destination().connect("dump_stop")) {
            assertEquals("0", query(src, "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'COPY%' AND pid <> pg_backend_pid()"),
                    "no COPY left running on the source");
            assertEquals("0", query(dst, "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'COPY%' AND pid <> pg_backend_pid()"),
                    "no COPY left running on the destination");
            assertEquals("1", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_stop_1_%'"), "slot kept");
        }

        action("stop-1", "restart").then().statusCode(200);
        awaitStatus("stop-1", "RUNNING/CDC", 120);
        try (Connection src = source.connect("dump_stop"); Connection dst = TestStack.get().destination().connect("dump_stop")) {
            assertEquals(TableChecksum.of(src, "public", "wide", List.of("id")), TableChecksum.of(dst, "public", "wide", List.of("id")));
            assertEquals("1", query(src, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'dms_stop_1_%'"),
                    "the restart replaced the slot, it did not add one");
        }
        request().delete("/v1/migration-jobs/stop-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("stop-1", "404", 60);
    }

    @Test
    void stopMidDumpThenResumeCopiesOnlyWhatWasNotCopied() throws Exception {
        PgCluster source = TestStack.get().source();
        source.createDatabase("dump_resume");
        StringBuilder ddl = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            // Sizes differ, so the copy order (biggest first) is known: t8 first ... t1 last.
            ddl.append("CREATE TABLE t").append(i).append(" (id bigint PRIMARY KEY, body text);")
                    .append(" INSERT INTO t").append(i).append(" SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, ")
                    .append(20000 + i * 5000).append(") g;");
        }
        source.execute("dump_resume", ddl + " ANALYZE");
        createProfiles("res");
        request().body(Map.of("id", "res-1", "source", "res-src", "destination", "res-dst", "databases", List.of("dump_resume"),
                "dumpParallelism", "MIN")).post("/v1/migration-jobs").then().statusCode(200);
        action("res-1", "start").then().statusCode(200);
        awaitStatus("res-1", "RUNNING/FULL_DUMP", 60);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> job("res-1").jsonPath().getInt("databaseProgress[0].tablesCopied") >= 2);
        action("res-1", "stop").then().statusCode(200);
        awaitStatus("res-1", "STOPPED/FULL_DUMP", 30);
        JsonPath stopped = job("res-1").jsonPath();
        int copiedBeforeStop = stopped.getInt("databaseProgress[0].tablesCopied");
        assertTrue(copiedBeforeStop >= 2 && copiedBeforeStop < 8, "stopped mid-dump with " + copiedBeforeStop + " tables copied");
        String slotLsn = stopped.getString("databaseProgress[0].consistentLsn");

        action("res-1", "resume").then().statusCode(200);
        awaitStatus("res-1", "RUNNING/CDC", 120);
        JsonPath done = job("res-1").jsonPath();
        assertEquals(slotLsn, done.getString("databaseProgress[0].consistentLsn"), "the job's slot (its CDC start) was kept");
        PgCluster destination = TestStack.get().destination();
        String log = java.nio.file.Files.readString(TestStack.dumpWorker().logFile());
        try (Connection src = source.connect("dump_resume"); Connection dst = destination.connect("dump_resume")) {
            for (int i = 1; i <= 8; i++) {
                assertEquals(TableChecksum.of(src, "public", "t" + i, List.of("id")), TableChecksum.of(dst, "public", "t" + i, List.of("id")),
                        "table t" + i + " equal on both sides");
            }
            // Every table is recorded once with the sync LSN of the snapshot its rows came from: the slot's for
            // those copied before the stop, a later one for the others (CDC skips their older changes).
            List<String> syncs = list(dst, "SELECT table_name || ' ' || (min(sync_lsn) = max(sync_lsn)) || ' '"
                    + " || (max(sync_lsn) = '" + slotLsn + "'::pg_lsn) FROM dms_internal.copied_unit GROUP BY table_name ORDER BY 1");
            assertEquals(8, syncs.size(), "one record set per table: " + syncs);
            long atSlot = syncs.stream().filter(r -> r.endsWith("true true")).count();
            long later = syncs.stream().filter(r -> r.endsWith("true false")).count();
            assertEquals(copiedBeforeStop, atSlot, "tables kept from before the stop: " + syncs);
            assertEquals(8 - copiedBeforeStop, later, "tables copied after the resume: " + syncs);
            // The dump worker's task log: the tables copied before the stop were not copied again.
            for (int i = 1; i <= 8; i++) {
                String table = "t" + i;
                long copies = log.lines().filter(l -> l.contains("Copied res-1/dump_resume public." + table + " ")).count();
                boolean keptFromBeforeStop = syncs.contains(table + " true true");
                long units = Long.parseLong(query(dst, "SELECT count(*) FROM dms_internal.copied_unit WHERE table_name = '" + table + "'"));
                if (keptFromBeforeStop) {
                    assertEquals(units, copies, table + " was copied before the stop (" + units + " units) and not again");
                } else {
                    assertTrue(copies >= 1, table + " was copied after the resume");
                }
            }
        }
        request().delete("/v1/migration-jobs/res-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("res-1", "404", 60);
    }

    @Test
    void dumpParallelismBoundsTheCopiesInFlightAndAnEditAppliesLive() throws Exception {
        PgCluster source = TestStack.get().source();
        source.createDatabase("dump_par");
        StringBuilder ddl = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            ddl.append("CREATE TABLE p").append(i).append(" (id bigint PRIMARY KEY, body text);")
                    .append(" INSERT INTO p").append(i).append(" SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 30000) g;");
        }
        source.execute("dump_par", ddl + " ANALYZE");
        createProfiles("par");
        request().body(Map.of("id", "par-1", "source", "par-src", "destination", "par-dst", "databases", List.of("dump_par"),
                "dumpParallelism", "MIN")).post("/v1/migration-jobs").then().statusCode(200);
        action("par-1", "start").then().statusCode(200);
        awaitStatus("par-1", "RUNNING/FULL_DUMP", 60);

        // MIN: one copy at a time, seen in the job document's per-table states.
        int mostAtOnceWithMin = 0;
        long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            JsonPath p = job("par-1").jsonPath();
            mostAtOnceWithMin = Math.max(mostAtOnceWithMin, copying(p));
            if (p.getInt("databaseProgress[0].tablesCopied") >= 2) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals(1, mostAtOnceWithMin, "MIN copies one unit at a time");

        request().body(Map.of("dumpParallelism", "MAX")).patch("/v1/migration-jobs/par-1").then().statusCode(200);
        int mostAtOnceWithMax = 0;
        while (!status("par-1").equals("RUNNING/CDC") && mostAtOnceWithMax < 2) {
            mostAtOnceWithMax = Math.max(mostAtOnceWithMax, copying(job("par-1").jsonPath()));
            Thread.sleep(20);
        }
        assertTrue(mostAtOnceWithMax >= 2, "after the edit to MAX, several copies ran at once, without a restart");
        assertEquals(1, runEpoch("par-1"), "same run: no restart");
        awaitStatus("par-1", "RUNNING/CDC", 120);
        try (Connection src = source.connect("dump_par"); Connection dst = TestStack.get().destination().connect("dump_par")) {
            for (int i = 1; i <= 12; i++) {
                assertEquals(TableChecksum.of(src, "public", "p" + i, List.of("id")), TableChecksum.of(dst, "public", "p" + i, List.of("id")));
            }
        }
        request().delete("/v1/migration-jobs/par-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("par-1", "404", 60);
    }

    @Test
    void twoDumpWorkersShareTheCopiesOfOneDatabase() throws Exception {
        // Copy tasks are keyed by unit: these names put the first twelve units on at least four of the six
        // partitions, so however the group splits the partitions between two workers, both get copies.
        String jobId = jobWhoseCopiesSpread("two-", "dump_two", 12, 4);
        ServiceProcess second = TestStack.get().newService(DmsService.DUMP_WORKER, "dump-worker-2",
                Map.of("dms.dump.range-bytes", String.valueOf(TestStack.RANGE_BYTES)));
        try {
            TestStack.dumpWorker();
            second.start();
            awaitGroupMembers("dms-dump-worker", 2);
            PgCluster source = TestStack.get().source();
            source.createDatabase("dump_two");
            StringBuilder ddl = new StringBuilder();
            for (int i = 1; i <= 12; i++) {
                ddl.append("CREATE TABLE w").append(i).append(" (id bigint PRIMARY KEY, body text);")
                        .append(" INSERT INTO w").append(i).append(" SELECT g, md5(g::text) FROM generate_series(1, 5000) g;");
            }
            source.execute("dump_two", ddl + " ANALYZE");
            createProfiles("two");
            request().body(Map.of("id", jobId, "source", "two-src", "destination", "two-dst", "databases", List.of("dump_two"),
                    "dumpParallelism", "MAX")).post("/v1/migration-jobs").then().statusCode(200);
            action(jobId, "start").then().statusCode(200);
            awaitStatus(jobId, "RUNNING/CDC", 120);
            String copied = "Copied " + jobId + "/dump_two ";
            assertTrue(java.nio.file.Files.readString(TestStack.dumpWorker().logFile()).contains(copied), "the first worker copied units");
            assertTrue(java.nio.file.Files.readString(second.logFile()).contains(copied), "the second worker copied units");
            try (Connection src = source.connect("dump_two"); Connection dst = TestStack.get().destination().connect("dump_two")) {
                for (int i = 1; i <= 12; i++) {
                    assertEquals(TableChecksum.of(src, "public", "w" + i, List.of("id")), TableChecksum.of(dst, "public", "w" + i, List.of("id")));
                }
            }
            request().delete("/v1/migration-jobs/" + jobId + "?purgeDestination=true").then().statusCode(200);
            awaitStatus(jobId, "404", 60);
        } finally {
            second.stop();
        }
    }

    /** A job id whose first {@code units} copy tasks of {@code database} fall on at least {@code partitions} partitions. */
    private static String jobWhoseCopiesSpread(String prefix, String database, int units, int partitions) {
        for (int n = 1; ; n++) {
            String jobId = prefix + n;
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int u = 0; u < units; u++) {
                byte[] key = (jobId + "/" + database + "#" + u).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                seen.add(org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key))
                        % dms.common.kafka.Topics.DUMP_TASKS.partitions());
            }
            if (seen.size() >= partitions) {
                return jobId;
            }
        }
    }

    private static void awaitGroupMembers(String group, int members) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", TestStack.get().bootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(500))
                    .until(() -> {
                        var d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                        return d.members().size() >= members && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                    });
        }
    }

    private static int copying(JsonPath job) {
        List<String> states = job.getList("databaseProgress[0].tables.state");
        return states == null ? 0 : (int) states.stream().filter("COPYING"::equals).count();
    }

    @Test
    void killingTheDumpWorkerMidCopyStillEndsWithEqualTables() throws Exception {
        PgCluster source = TestStack.get().source();
        source.createDatabase("dump_kill");
        source.execute("dump_kill", "CREATE TABLE wide (id bigint PRIMARY KEY, body text);"
                + " INSERT INTO wide SELECT i, repeat(md5(i::text), 6) FROM generate_series(1, 250000) i;"
                + " CREATE TABLE heap_only (v text); INSERT INTO heap_only SELECT repeat('h', 300) || i FROM generate_series(1, 60000) i;"
                + " CREATE TABLE small (id int PRIMARY KEY); INSERT INTO small SELECT generate_series(1, 1000); ANALYZE");
        createProfiles("kill");
        createJob("kill-1", "kill", List.of("dump_kill")).then().statusCode(200);
        action("kill-1", "start").then().statusCode(200);
        awaitStatus("kill-1", "RUNNING/FULL_DUMP", 60);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> job("kill-1").jsonPath().getLong("databaseProgress[0].rowsCopied") > 0);
        assertTrue(job("kill-1").jsonPath().getDouble("databaseProgress[0].percentCopied") < 100.0, "killed mid-dump");

        // The worker that held the snapshot dies with its copies: their tasks come back to the new one,
        // which cannot import the snapshot any more and gets a new one for what is left.
        TestStack.dumpWorker().kill();
        TestStack.dumpWorker();
        awaitStatus("kill-1", "RUNNING/CDC", 180);
        try (Connection src = source.connect("dump_kill"); Connection dst = TestStack.get().destination().connect("dump_kill")) {
            assertEquals(TableChecksum.of(src, "public", "wide", List.of("id")), TableChecksum.of(dst, "public", "wide", List.of("id")));
            assertEquals(TableChecksum.of(src, "public", "heap_only", List.of()), TableChecksum.of(dst, "public", "heap_only", List.of()));
            assertEquals(TableChecksum.of(src, "public", "small", List.of("id")), TableChecksum.of(dst, "public", "small", List.of("id")));
            assertEquals("0", query(src, "SELECT count(*) FROM pg_replication_slots WHERE temporary"), "no temporary slot left");
        }
        request().delete("/v1/migration-jobs/kill-1?purgeDestination=true").then().statusCode(200);
        awaitStatus("kill-1", "404", 60);
    }

    @Test
    void aDestinationThatAlreadyHoldsTablesFailsTheJobWithAClearError() throws Exception {
        PgCluster source = TestStack.get().source();
        source.createDatabase("dump_taken");
        source.execute("dump_taken", "CREATE TABLE t (id int PRIMARY KEY)");
        TestStack.get().destination().createDatabase("dump_taken");
        TestStack.get().destination().execute("dump_taken", "CREATE TABLE somebody_elses (id int)");
        createProfiles("taken");
        createJob("taken-1", "taken", List.of("dump_taken")).then().statusCode(200);
        // The start's pre-flight refuses it, with the finding.
        action("taken-1", "start").then().statusCode(409).body("state", is("NOT_STARTED"))
                .body("findings.code", contains("DESTINATION_DATABASE_NOT_EMPTY")).body("findings[0].database", is("dump_taken"))
                .body("detail", containsString("skipValidation"));
        assertEquals("NOT_STARTED", status("taken-1"));
        // Started anyway, the dump-worker refuses to mix its copy with the tables there, and drops nothing.
        actionWithoutPreflight("taken-1", "start").then().statusCode(200);
        awaitStatus("taken-1", "FAILED", 60);
        job("taken-1").then().body("error.message", allOf(containsString("dump_taken"), containsString("holds 1 table(s)")));
        assertEquals("1", TestStack.get().destination().queryForString("dump_taken",
                "SELECT count(*) FROM pg_class WHERE relname = 'somebody_elses'"));
        request().delete("/v1/migration-jobs/taken-1").then().statusCode(200);
        awaitStatus("taken-1", "404", 60);
    }

    private static String query(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<String> list(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
