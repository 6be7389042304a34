package dms.dump.postdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.dump.schema.ArchiveToc;
import dms.dump.schema.SchemaDump;
import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A table's indexes and key constraints built from the schema archive right after its copy, then
 * post-data restoring the rest without building them again (real servers, real pg_restore).
 */
class TableIndexesTest {

    @Test
    void aTablesIndexesComeFirstAndPostDataBuildsOnlyTheRest() throws Exception {
        try (TestClusters clusters = TestClusters.start("server")) {
            check(clusters);
        }
    }

    private static void check(TestClusters clusters) throws Exception {
        clusters.cluster(0).createDatabase("ix_src");
        clusters.cluster(0).execute("ix_src", """
                CREATE TABLE "odd ""name"" t" (id int PRIMARY KEY, v text, w int UNIQUE);
                CREATE INDEX "v idx" ON "odd ""name"" t" (v);
                CREATE TABLE b (id int PRIMARY KEY, t_id int REFERENCES "odd ""name"" t"(id));
                CREATE INDEX b_t ON b (t_id);
                INSERT INTO "odd ""name"" t" SELECT g, g::text, g FROM generate_series(1, 1000) g;
                INSERT INTO b SELECT g, g FROM generate_series(1, 10) g;
                """);
        clusters.cluster(0).createDatabase("ix_dst");
        SchemaDump dump = new SchemaDump(clusters.connector);
        byte[] archive;
        try (Connection c = clusters.connector.open(clusters.profile(0), "ix_src")) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                archive = dump.dumpSchema(clusters.profile(0), "ix_src", rs.getString(1));
            }
            c.rollback();
        }
        dump.restore(archive, clusters.profile(0), "ix_dst", SchemaDump.Section.PRE_DATA, 1, true);
        clusters.cluster(0).execute("ix_dst", "INSERT INTO \"odd \"\"name\"\" t\" SELECT g, g::text, g FROM generate_series(1, 1000) g;"
                + " INSERT INTO b SELECT g, g FROM generate_series(1, 10) g");

        ArchiveToc toc = ArchiveToc.parse(dump.list(archive));
        try (Connection source = clusters.connector.open(clusters.profile(0), "ix_src");
             Connection destination = clusters.connector.open(clusters.profile(0), "ix_dst")) {
            java.util.Map<String, Long> objects = TableIndexes.objectsOf(source, "public", "odd \"name\" t");
            List<ArchiveToc.Entry> entries = TableIndexes.entries(toc, objects).stream().map(IndexJob::entry).toList();
            assertEquals(3, entries.size(), "primary key, unique constraint, index: " + entries);
            try (Statement st = destination.createStatement()) {
                st.execute(dump.script(archive, ArchiveToc.only(entries))); // its SETs stay with the session (search_path empty)
            }
            assertEquals("\"odd \"\"name\"\" t_pkey\",\"odd \"\"name\"\" t_w_key\",\"v idx\"", indexes(destination));

            Set<Integer> built = TableIndexes.built(source, destination, toc);
            assertEquals(entries.stream().map(ArchiveToc.Entry::dumpId).collect(java.util.stream.Collectors.toSet()), built,
                    "what is there is found again; b's are not built yet");
            dump.restore(archive, clusters.profile(0), "ix_dst", SchemaDump.Section.POST_DATA, 2, true, toc.without(built));
            assertEquals("b_pkey,b_t,\"odd \"\"name\"\" t_pkey\",\"odd \"\"name\"\" t_w_key\",\"v idx\"", indexes(destination));
            try (Statement st = destination.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.b'::regclass")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the foreign key came with post-data");
            }
        }
        try (Connection source = clusters.connector.open(clusters.profile(0), "ix_src")) {
            assertTrue(TableIndexes.objectsOf(source, "public", "no such table").isEmpty());
        }
    }

    private static String indexes(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT string_agg(quote_ident(indexname), ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
