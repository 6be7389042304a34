package dms.cdc.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.testing.TestClusters;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * COPY's text encoding of every type family, on a real server: rows of the common-types table read as their text
 * output (what pgoutput sends) and inserted by {@link CopyInserter} into a twin table come out equal, and a run that
 * meets a key already there is rolled back alone.
 */
class CopyInserterTest {

    private static final String DB = "copy_db";
    private static TestClusters clusters;

    @BeforeAll
    static void start() {
        // what COPY's text format escapes or reads specially: tab, line ends, backslashes, \N and \. as data
        clusters = TextRows.typesServer("copy", DB, "INSERT INTO types (id, t, ta, by, j) VALUES (30, E'tab\\there\\r\\nline \\\\ back \\\\N \\\\.',"
                + " ARRAY[E'a\\tb', E'\\\\N', NULL, '\\.', E'x\\ny'], '\\x5c0a09', '{\"k\": \"\\\\\\\\ \\\\t\"}')",
                "INSERT INTO types (id, t) VALUES (31, E'\\\\.'), (32, ''), (33, ' ')");
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void everyTypeFamilyArrivesEqual() throws Exception {
        try (Connection c = clusters.cluster(0).connect(DB)) {
            DestinationTable table = new DestinationCatalog(c).table(new TableRef("copied", "types"));
            List<String> columns = List.copyOf(table.columns().keySet());
            List<List<String>> rows = TextRows.ofTypes(c, columns);
            assertTrue(rows.size() >= 10, "rows of every type: " + rows.size());
            c.setAutoCommit(false);
            assertTrue(new CopyInserter(c).insert(table.ref(), ChangeSql.copy(table, columns), rows));
            c.commit();
            assertEquals(TextRows.whole(c, "public.types"), TextRows.whole(c, "copied.types"));
            assertEquals("tab\there\r\nline \\ back \\N \\.", TextRows.query(c, "SELECT t FROM copied.types WHERE id = 30"));
            assertEquals("t", TextRows.query(c, "SELECT (SELECT t FROM copied.types WHERE id = 13) IS NULL AND (SELECT t FROM copied.types WHERE id = 32) = ''"));
        }
    }

    @Test
    void aRunMeetingARowAlreadyThereIsRolledBackAlone() throws Exception {
        try (Connection c = clusters.cluster(0).connect(DB)) {
            c.createStatement().execute("CREATE TABLE copied.pairs (id int PRIMARY KEY, v text); INSERT INTO copied.pairs VALUES (2, 'there')");
            DestinationTable table = new DestinationCatalog(c).table(new TableRef("copied", "pairs"));
            List<String> columns = List.of("id", "v");
            c.setAutoCommit(false);
            c.createStatement().execute("INSERT INTO copied.pairs VALUES (10, 'before the run')");
            CopyInserter copier = new CopyInserter(c);
            assertFalse(copier.insert(table.ref(), ChangeSql.copy(table, columns), List.of(List.of("1", "one"), List.of("2", "two"))));
            assertTrue(copier.insert(table.ref(), ChangeSql.copy(table, columns), List.of(List.of("3", "three"))));
            c.commit();
            assertEquals("2=there,3=three,10=before the run", TextRows.query(c, "SELECT string_agg(id || '=' || v, ',' ORDER BY id) FROM copied.pairs"));
        }
    }
}
