package dms.common.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.devstack.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A sequence the source user may not read is an error, never reset to its start (docs/data-path.md, rule 6). */
class SequenceSyncTest {

    @Test
    void anUnreadableSequenceFailsTheSyncAndLeavesTheDestinationAsItWas() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dms-sequence-test-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PgCluster pg = new PgCluster("sequences", dir.resolve("pg")).start()) {
            pg.createDatabase("src");
            pg.createDatabase("dst");
            String schema = "CREATE SEQUENCE open_seq; CREATE SEQUENCE secret_seq;";
            pg.execute("src", schema + "SELECT setval('open_seq', 70); SELECT setval('secret_seq', 900);"
                    + " CREATE ROLE seq_reader LOGIN PASSWORD 'r'; GRANT SELECT ON open_seq TO seq_reader;");
            pg.execute("dst", schema + "SELECT setval('secret_seq', 900);");
            try (Connection source = DriverManager.getConnection(pg.jdbcUrl("src"), "seq_reader", "r");
                 Connection destination = pg.connect("dst")) {
                SQLException e = assertThrows(SQLException.class, () -> SequenceSync.sync(source, destination));
                assertTrue(e.getMessage().contains("secret_seq"), e.getMessage());
            }
            assertEquals("900", pg.queryForString("dst", "SELECT last_value FROM secret_seq"), "not reset to its start");
            try (Connection source = pg.connect("src"); Connection destination = pg.connect("dst")) {
                assertEquals(2, SequenceSync.sync(source, destination), "a user that reads both sets both");
            }
            assertEquals("70", pg.queryForString("dst", "SELECT last_value FROM open_seq"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
