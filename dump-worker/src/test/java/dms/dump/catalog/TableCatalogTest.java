package dms.dump.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.sql.SqlIdentifiers;
import dms.devstack.PgCluster;
import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TableCatalogTest {

    private static TestClusters clusters;
    private static PgCluster source;
    private static final String DB = "catalog";

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("source");
        source = clusters.cluster(0);
        source.createDatabase(DB);
        source.execute(DB, """
                CREATE SCHEMA SALES;
                CREATE TABLE SALES."Bestellungen ü" (
                    MENGE int, id bigint PRIMARY KEY, dropped_later text, "Preis" numeric,
                    doppelt numeric GENERATED ALWAYS AS ("Preis" * 2) STORED);
                ALTER TABLE SALES."Bestellungen ü" DROP COLUMN dropped_later;
                INSERT INTO SALES."Bestellungen ü" (MENGE, id, "Preis")
                    SELECT g, g, g FROM generate_series(1, 5000) g;

                CREATE TABLE no_pk (a int, b text);
                CREATE TABLE no_pk_full (a int, b text);
                ALTER TABLE no_pk_full REPLICA IDENTITY FULL;
                CREATE TABLE pk_nothing (id int PRIMARY KEY);
                ALTER TABLE pk_nothing REPLICA IDENTITY NOTHING;
                CREATE TABLE by_index (a int NOT NULL, b int);
                CREATE UNIQUE INDEX by_index_a ON by_index (a);
                ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_a;
                CREATE TABLE composite_pk (b int, a int, c int, PRIMARY KEY (a, b));
                CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY, v text);
                INSERT INTO scratch SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g;

                CREATE TABLE measurements (city int, logdate date, v numeric, PRIMARY KEY (city, logdate))
                    PARTITION BY RANGE (logdate);
                CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

                CREATE TABLE owned_by_extension (id int);
                ALTER EXTENSION plpgsql ADD TABLE owned_by_extension;
                CREATE TEMP TABLE temporary_one (id int);
                CREATE VIEW a_view AS SELECT 1 AS one;
                CREATE MATERIALIZED VIEW a_matview AS SELECT 1 AS one;
                """.replace("SALES", SqlIdentifiers.quote("Sales \"EU\"")).replace("MENGE", SqlIdentifiers.quote("Menge \"x\"")));
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void listsOrdinaryTablesAndLeafPartitionsOnly() throws Exception {
        List<TableInfo> tables = list();
        assertEquals(List.of("Sales \"EU\".Bestellungen ü", "public.by_index", "public.composite_pk",
                        "public.measurements_2024", "public.measurements_2025", "public.no_pk", "public.no_pk_full",
                        "public.pk_nothing", "public.scratch"),
                tables.stream().map(TableInfo::toString).sorted().toList(),
                "no partitioned parent, view, matview, extension-owned or system table");
    }

    @Test
    void columnsSkipGeneratedAndDroppedInAttnumOrder() throws Exception {
        TableInfo t = byName().get("Bestellungen ü");
        assertEquals("Sales \"EU\"", t.schema());
        assertEquals(List.of("Menge \"x\"", "id", "Preis"), t.columns());
        assertEquals(List.of("id"), t.primaryKey());
        assertEquals("\"Sales \"\"EU\"\"\".\"Bestellungen ü\"", t.qualifiedName());
        assertEquals(List.of("a", "b"), byName().get("composite_pk").primaryKey(), "key order, not column order");
    }

    @Test
    void replicaIdentity() throws Exception {
        Map<String, TableInfo> t = byName();
        assertIdentity(t.get("Bestellungen ü"), ReplicaIdentity.DEFAULT, true);
        assertIdentity(t.get("no_pk"), ReplicaIdentity.DEFAULT, false);
        assertIdentity(t.get("no_pk_full"), ReplicaIdentity.FULL, true);
        assertIdentity(t.get("pk_nothing"), ReplicaIdentity.NOTHING, false);
        assertIdentity(t.get("by_index"), ReplicaIdentity.INDEX, true);
        assertIdentity(t.get("measurements_2024"), ReplicaIdentity.DEFAULT, true);
        assertTrue(t.get("no_pk").primaryKey().isEmpty());
    }

    @Test
    void unloggedIsFlaggedAndNotPublishable() throws Exception {
        TableInfo scratch = byName().get("scratch");
        assertTrue(scratch.unlogged());
        assertTrue(scratch.hasReplicaIdentity());
        assertFalse(scratch.publishable(), "unlogged tables cannot be in a publication");
        assertFalse(byName().get("no_pk").unlogged());
    }

    @Test
    void biggestFirstWithSizes() throws Exception {
        List<TableInfo> tables = list();
        for (int i = 1; i < tables.size(); i++) {
            assertTrue(tables.get(i - 1).sizeBytes() >= tables.get(i).sizeBytes(), "ordered by size: " + tables);
        }
        assertEquals("scratch", tables.get(0).name(), "2000 rows of 200 bytes is the biggest");
        assertEquals("Bestellungen ü", tables.get(1).name());
        assertTrue(tables.get(0).sizeBytes() > 400_000, "pg_table_size: " + tables.get(0).sizeBytes());
    }

    @Test
    void indexWorkIsTheTableOncePerIndexPlusTheIndexes() throws Exception {
        source.execute(DB, "CREATE INDEX scratch_v ON scratch (v)");
        try {
            Map<String, TableInfo> t = byName();
            TableInfo scratch = t.get("scratch");
            long indexes = Long.parseLong(source.queryForString(DB, "SELECT pg_relation_size('scratch_pkey') + pg_relation_size('scratch_v')"));
            assertTrue(indexes > 0);
            assertEquals(2 * scratch.sizeBytes() + indexes, scratch.indexBuildBytes(), "two builds, each reading the table");
            assertEquals(0, t.get("no_pk").indexBuildBytes(), "no index, nothing to build");
        } finally {
            source.execute(DB, "DROP INDEX scratch_v");
        }
    }

    @Test
    void estimatedRowsAfterAnalyze() throws Exception {
        assertEquals(0, byName().get("no_pk").estimatedRows(), "never analyzed reads as 0, not -1");
        source.execute(DB, "ANALYZE " + SqlIdentifiers.qualified("Sales \"EU\"", "Bestellungen ü"));
        assertEquals(5000, byName().get("Bestellungen ü").estimatedRows());
    }

    private static void assertIdentity(TableInfo table, ReplicaIdentity identity, boolean has) {
        assertEquals(identity, table.replicaIdentity(), table.toString());
        assertEquals(has, table.hasReplicaIdentity(), table.toString());
    }

    private static List<TableInfo> list() throws Exception {
        try (Connection c = clusters.connector.open(clusters.profile(0), DB)) {
            return TableCatalog.list(c);
        }
    }

    private static Map<String, TableInfo> byName() throws Exception {
        return list().stream().collect(Collectors.toMap(TableInfo::name, Function.identity()));
    }
}
