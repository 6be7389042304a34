package dms.dump.schema;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.dump.testing.TestClusters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaDumpTest {

    private static TestClusters clusters;

    @BeforeAll
    static void start() {
        clusters = TestClusters.start("server");
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    @Test
    void clientOfTheServersVersionPasses() throws Exception {
        SchemaDump dump = new SchemaDump(clusters.connector);
        try (Connection c = clusters.connector.open(clusters.profile(0), "postgres")) {
            assertDoesNotThrow(() -> dump.checkClientVersion(c));
        }
        assertEquals(15, PgClientTools.locate().pgDumpMajorVersion(), "this machine has the PostgreSQL 15 client");
        assertEquals("pg_dump", PgClientTools.locate().pgDump().toRealPath().getFileName().toString(),
                "the real binary, not Debian's pg_wrapper (which picks a version per call)");
    }

    @Test
    void olderClientIsRefusedNamingBothVersions() {
        Path pgDump = Path.of("/usr/lib/postgresql/15/bin/pg_dump");
        SchemaDumpException e = assertThrows(SchemaDumpException.class, () -> SchemaDump.requireClientSupports(15, 17, pgDump));
        assertTrue(e.getMessage().contains("pg_dump 15") && e.getMessage().contains("PostgreSQL 17 source")
                && e.getMessage().contains("postgresql-client-17") && e.getMessage().contains(pgDump.toString())
                && e.getMessage().contains("needs pg_dump 17"), e.getMessage());
        assertDoesNotThrow(() -> SchemaDump.requireClientSupports(17, 15, pgDump), "newer client, older server: fine");
        assertDoesNotThrow(() -> SchemaDump.requireClientSupports(15, 15, pgDump));
    }

    /** Each directory holds a pg_dump that answers --version as that major, and a pg_restore. */
    @Test
    void theNewestPgDumpFoundIsTakenWhereverItIsListed(@TempDir Path dir) throws Exception {
        Path v12 = clientDir(dir, "12", "12.22");
        Path v17 = clientDir(dir, "17", "17.4 (Debian 17.4-1.pgdg120+2)");
        Path alsoV17 = clientDir(dir, "17b", "17.2");
        Path broken = Files.createDirectories(dir.resolve("empty"));
        assertEquals(v17.resolve("pg_dump"), PgClientTools.newest(List.of(broken, v12, v17, alsoV17)).pgDump(),
                "the newest, the first listed on a tie");
        assertEquals(v12.resolve("pg_dump"), PgClientTools.newest(List.of(v12)).pgDump());
        assertThrows(SchemaDumpException.class, () -> PgClientTools.newest(List.of(broken)));
    }

    private static Path clientDir(Path parent, String name, String version) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        for (String tool : List.of("pg_dump", "pg_restore")) {
            Path script = dir.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho '" + tool + " (PostgreSQL) " + version + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    @Test
    void versionLines() {
        assertEquals(15, PgClientTools.parseMajor("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"));
        assertEquals(17, PgClientTools.parseMajor("pg_dump (PostgreSQL) 17devel"));
        assertEquals(9, PgClientTools.parseMajor("pg_dump (PostgreSQL) 9.6.24"));
        assertThrows(SchemaDumpException.class, () -> PgClientTools.parseMajor("something else"));
    }

    @Test
    void postDataAppliedAgainAfterAnInterruptedAttemptSucceeds() throws Exception {
        clusters.cluster(0).createDatabase("post_src");
        clusters.cluster(0).execute("post_src", "CREATE TABLE a (id int PRIMARY KEY, v text); CREATE INDEX a_v ON a (v);"
                + " CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id)); CREATE INDEX b_a ON b (a_id)");
        clusters.cluster(0).createDatabase("post_dst");
        SchemaDump dump = new SchemaDump(clusters.connector);
        byte[] archive;
        try (Connection exporter = clusters.connector.open(clusters.profile(0), "post_src")) {
            exporter.setAutoCommit(false);
            try (java.sql.Statement st = exporter.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                archive = dump.dumpSchema(clusters.profile(0), "post_src", rs.getString(1));
            }
            exporter.rollback();
        }
        dump.restore(archive, clusters.profile(0), "post_dst", SchemaDump.Section.PRE_DATA, 1, true);
        // An interrupted first attempt built some of post-data only.
        clusters.cluster(0).execute("post_dst", "ALTER TABLE a ADD CONSTRAINT a_pkey PRIMARY KEY (id); CREATE INDEX a_v ON a (v)");
        dump.restore(archive, clusters.profile(0), "post_dst", SchemaDump.Section.POST_DATA, 2, true);
        dump.restore(archive, clusters.profile(0), "post_dst", SchemaDump.Section.POST_DATA, 2, true);
        try (Connection c = clusters.connector.open(clusters.profile(0), "post_dst");
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                     + " WHERE schemaname = 'public'")) {
            rs.next();
            assertEquals("a_pkey,a_v,b_a,b_pkey", rs.getString(1));
        }
    }

    @Test
    void failedRestoreSaysWhy() {
        clusters.cluster(0).createDatabase("restore_target");
        SchemaDump dump = new SchemaDump(clusters.connector);
        SchemaDumpException e = assertThrows(SchemaDumpException.class, () -> dump.restore(
                "not an archive".getBytes(StandardCharsets.UTF_8), clusters.profile(0), "restore_target",
                SchemaDump.Section.PRE_DATA, 1, true));
        assertTrue(e.getMessage().contains("pg_restore --section=pre-data") && e.getMessage().contains("input file"), e.getMessage());
    }

    @Test
    void failedDumpSaysWhy() {
        SchemaDump dump = new SchemaDump(clusters.connector);
        SchemaDumpException e = assertThrows(SchemaDumpException.class,
                () -> dump.dumpSchema(clusters.profile(0), "postgres", "00000003-00000002-1"));
        assertTrue(e.getMessage().contains("pg_dump of database postgres failed") && e.getMessage().contains("snapshot"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dump.dumpSchema(clusters.profile(0), "postgres", "x'; DROP"));
    }
}
