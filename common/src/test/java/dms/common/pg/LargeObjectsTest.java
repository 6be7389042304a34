package dms.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dms.devstack.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Large objects made the source's on the destination: content, comment, owner and grants; idempotent. */
class LargeObjectsTest {

    @Test
    void aSyncCopiesWhatDiffersRemovesWhatTheSourceLacksAndThenHasNothingToDo() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dms-large-objects-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PgCluster pg = new PgCluster("large-objects", dir.resolve("pg")).start()) {
            pg.createDatabase("src");
            pg.createDatabase("dst");
            pg.execute("src", """
                    CREATE ROLE lo_owner NOLOGIN; CREATE ROLE lo_reader NOLOGIN;
                    SELECT lo_from_bytea(1001, 'hello'::bytea);
                    SELECT lo_from_bytea(1002, convert_to(repeat('0123456789abcdef', 200000), 'UTF8'));
                    SELECT lo_from_bytea(1003, '\\x00ff00'::bytea);
                    SELECT lo_from_bytea(1004, ''::bytea);
                    COMMENT ON LARGE OBJECT 1001 IS 'it''s a greeting';
                    ALTER LARGE OBJECT 1002 OWNER TO lo_owner;
                    GRANT SELECT ON LARGE OBJECT 1002 TO lo_reader;
                    """);
            pg.execute("dst", """
                    SELECT lo_from_bytea(1003, 'stale content'::bytea);
                    SELECT lo_from_bytea(2000, 'not on the source'::bytea);
                    """);
            try (Connection source = pg.connect("src"); Connection destination = pg.connect("dst")) {
                assertNotEquals(LargeObjects.summary(source), LargeObjects.summary(destination));

                LargeObjects.Synced first = LargeObjects.sync(source, destination, true);
                assertEquals(new LargeObjects.Synced(4, 1, 0, 5 + 3_200_000 + 3, 0), first, "3.2 MB in chunks of 1 MB");
                assertEquals(LargeObjects.summary(source), LargeObjects.summary(destination));
                assertEquals(4, LargeObjects.summary(destination).count());

                assertEquals(new LargeObjects.Synced(0, 0, 4, 0, 0), LargeObjects.sync(source, destination, true), "nothing left to do");
            }
            assertEquals("it's a greeting", pg.queryForString("dst", "SELECT obj_description(1001, 'pg_largeobject')"));
            assertEquals("lo_owner", pg.queryForString("dst", "SELECT pg_get_userbyid(lomowner) FROM pg_largeobject_metadata WHERE oid = 1002"));
            assertEquals("t", pg.queryForString("dst", "SELECT EXISTS (SELECT 1 FROM pg_largeobject_metadata m, aclexplode(m.lomacl) a"
                    + " WHERE m.oid = 1002 AND a.grantee = 'lo_reader'::regrole AND a.privilege_type = 'SELECT')"));
            assertEquals("f", pg.queryForString("dst", "SELECT EXISTS (SELECT 1 FROM pg_largeobject_metadata WHERE oid = 2000)"));
            assertEquals(pg.queryForString("src", "SELECT md5(lo_get(1002))"), pg.queryForString("dst", "SELECT md5(lo_get(1002))"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
