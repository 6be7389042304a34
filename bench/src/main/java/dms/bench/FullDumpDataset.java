package dms.bench;

import dms.common.verify.TableChecksum;
import dms.devstack.DevStack;
import dms.devstack.PgCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dms.bench.FullDumpFormat.log;
import static dms.bench.FullDumpFormat.quote;
import static dms.bench.FullDumpFormat.round1;

/**
 * The data set in the source database {@value #DB} ({@code pgbench -i} plus the table {@code wide}), its tables,
 * indexes and checksums, and the check of a destination's copy against them.
 */
final class FullDumpDataset {

    static final String DB = "bench";

    /** A table of the dataset: name, key (empty: none), rows, bytes. */
    record Table(String name, List<String> key, long rows, long heapBytes, long totalBytes) {}

    private final DevStack stack;
    private final FullDumpOptions options;
    private final ToolProcesses processes;
    private List<Table> tables = List.of();
    private Map<String, TableChecksum.Checksum> sourceChecksums = Map.of();
    private Set<String> sourceIndexes = Set.of();

    FullDumpDataset(DevStack stack, FullDumpOptions options, ToolProcesses processes) {
        this.stack = stack;
        this.options = options;
        this.processes = processes;
    }

    /** The source's tables, biggest first, with their row counts. */
    List<Table> tables() {
        return tables;
    }

    Map<String, Object> create() throws Exception {
        PgCluster src = stack.source();
        src.createDatabase(DB);
        Path logs = processes.runDir("dataset");
        long t0 = System.nanoTime();
        log("dataset: pgbench -i -s %d", options.scale());
        processes.exec(List.of(processes.bin("pgbench"), "-i", "-s", String.valueOf(options.scale()), "-q", "-h", "127.0.0.1",
                "-p", String.valueOf(src.port()), "-U", PgCluster.USER, DB), logs.resolve("pgbench.log"));
        if (options.smallTables() > 0) {
            // Many small tables, as a schema per tenant or a catalogue of lookup tables has: the per-table cost shows.
            log("dataset: %d small tables of 20 rows", options.smallTables());
            src.execute(DB, """
                    DO $$
                    BEGIN
                      FOR i IN 1..%d LOOP
                        EXECUTE format('CREATE TABLE small_%%s (id int PRIMARY KEY, code text NOT NULL, amount numeric(12,2),'
                                       ' at timestamptz)', lpad(i::text, 5, '0'));
                        EXECUTE format('CREATE INDEX ON small_%%s (code)', lpad(i::text, 5, '0'));
                        EXECUTE format('INSERT INTO small_%%s SELECT g, md5(g::text || %%s), g * 1.25,'
                                       ' timestamptz ''2026-01-01 00:00:00+00'' - g * interval ''1 day'' FROM generate_series(1, 20) g',
                                       lpad(i::text, 5, '0'), i);
                      END LOOP;
                    END $$""".formatted(options.smallTables()));
        }
        int noteRepeat = 3;
        long dbBytes;
        while (true) {
            log("dataset: wide, %d rows (note = %d md5s)", options.wideRows(), noteRepeat);
            src.execute(DB, "DROP TABLE IF EXISTS wide");
            src.execute(DB, "CREATE TABLE wide (id bigint PRIMARY KEY, doc jsonb, amount numeric(14,4), note text, at timestamptz)");
            src.execute(DB, """
                    INSERT INTO wide
                    SELECT g,
                           jsonb_build_object('k', 'key-' || (g %% 5000), 'n', g, 'h', md5(g::text),
                                              'tags', jsonb_build_array('a' || (g %% 7), 'b' || (g %% 11)), 'ok', g %% 3 = 0),
                           ((g::bigint * 7919) %% 1000000000)::numeric / 10000,
                           %s || ' note ' || g,
                           timestamptz '2020-01-01 00:00:00+00' + g * interval '17 seconds'
                    FROM generate_series(1, %d) g
                    """.formatted(noteExpression(noteRepeat), options.wideRows()));
            src.execute(DB, "CREATE INDEX wide_at ON wide (at)");
            src.execute(DB, "CREATE INDEX wide_doc_k ON wide ((doc->>'k'))");
            src.execute(DB, "VACUUM ANALYZE");
            dbBytes = Long.parseLong(src.queryForString(DB, "SELECT pg_database_size(current_database())"));
            log("dataset: database %s is %.0f MB", DB, dbBytes / 1e6);
            if (dbBytes >= options.minDbMb() * 1_000_000 || noteRepeat >= 30) {
                break;
            }
            noteRepeat += 2;
        }
        if (dbBytes < options.minDbMb() * 1_000_000) {
            throw new BenchFailure("the data set is only " + dbBytes / 1_000_000 + " MB");
        }
        tables = listTables(src);
        sourceIndexes = indexes(src);
        log("dataset: checksums of the source tables");
        sourceChecksums = checksums(src);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("database", DB);
        d.put("databaseBytes", dbBytes);
        d.put("databaseMB", Math.round(dbBytes / 1e6));
        d.put("pgbenchScale", options.scale());
        d.put("wideRows", options.wideRows());
        d.put("smallTables", options.smallTables());
        d.put("wideNoteMd5s", noteRepeat);
        d.put("wideDefinition", "wide (id bigint primary key, doc jsonb, amount numeric(14,4), note text, at timestamptz);"
                + " indexes wide_at (at), wide_doc_k ((doc->>'k'))");
        List<Map<String, Object>> t = new ArrayList<>();
        for (Table table : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", table.name());
            m.put("rows", table.rows());
            m.put("heapMB", Math.round(table.heapBytes() / 1e5) / 10.0);
            m.put("totalMB", Math.round(table.totalBytes() / 1e5) / 10.0);
            m.put("key", table.key());
            t.add(m);
        }
        d.put("tables", t);
        d.put("indexes", sourceIndexes);
        d.put("createSeconds", round1((System.nanoTime() - t0) / 1e9));
        return d;
    }

    /** n md5 strings of 32 hex digits, space separated: a text column of 33 n bytes, different in every row. */
    private static String noteExpression(int n) {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            parts.add("md5((g * 31 + " + i + ")::text)");
        }
        return String.join(" || ' ' || ", parts);
    }

    private static List<Table> listTables(PgCluster cluster) throws SQLException {
        List<Table> list = new ArrayList<>();
        try (Connection c = cluster.connect(DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT c.relname,
                       ARRAY(SELECT a.attname FROM pg_index i
                             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                             WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.ord) AS pk,
                       pg_table_size(c.oid), pg_total_relation_size(c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r'
                ORDER BY pg_table_size(c.oid) DESC, c.relname
                """)) {
            while (rs.next()) {
                list.add(new Table(rs.getString(1), Arrays.asList((String[]) rs.getArray(2).getArray()), 0,
                        rs.getLong(3), rs.getLong(4)));
            }
        }
        List<Table> counted = new ArrayList<>();
        for (Table t : list) {
            long rows = Long.parseLong(cluster.queryForString(DB, "SELECT count(*) FROM public." + quote(t.name())));
            counted.add(new Table(t.name(), t.key(), rows, t.heapBytes(), t.totalBytes()));
        }
        return counted;
    }

    private static Set<String> indexes(PgCluster cluster) {
        String list = cluster.queryForString(DB,
                "SELECT string_agg(tablename || '.' || indexname, ',' ORDER BY tablename, indexname) FROM pg_indexes WHERE schemaname = 'public'");
        return list == null ? Set.of() : new TreeSet<>(Arrays.asList(list.split(",")));
    }

    private Map<String, TableChecksum.Checksum> checksums(PgCluster cluster) throws SQLException {
        Map<String, TableChecksum.Checksum> sums = new TreeMap<>();
        try (Connection c = cluster.connect(DB)) {
            for (Table t : tables) {
                sums.put(t.name(), TableChecksum.of(c, "public", t.name(), t.key()));
            }
        }
        return sums;
    }

    /** Drops the destination database (and, for the other tools, creates it empty), then checkpoints both servers. */
    void freshDestination(boolean create) {
        PgCluster dst = stack.destination();
        dst.execute("postgres", "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        if (create) {
            dst.execute("postgres", "CREATE DATABASE " + DB);
        }
        dst.execute("postgres", "CHECKPOINT");
        stack.source().execute("postgres", "CHECKPOINT");
    }

    /** Rows and checksums (when {@code full}) of every table, and the index names, against the source. */
    Map<String, Object> verify(boolean full) throws SQLException {
        PgCluster dst = stack.destination();
        Map<String, Object> v = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (full) {
            Map<String, TableChecksum.Checksum> sums = checksums(dst);
            for (Table t : tables) {
                TableChecksum.Checksum a = sourceChecksums.get(t.name());
                TableChecksum.Checksum b = sums.get(t.name());
                if (!a.equals(b)) {
                    problems.add(t.name() + ": source " + a + ", destination " + b);
                }
            }
        } else {
            for (Table t : tables) {
                long rows = Long.parseLong(dst.queryForString(DB, "SELECT count(*) FROM public." + quote(t.name())));
                if (rows != t.rows()) {
                    problems.add(t.name() + ": " + rows + " rows, source " + t.rows());
                }
            }
        }
        Set<String> idx = indexes(dst);
        if (!idx.equals(sourceIndexes)) {
            problems.add("indexes " + idx + ", source " + sourceIndexes);
        }
        v.put("checked", full ? "rows and md5 checksums of every table, index names" : "row counts of every table, index names");
        v.put("equal", problems.isEmpty());
        if (!problems.isEmpty()) {
            v.put("problems", problems);
            log("VERIFICATION FAILED: %s", problems);
        }
        return v;
    }
}
