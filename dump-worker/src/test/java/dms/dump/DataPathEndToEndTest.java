package dms.dump;

import dms.common.pg.ReplicationSlots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.CopyRange;
import dms.common.sql.SqlIdentifiers;
import dms.common.verify.TableChecksum;
import dms.common.verify.TableChecksum.Checksum;
import dms.devstack.PgCluster;
import dms.dump.catalog.TableCatalog;
import dms.dump.catalog.TableInfo;
import dms.common.pg.PgConnector;
import dms.dump.copy.CopyFormat;
import dms.dump.copy.CopyResult;
import dms.dump.copy.TableCopier;
import dms.dump.schema.SchemaDump;
import dms.common.pg.SequenceSync;
import dms.dump.snapshot.SlotAlreadyExistsException;
import dms.dump.snapshot.SlotSnapshot;
import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole data path of one database on real clusters: publication and slot, schema at the
 * snapshot, parallel copies (whole tables, key ranges, ctid ranges) of the snapshot while the
 * source keeps changing, post-data, sequences; then the destination must equal the source as of
 * the snapshot, table by table, and the slot must hold exactly the changes made after it.
 */
class DataPathEndToEndTest {

    /** A database name that needs quoting everywhere: JDBC URL, libpq conninfo, SQL. */
    private static final String DB = "shop's \"db\" ü";
    private static final String SLOT = "dms_e2e_slot";
    private static final String PUB = "dms_e2e_slot_pub";
    private static final String SALES = SqlIdentifiers.quote("Sales \"EU\"");
    private static final int EVENTS = 200_000;

    private static TestClusters clusters;
    private static PgCluster source;
    private static PgCluster destination;
    private static ConnectionProfile sourceProfile;
    private static ConnectionProfile destinationProfile;
    private static PgConnector connector;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("source", "destination");
        source = clusters.cluster(0);
        destination = clusters.cluster(1);
        sourceProfile = clusters.profile(0);
        destinationProfile = clusters.profile(1);
        connector = clusters.connector;
        source.createDatabase(DB);
        source.execute(DB, SOURCE_SCHEMA.replace("SALES", SALES));
        source.execute(DB, SOURCE_DATA.replace("SALES", SALES));
    }

    @AfterAll
    static void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void fullDumpOfOneDatabase() throws Exception {
        List<TableInfo> tables;
        try (Connection c = connector.open(sourceProfile, DB)) {
            tables = TableCatalog.list(c);
        }
        Map<String, TableInfo> byName = new LinkedHashMap<>();
        tables.forEach(t -> byName.put(t.name(), t));
        assertEquals(List.of("event_log", "events"), tables.subList(0, 2).stream().map(TableInfo::name).sorted().toList(),
                "the two big tables come first");

        Map<String, Checksum> atSnapshot = new LinkedHashMap<>();
        Map<String, CopyResult> results = new ConcurrentHashMap<>();
        SchemaDump schema = new SchemaDump(connector);
        byte[] dump;
        SlotSnapshot snapshot = SlotSnapshot.create(connector, sourceProfile, DB, PUB, SLOT, tables);
        try {
            assertTrue(snapshot.snapshotName().matches("[0-9A-F-]+"), snapshot.snapshotName());
            assertEquals(tables.stream().filter(TableInfo::publishable).map(TableInfo::toString).sorted().toList(),
                    publicationTables(), "published: every table with a replica identity, and only those");
            assertFalse(publicationTables().contains("public.event_log"), "no key: kept out of the publication");
            assertFalse(publicationTables().contains("public.cache_entries"), "unlogged: kept out of the publication");
            assertThrows(SlotAlreadyExistsException.class,
                    () -> SlotSnapshot.create(connector, sourceProfile, DB, PUB, SLOT, tables));

            // The source goes on: none of this may reach the copy, all of it must be in the slot.
            source.execute(DB, AFTER_SLOT.replace("SALES", SALES));

            try (Connection c = connector.open(sourceProfile, DB)) {
                schema.checkClientVersion(c);
                // The source as the snapshot sees it, for the final comparison.
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    st.execute("SET TRANSACTION SNAPSHOT " + TableCopier.snapshotLiteral(snapshot.snapshotName()));
                }
                for (TableInfo t : tables) {
                    atSnapshot.put(t.toString(), TableChecksum.of(c, t.schema(), t.name(), t.primaryKey()));
                }
                c.rollback();
            }
            assertEquals(EVENTS, atSnapshot.get("public.events").rows());

            dump = schema.dumpSchema(sourceProfile, DB, snapshot.snapshotName());
            destination.createDatabase(DB);
            schema.restore(dump, destinationProfile, DB, SchemaDump.Section.PRE_DATA, 1, true);

            copyAllInParallel(tables, snapshot.snapshotName(), results);
        } finally {
            snapshot.close();
        }
        schema.restore(dump, destinationProfile, DB, SchemaDump.Section.POST_DATA, 2, true);
        int sequences;
        try (Connection s = connector.open(sourceProfile, DB); Connection d = connector.open(destinationProfile, DB)) {
            sequences = SequenceSync.sync(s, d);
        }
        assertEquals(3, sequences, "invoice_no, unused_seq and the identity of orders");

        // Every table equals the source at the snapshot, not the source now.
        try (Connection d = connector.open(destinationProfile, DB); Connection s = connector.open(sourceProfile, DB)) {
            for (TableInfo t : tables) {
                assertEquals(atSnapshot.get(t.toString()), TableChecksum.of(d, t.schema(), t.name(), t.primaryKey()), t.toString());
            }
            assertNotEquals(atSnapshot.get("public.events"), TableChecksum.of(s, "public", "events", List.of("id")),
                    "the source changed after the snapshot (else this test proves nothing)");
            assertEquals(0, count(d, "SELECT count(*) FROM events WHERE id > " + EVENTS), "rows inserted after the slot");
            assertEquals(1, count(d, "SELECT count(*) FROM events WHERE id = 5"), "row deleted after the slot");
            assertEquals(1, count(d, "SELECT count(*) FROM events WHERE id = 7 AND kind = 'kind0'"), "row updated after the slot");
            assertEquals(0, count(d, "SELECT count(*) FROM customers WHERE id = 1001"));
        }

        // Formats: binary by default; text where the binary form is not portable or does not exist.
        assertEquals(CopyFormat.TEXT, results.get("public.moods_log").format(), "mood[]: array of a user type");
        assertEquals(CopyFormat.TEXT, results.get("public.notes").format(), "plaintext has no binary output: fell back");
        assertEquals(CopyFormat.TEXT, results.get("public.kv").format(), "hstore[]: array of an extension type");
        assertEquals(CopyFormat.BINARY, results.get("public.orders").format());
        assertEquals(CopyFormat.BINARY, results.get("public.customers").format());

        assertSchemaArrived();
        assertSequencesSynced();
        assertRedeliveredCopiesDoNotDuplicate(tables, byName);
        assertSlotHoldsTheChangesAfterIt(snapshot);

        ReplicationSlots.dropSlotAndPublication(connector, sourceProfile, DB, SLOT, PUB);
        assertEquals("0", source.queryForString("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'"));
        assertEquals("0", source.queryForString(DB, "SELECT count(*) FROM pg_publication WHERE pubname = '" + PUB + "'"));
        ReplicationSlots.dropSlotAndPublication(connector, sourceProfile, DB, SLOT, PUB); // again: nothing to do, no error
    }

    /** Each table in its own session pair, the big ones in ranges, three at a time, all under one snapshot. */
    private static void copyAllInParallel(List<TableInfo> tables, String snapshotName, Map<String, CopyResult> results)
            throws Exception {
        record Unit(TableInfo table, CopyRange range) {}
        List<Unit> units = new ArrayList<>();
        try (Connection s = connector.open(sourceProfile, DB); Connection d = connector.open(destinationProfile, DB)) {
            for (TableInfo t : tables) {
                List<CopyRange> ranges = TableCopier.planRanges(s, t, 4L << 20);
                if (t.name().equals("events") || t.name().equals("event_log")) {
                    // PostgreSQL 14+: page ranges (TID range scans) even with an integer key.
                    assertTrue(ranges.size() >= 3 && ranges.stream().allMatch(r -> r.kind() == CopyRange.Kind.CTID), ranges.toString());
                    TableCopier.truncate(d, t); // ctid ranges delete nothing on their own
                } else {
                    assertEquals(List.of(CopyRange.WHOLE), ranges, t.toString());
                }
                ranges.forEach(r -> units.add(new Unit(t, r)));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<CopyResult>> futures = new ArrayList<>();
            for (Unit u : units) {
                futures.add(pool.submit(() -> {
                    try (Connection s = connector.open(sourceProfile, DB); Connection d = connector.open(destinationProfile, DB)) {
                        CopyResult r = new TableCopier(s, d).copy(u.table(), u.range(), snapshotName, false); // first attempt: empty
                        if (u.range().isWhole()) {
                            results.put(u.table().toString(), r);
                        }
                        return r;
                    }
                }));
            }
            long rows = 0;
            for (Future<CopyResult> f : futures) {
                rows += f.get().rows();
            }
            assertTrue(rows >= 2L * EVENTS, "rows copied: " + rows);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSchemaArrived() throws SQLException {
        try (Connection d = connector.open(destinationProfile, DB)) {
            assertEquals(1, count(d, "SELECT count(*) FROM pg_views WHERE viewname = 'big_orders'"), "view");
            assertEquals(1, count(d, "SELECT count(*) FROM pg_proc WHERE proname = 'order_total'"), "function");
            assertEquals(1, count(d, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_created_idx'"), "index");
            assertEquals(1, count(d, "SELECT count(*) FROM pg_constraint WHERE conname = 'orders_customer_id_fkey' AND contype = 'f'"), "FK");
            assertEquals(3, count(d, "SELECT count(*) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'mood'"), "enum");
            assertEquals(1, count(d, "SELECT count(*) FROM pg_extension WHERE extname = 'hstore'"), "extension");
            assertEquals(1, count(d, "SELECT count(*) FROM pg_constraint WHERE conrelid = '" + SALES.replace("'", "''")
                    + ".\"Bestellungen ü\"'::regclass AND contype = 'p'"), "primary key (post-data)");
            try (Statement st = d.createStatement();
                 ResultSet rs = st.executeQuery("SELECT obj_description('customers'::regclass, 'pg_class')")) {
                rs.next();
                assertEquals("people who buy", rs.getString(1), "comment");
            }
            assertEquals(0, count(d, "SELECT count(*) FROM pg_publication"), "replication set-ups are not copied");
            assertEquals(110, count(d, "SELECT sum(total)::int FROM orders WHERE id <= 2"), "generated column recomputed");
            try (Statement st = d.createStatement()) {
                st.execute("CREATE EXTENSION pg_visibility");
            }
            assertEquals(count(d, "SELECT pg_relation_size('measurements_2024') / 8192"),
                    count(d, "SELECT all_frozen FROM pg_visibility_map_summary('measurements_2024')"),
                    "a whole-table copy writes its rows frozen (COPY FREEZE after TRUNCATE)");
        }
    }

    private static void assertSequencesSynced() throws SQLException {
        try (Connection d = connector.open(destinationProfile, DB)) {
            assertEquals(1006, count(d, "SELECT nextval('invoice_no')"),
                    "the source's live value (1005, taken after the snapshot), not the snapshot's 1004");
            assertEquals(7, count(d, "SELECT nextval('unused_seq')"), "never used: starts at its start");
            assertTrue(count(d, "SELECT nextval(pg_get_serial_sequence('orders', 'id'))") > 5, "identity after the copied ids");
        }
    }

    /** A task delivered twice copies again: the table ends the same, not doubled. */
    private static void assertRedeliveredCopiesDoNotDuplicate(List<TableInfo> tables, Map<String, TableInfo> byName) throws Exception {
        String snapshotName;
        // A fresh snapshot: the first one is released. Recopying now brings the source as it is now.
        try (Connection exporter = connector.open(sourceProfile, DB); Connection s = connector.open(sourceProfile, DB);
             Connection d = connector.open(destinationProfile, DB)) {
            exporter.setAutoCommit(false);
            try (Statement st = exporter.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                snapshotName = rs.getString(1);
            }
            TableInfo events = byName.get("events");
            TableInfo customers = byName.get("customers");
            TableCopier copier = new TableCopier(s, d);
            copier.copy(customers, CopyRange.WHOLE, snapshotName);
            copier.copy(customers, CopyRange.WHOLE, snapshotName);
            // Key ranges (what a source before 14 gets) delete their range first: copied twice, they are there once.
            List<CopyRange> keyRanges = List.of(new CopyRange(CopyRange.Kind.PRIMARY_KEY, "id", null, (long) EVENTS / 2),
                    new CopyRange(CopyRange.Kind.PRIMARY_KEY, "id", (long) EVENTS / 2, null));
            for (CopyRange r : keyRanges) {
                copier.copy(events, r, snapshotName);
            }
            CopyResult again = copier.copy(events, keyRanges.get(1), snapshotName);
            assertTrue(again.rows() > 0);
            assertEquals(TableChecksum.of(s, "public", "customers", List.of("id")), TableChecksum.of(d, "public", "customers", List.of("id")));
            assertEquals(TableChecksum.of(s, "public", "events", List.of("id")), TableChecksum.of(d, "public", "events", List.of("id")));
            assertEquals(EVENTS + 9, TableChecksum.of(d, "public", "events", List.of("id")).rows());
            exporter.rollback();
        }
    }

    /** The slot's stream starts at its consistent point: exactly the changes made after the slot, of published tables. */
    private static void assertSlotHoldsTheChangesAfterIt(SlotSnapshot snapshot) throws SQLException {
        try (Connection s = connector.open(sourceProfile, DB);
             PreparedStatement ps = s.prepareStatement("""
                     SELECT chr(get_byte(data, 0)) AS kind, count(*), min(lsn) >= ?::pg_lsn
                     FROM pg_logical_slot_peek_binary_changes(?, NULL, NULL, 'proto_version', '1', 'publication_names', ?)
                     GROUP BY 1""")) {
            ps.setString(1, snapshot.consistentLsn().toString());
            ps.setString(2, SLOT);
            ps.setString(3, PUB);
            Map<String, Long> kinds = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kinds.put(rs.getString(1), rs.getLong(2));
                    assertTrue(rs.getBoolean(3), "changes at or after the consistent LSN " + snapshot.consistentLsn());
                }
            }
            // Inserts: 1 customer, 2 orders, 10 events, 1 row of "Bestellungen ü"; event_log (no key) is not published.
            assertEquals(14L, kinds.get("I"), kinds.toString());
            assertEquals(1L, kinds.get("U"), kinds.toString());
            assertEquals(1L, kinds.get("D"), kinds.toString());
        }
    }

    private static List<String> publicationTables() {
        String list = source.queryForString(DB, "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY 1)"
                + " FROM pg_publication_tables WHERE pubname = '" + PUB + "'");
        return list == null ? List.of() : List.of(list.split(",")).stream().sorted().toList();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String SOURCE_SCHEMA = """
            CREATE EXTENSION hstore;
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
            -- A base type with no binary send/receive, as some extensions' types are.
            CREATE TYPE plaintext;
            CREATE FUNCTION plaintext_in(cstring) RETURNS plaintext AS 'textin' LANGUAGE internal IMMUTABLE STRICT;
            CREATE FUNCTION plaintext_out(plaintext) RETURNS cstring AS 'textout' LANGUAGE internal IMMUTABLE STRICT;
            CREATE TYPE plaintext (INPUT = plaintext_in, OUTPUT = plaintext_out, LIKE = text);

            CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text UNIQUE);
            COMMENT ON TABLE customers IS 'people who buy';
            CREATE TABLE orders (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                customer_id int NOT NULL REFERENCES customers (id),
                amount numeric(12, 2), qty smallint,
                total numeric GENERATED ALWAYS AS (amount * qty) STORED,
                note text, payload bytea, created timestamptz, doc jsonb, uid uuid, tags text[], scores int[],
                mood mood, rating posint, ratio double precision, flag boolean, day date, span interval, attrs hstore,
                big text);
            CREATE INDEX orders_created_idx ON orders (created);
            CREATE TABLE moods_log (id int PRIMARY KEY, moods mood[]);
            CREATE TABLE notes (id int PRIMARY KEY, body plaintext);
            CREATE TABLE kv (id int PRIMARY KEY, pairs hstore[]);
            CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, at timestamptz, payload text);
            CREATE TABLE event_log (at timestamptz, line text);
            CREATE UNLOGGED TABLE cache_entries (k text PRIMARY KEY, v text);
            CREATE TABLE measurements (city int, logdate date, v numeric, PRIMARY KEY (city, logdate)) PARTITION BY RANGE (logdate);
            CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE SCHEMA SALES;
            CREATE TABLE SALES."Bestellungen ü" (id int PRIMARY KEY, "Menge ""x""\" int, "Straße" text);
            CREATE SEQUENCE invoice_no START 1000;
            CREATE SEQUENCE unused_seq START 7;
            CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
            CREATE FUNCTION order_total(bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM orders WHERE id = $1 $$;
            """;

    private static final String SOURCE_DATA = """
            INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 100) g;
            INSERT INTO orders (customer_id, amount, qty, note, payload, created, doc, uid, tags, scores, mood, rating,
                                ratio, flag, day, span, attrs, big) VALUES
              (1, 10.50, 2, 'first ü €', '\\x00ff10'::bytea, '2024-02-29 12:34:56.789+01', '{"a": [1, 2, {"b": null}]}',
               'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', ARRAY['x', 'y, z', NULL, '"quoted"'], ARRAY[1, NULL, 3], 'happy', 42,
               0.1, true, '2024-02-29', '1 year 2 mons 3 days 04:05:06.7', 'a=>1, "b c"=>NULL', repeat('ü', 50000)),
              (2, 44.44, 2, E'tab\\there\\nnewline \\\\ backslash', '\\x'::bytea, '-infinity', 'null', NULL, '{}', '{}', 'sad', 1,
               'NaN', false, 'infinity', '-1 day', '', repeat('long text ', 10240)),
              (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (4, 99999999.99, 32767, '', '\\xdeadbeef', 'epoch', '[]', gen_random_uuid(), ARRAY[''], ARRAY[-2147483648],
               'ok', 2147483647, 1e308, NULL, '0001-01-01 BC', '0', 'k=>v', ''),
              (5, 0.01, 1, 'five', NULL, now(), '{"n": 1.5e300}', gen_random_uuid(), NULL, NULL, 'ok', 5, -0.0, true,
               now()::date, '1 microsecond', NULL, repeat(md5('x'), 3200));
            INSERT INTO moods_log VALUES (1, ARRAY['sad', 'happy']::mood[]), (2, NULL), (3, '{}');
            INSERT INTO notes VALUES (1, 'plain'), (2, NULL), (3, 'ü, "quoted", \\ backslash');
            INSERT INTO kv VALUES (1, ARRAY['a=>1', 'b=>NULL']::hstore[]), (2, NULL);
            INSERT INTO events SELECT g, 'kind' || (g % 7), '2024-01-01'::timestamptz + g * interval '1 second',
                                      repeat(md5(g::text), 3) FROM generate_series(1, 200000) g;
            INSERT INTO event_log SELECT '2024-01-01'::timestamptz + g * interval '1 second', repeat(md5(g::text), 3)
                                  FROM generate_series(1, 200000) g;
            INSERT INTO cache_entries SELECT 'k' || g, 'v' || g FROM generate_series(1, 50) g;
            INSERT INTO measurements SELECT g % 10, '2024-06-01'::date + g, g * 1.5 FROM generate_series(1, 400) g;
            INSERT INTO SALES."Bestellungen ü" SELECT g, g * 2, 'Straße ' || g FROM generate_series(1, 30) g;
            SELECT nextval('invoice_no') FROM generate_series(1, 5);
            """;

    private static final String AFTER_SLOT = """
            INSERT INTO customers VALUES (1001, 'late', 'late@example.com');
            INSERT INTO orders (customer_id, amount, qty) VALUES (1001, 1, 1), (1001, 2, 2);
            INSERT INTO events SELECT g, 'late', now(), 'late' FROM generate_series(200001, 200010) g;
            UPDATE events SET kind = 'changed' WHERE id = 7;
            DELETE FROM events WHERE id = 5;
            INSERT INTO event_log VALUES (now(), 'late');
            INSERT INTO SALES."Bestellungen ü" VALUES (31, 62, 'late');
            SELECT nextval('invoice_no');
            """;
}
