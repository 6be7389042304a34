package dms.common.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dms.common.verify.TableChecksum.Checksum;
import dms.devstack.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TableChecksumTest {

    private static Path dir;
    private static PgCluster pg;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "dms-checksum-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        pg = new PgCluster("checksum", dir.resolve("pg")).start();
        pg.createDatabase("c_db");
        // The same rows under an ICU collation that orders 'B' after 'a' (C puts it before).
        pg.execute("postgres", "CREATE DATABASE icu_db TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C'");
        String ddl = """
                CREATE TABLE t (k text PRIMARY KEY, n int, "Odd ""col"" x" text);
                CREATE TABLE same_rows_other_order (LIKE t INCLUDING ALL);
                CREATE TABLE one_changed (LIKE t INCLUDING ALL);
                CREATE TABLE null_vs_empty (LIKE t INCLUDING ALL);
                CREATE TABLE empty (LIKE t INCLUDING ALL);
                INSERT INTO t VALUES ('a', 1, 'x'), ('B', 2, NULL), ('c', 3, ''), ('Ä', 4, 'ü');
                INSERT INTO same_rows_other_order SELECT * FROM t ORDER BY k DESC;
                INSERT INTO one_changed SELECT k, CASE WHEN k = 'c' THEN 30 ELSE n END, "Odd ""col"" x" FROM t;
                INSERT INTO null_vs_empty SELECT k, n, coalesce("Odd ""col"" x", '') FROM t;
                CREATE TABLE has_t (t int PRIMARY KEY, v text);
                CREATE TABLE has_t_other (t int PRIMARY KEY, v text);
                INSERT INTO has_t VALUES (1, 'a');
                INSERT INTO has_t_other VALUES (1, 'b');
                CREATE TABLE composite (day date, n int, v text, PRIMARY KEY (day, n));
                INSERT INTO composite SELECT date '2024-01-01' + i / 10, i % 10, 'v' || i FROM generate_series(0, 999) i;
                CREATE TABLE composite_copy AS SELECT * FROM composite;
                ALTER TABLE composite_copy ADD PRIMARY KEY (day, n);
                UPDATE composite_copy SET v = 'changed' WHERE day = date '2024-01-01' + 42 AND n = 7;
                """;
        pg.execute("c_db", ddl);
        pg.execute("icu_db", ddl);
    }

    @AfterAll
    static void stop() throws IOException {
        pg.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void equalRowsEqualChecksumsWhateverTheirOrder() throws Exception {
        try (Connection c = pg.connect("c_db")) {
            Checksum t = TableChecksum.of(c, "public", "t", List.of("k"));
            assertEquals(4, t.rows());
            assertEquals(t, TableChecksum.of(c, "public", "same_rows_other_order", List.of("k")));
            assertEquals(TableChecksum.of(c, "public", "t", List.of()), TableChecksum.of(c, "public", "same_rows_other_order", List.of()),
                    "no key: ordered by row hash");
            assertNotEquals(t, TableChecksum.of(c, "public", "one_changed", List.of("k")));
            assertNotEquals(t, TableChecksum.of(c, "public", "null_vs_empty", List.of("k")), "NULL is not ''");
            assertNotEquals(TableChecksum.of(c, "public", "has_t", List.of("t")), TableChecksum.of(c, "public", "has_t_other", List.of("t")),
                    "a column named t is not the whole row");
            assertEquals(new Checksum(0, "d41d8cd98f00b204e9800998ecf8427e"), TableChecksum.of(c, "public", "empty", List.of("k")));
        }
    }

    @Test
    void sameRowsOnServersWithDifferentCollations() throws Exception {
        try (Connection c = pg.connect("c_db"); Connection icu = pg.connect("icu_db")) {
            assertNotEquals(firstKey(c), firstKey(icu), "the two databases sort text differently");
            assertEquals(TableChecksum.of(c, "public", "t", List.of("k")), TableChecksum.of(icu, "public", "t", List.of("k")));
        }
    }

    @Test
    void chunksInKeyOrderCoverEveryRowOnceAndFindTheOneChanged() throws Exception {
        List<String> key = List.of("day", "n");
        try (Connection c = pg.connect("c_db")) {
            long rows = 0;
            int chunks = 0;
            List<KeyRange> differing = new java.util.ArrayList<>();
            List<String> after = null;
            while (true) {
                List<String> upTo = KeyChunks.nextBound(c, "public", "composite", key, after, 70);
                KeyRange range = new KeyRange(after, upTo);
                Checksum chunk = TableChecksum.of(c, "public", "composite", key, range);
                rows += chunk.rows();
                chunks++;
                if (!chunk.equals(TableChecksum.of(c, "public", "composite_copy", key, range))) {
                    differing.add(range);
                }
                if (upTo == null) {
                    break;
                }
                after = upTo;
            }
            assertEquals(1000, rows, "every row in exactly one chunk");
            List<String> last = KeyChunks.lastKey(c, "public", "composite", key, null);
            assertEquals(List.of("2024-04-09", "9"), last);
            assertEquals(null, KeyChunks.lastKey(c, "public", "composite", key, last), "nothing after the last key");
            assertEquals(15, chunks, "14 full chunks of 70 and the rest");
            assertEquals(1, differing.size(), differing.toString());
            assertEquals(TableChecksum.of(c, "public", "composite", key), TableChecksum.of(c, "public", "composite", key, KeyRange.ALL));
            assertEquals(10, TableChecksum.of(c, "public", "composite", key,
                    new KeyRange(List.of("2024-01-02", "9"), List.of("2024-01-03", "9"))).rows(), "bounds are text parsed as the key's types");
        }
    }

    private static String firstKey(Connection c) throws Exception {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT k FROM t ORDER BY k LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
