package dms.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Clusters of the majors the machine's packages do not have start from the servers Maven serves, and stop. */
class PgServersTest {

    @ParameterizedTest
    @ValueSource(ints = {12, 17})
    void aClusterOfAnotherMajorStartsLogicalAndAnswers(int major) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dms-pg" + major + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (PgCluster pg = new PgCluster("pg" + major, dir, major).setting("wal_level", "logical").start()) {
            String version = pg.queryForString("postgres", "SHOW server_version_num");
            assertEquals(major, Integer.parseInt(version) / 10000, version);
            assertEquals("logical", pg.queryForString("postgres", "SHOW wal_level"));
            pg.createDatabase("app");
            pg.execute("app", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)");
            assertEquals("2", pg.queryForString("app", "SELECT count(*) FROM t"));
        } finally {
            Exec.run(java.util.List.of("rm", "-rf", dir.toString()), Path.of("/"), java.time.Duration.ofSeconds(30));
        }
        assertTrue(Files.notExists(dir));
    }
}
