package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.sql.SqlIdentifiers;
import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tables whose names are SQL, spaces, quotes, unicode or mixed case, in a schema with a dot in
 * its name, with columns named the same way: each migrates as a table through the full dump and
 * CDC, and nothing is executed from a name.
 */
class OddNamesTest {

    private static final String DB = "odd_names";
    private static final List<String[]> TABLES = List.of(
            new String[] {"public", "x\"; DROP TABLE y; --"},
            new String[] {"public", "with space"},
            new String[] {"public", "it's quoted"},
            new String[] {"public", "MixedCase"},
            new String[] {"public", "ünïcödé_表"},
            new String[] {"my.schema", "t.1"},
            new String[] {"My Schema", "Select"});
    private static final String ID = "the \"id\"";
    private static final String VALUE = "Val'ue; --";

    @BeforeAll
    static void sourceWithOddNames() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.createDatabase(DB);
        StringBuilder sql = new StringBuilder("""
                CREATE TABLE y (id int PRIMARY KEY);
                INSERT INTO y VALUES (1);
                CREATE SCHEMA "my.schema";
                CREATE SCHEMA "My Schema";
                """);
        for (String[] t : TABLES) {
            String name = SqlIdentifiers.qualified(t[0], t[1]);
            sql.append("CREATE TABLE ").append(name).append(" (").append(SqlIdentifiers.quote(ID)).append(" int PRIMARY KEY, ")
                    .append(SqlIdentifiers.quote(VALUE)).append(" text);\n")
                    .append("INSERT INTO ").append(name).append(" SELECT i, 'row ' || i || ' of ' || ")
                    .append(literal(t[1])).append(" FROM generate_series(1, 300) i;\n");
        }
        source.execute(DB, sql.toString());
    }

    @Test
    void oddlyNamedTablesMigrateThroughDumpAndCdc() throws Exception {
        PgCluster source = TestStack.get().source();
        createProfiles("odd");
        createJob("odd-1", "odd", List.of(DB)).then().statusCode(200);
        action("odd-1", "start").then().statusCode(200);
        awaitStatus("odd-1", "RUNNING/CDC", 120);
        awaitEqual();

        StringBuilder changes = new StringBuilder();
        for (String[] t : TABLES) {
            String name = SqlIdentifiers.qualified(t[0], t[1]);
            String id = SqlIdentifiers.quote(ID);
            String value = SqlIdentifiers.quote(VALUE);
            changes.append("INSERT INTO ").append(name).append(" VALUES (1000, 'late ünïcödé ''quoted''');\n")
                    .append("UPDATE ").append(name).append(" SET ").append(value).append(" = 'changed' WHERE ").append(id).append(" % 10 = 0;\n")
                    .append("DELETE FROM ").append(name).append(" WHERE ").append(id).append(" % 7 = 0;\n");
        }
        source.execute(DB, changes.toString());
        awaitEqual();

        try (Connection dst = TestStack.get().destination().connect(DB)) {
            assertEquals("1", query(dst, "SELECT count(*) FROM y"), "the table named in the SQL-looking name is untouched");
            for (String[] t : TABLES) {
                assertEquals("1", query(dst, "SELECT count(*) FROM pg_tables WHERE schemaname = " + literal(t[0])
                        + " AND tablename = " + literal(t[1])), "table " + t[0] + "." + t[1] + " on the destination");
            }
        }
        action("odd-1", "promote").then().statusCode(200);
        awaitStatus("odd-1", "COMPLETED", 120);
        try (Connection src = source.connect(DB)) {
            assertEquals("1", query(src, "SELECT count(*) FROM y"));
        }
    }

    private static void awaitEqual() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Connection src = TestStack.get().source().connect(DB); Connection dst = TestStack.get().destination().connect(DB)) {
                for (String[] t : TABLES) {
                    assertEquals(TableChecksum.of(src, t[0], t[1], List.of(ID)), TableChecksum.of(dst, t[0], t[1], List.of(ID)),
                            "table " + t[0] + "." + t[1]);
                }
            }
        });
    }

    /** A string literal for the test's own constants (the system under test never builds SQL this way). */
    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String query(Connection c, String sql) throws Exception {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
