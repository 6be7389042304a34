package dms.cdc.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.cdc.testing.TestClusters;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs of updates and deletes by key as one statement each, on a real server: every type family sent as text and
 * cast to its column's type, repeated keys collapsed to their last change, rows not found counted as the change by
 * change statements count them, and a run that meets a unique constraint rolled back alone.
 */
class MultiRowApplierTest {

    private static final String DB = "multirow_db";
    private static TestClusters clusters;

    @BeforeAll
    static void start() {
        clusters = TextRows.typesServer("multirow", DB);
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void updatesOfEveryTypeFamilyRepeatedKeysAndMissingRows() throws Exception {
        try (Connection c = clusters.cluster(0).connect(DB)) {
            // every row but the first there with only its key: the run updates them, and inserts the first (unmatched)
            execute(c, "INSERT INTO copied.types (id) SELECT id FROM public.types WHERE id > (SELECT min(id) FROM public.types)");
            DestinationTable table = new DestinationCatalog(c).table(new TableRef("copied", "types"));
            List<String> columns = List.copyOf(table.columns().keySet());
            List<List<String>> rows = TextRows.ofTypes(c, columns);
            // a stale change of each of two keys first: the last change of a key wins
            List<List<String>> run = new ArrayList<>();
            for (List<String> row : rows.subList(0, 2)) {
                List<String> stale = new ArrayList<>(row);
                stale.set(columns.indexOf("t"), "stale");
                run.add(stale);
            }
            run.addAll(rows);
            c.setAutoCommit(false);
            long unmatched = new MultiRowApplier(c).apply(ChangeSql.updateRun(table, columns), run);
            c.commit();
            assertEquals(1, unmatched, "the first row was not there");
            assertEquals(TextRows.whole(c, "public.types"), TextRows.whole(c, "copied.types"));
        }
    }

    @Test
    void deletesCountTheChangesThatFoundNoRow() throws Exception {
        try (Connection c = clusters.cluster(0).connect(DB)) {
            execute(c, "CREATE TABLE copied.pairs (a int, b text, v text, PRIMARY KEY (a, b));"
                    + " INSERT INTO copied.pairs SELECT g, 'k' || g, 'v' FROM generate_series(1, 20) g");
            DestinationTable table = new DestinationCatalog(c).table(new TableRef("copied", "pairs"));
            List<List<String>> keys = new ArrayList<>();
            for (int a = 1; a <= 10; a++) {
                keys.add(List.of(String.valueOf(a), "k" + a));
            }
            keys.add(List.of("3", "k3")); // deleted twice: the second finds nothing, as a DELETE per change would
            keys.add(List.of("99", "k99")); // never there
            c.setAutoCommit(false);
            assertEquals(2, new MultiRowApplier(c).apply(ChangeSql.deleteRun(table), keys));
            c.commit();
            assertEquals("11-20", TextRows.query(c, "SELECT min(a) || '-' || max(a) FROM copied.pairs"));
        }
    }

    @Test
    void aRunMeetingAUniqueConstraintIsRolledBackAlone() throws Exception {
        try (Connection c = clusters.cluster(0).connect(DB)) {
            execute(c, "CREATE TABLE copied.uniq (id int PRIMARY KEY, u int UNIQUE); INSERT INTO copied.uniq VALUES (1, 1), (2, 2)");
            DestinationTable table = new DestinationCatalog(c).table(new TableRef("copied", "uniq"));
            c.setAutoCommit(false);
            execute(c, "INSERT INTO copied.uniq VALUES (10, 10)");
            // in order, valid (1 moves out of the way first); collapsed to a swap, which one statement cannot do
            List<List<String>> run = List.of(List.of("1", "3"), List.of("2", "1"), List.of("1", "2"));
            assertEquals(-1, new MultiRowApplier(c).apply(ChangeSql.updateRun(table, List.of("id", "u")), run));
            c.commit();
            assertEquals("1=1,2=2,10=10", TextRows.query(c, "SELECT string_agg(id || '=' || u, ',' ORDER BY id) FROM copied.uniq"));
        }
    }

    /** The savepoint costs two round trips and a subtransaction per run: only where another unique index may reject a row. */
    @Test
    void onlyRunsOfTablesWithAnotherUniqueIndexGoInASavepoint() throws Exception {
        try (Connection c = clusters.cluster(0).connect(DB)) {
            execute(c, "CREATE TABLE copied.keyed (id int PRIMARY KEY, v int, w int);"
                    + " CREATE INDEX keyed_v ON copied.keyed (v);"
                    + " CREATE TABLE copied.keyed_unique (id int PRIMARY KEY, v int); CREATE UNIQUE INDEX keyed_unique_v ON copied.keyed_unique (v);"
                    + " CREATE TABLE copied.identity_keyed (a int NOT NULL, b int); CREATE UNIQUE INDEX identity_keyed_a ON copied.identity_keyed (a);"
                    + " ALTER TABLE copied.identity_keyed REPLICA IDENTITY USING INDEX identity_keyed_a;"
                    + " CREATE TABLE copied.parted (id int PRIMARY KEY, v int) PARTITION BY RANGE (id);"
                    + " CREATE TABLE copied.parted_1 PARTITION OF copied.parted FOR VALUES FROM (0) TO (100)");
            DestinationCatalog catalog = new DestinationCatalog(c);
            assertEquals(false, ChangeSql.updateRun(catalog.table(new TableRef("copied", "keyed")), List.of("id", "v", "w")).guarded());
            assertEquals(true, ChangeSql.updateRun(catalog.table(new TableRef("copied", "keyed_unique")), List.of("id", "v")).guarded());
            assertEquals(false, ChangeSql.updateRun(catalog.table(new TableRef("copied", "identity_keyed")), List.of("a", "b")).guarded(),
                    "its key is the replica identity index");
            assertEquals(true, ChangeSql.updateRun(catalog.table(new TableRef("copied", "parted")), List.of("id", "v")).guarded(),
                    "a partition may have unique indexes of its own");
            // unguarded, the run is applied as well
            DestinationTable keyed = catalog.table(new TableRef("copied", "keyed"));
            c.setAutoCommit(false);
            assertEquals(2, new MultiRowApplier(c).apply(ChangeSql.updateRun(keyed, List.of("id", "v", "w")),
                    List.of(List.of("1", "1", "1"), List.of("2", "2", "2"), List.of("1", "3", "3"))));
            c.commit();
            assertEquals("1=3,2=2", TextRows.query(c, "SELECT string_agg(id || '=' || v, ',' ORDER BY id) FROM copied.keyed"));
        }
    }

    @Test
    void collapsingKeepsTheLastChangeOfEachKeyInTheOrderOfThoseLastChanges() {
        List<List<String>> rows = List.of(List.of("1", "a"), List.of("2", "b"), List.of("1", "c"), List.of("3", "d"));
        assertEquals(List.of(List.of("2", "b"), List.of("1", "c"), List.of("3", "d")), MultiRowApplier.lastByKey(rows, new int[] {0}));
        assertEquals(rows.subList(0, 2), MultiRowApplier.lastByKey(rows.subList(0, 2), new int[] {0}));
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

}
