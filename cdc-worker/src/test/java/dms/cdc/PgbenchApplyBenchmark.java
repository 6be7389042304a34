package dms.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.cdc.apply.TableRef;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.TestClusters;
import dms.devstack.PgCluster;
import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Apply throughput of a CdcStream under pgbench (tpcb-like, 4 clients for 30 s), and the time from the end of
 * pgbench until the destination has every transaction, against native logical replication (CREATE SUBSCRIPTION,
 * copy_data=false) on the same load. Not part of the default test run (surefire runs *Test classes only); run it
 * with {@code mvn test -pl cdc-worker -Dtest=PgbenchApplyBenchmark}. Knobs: -Dbench.scale=5 -Dbench.seconds=30 -Dbench.clients=4.
 */
@Tag("benchmark")
class PgbenchApplyBenchmark {

    static final int SCALE = Integer.getInteger("bench.scale", 5);
    static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    static final List<TableRef> TABLES = List.of(new TableRef("public", "pgbench_accounts"), new TableRef("public", "pgbench_branches"),
            new TableRef("public", "pgbench_tellers"), new TableRef("public", "pgbench_history"));

    @Test
    void dmsStreamVersusNativeLogicalReplication() throws Exception {
        try (TestClusters clusters = TestClusters.start("source", "destination")) {
            Result dms = run(clusters, "bench_dms", false);
            Result nat = run(clusters, "bench_native", true);
            System.out.printf("%n== pgbench -s %d -c %d -T %d, %d changes (4 per transaction)%n", SCALE, CLIENTS, SECONDS, dms.changes);
            System.out.println(dms.report("DMS CdcStream (Debezium embedded)"));
            System.out.println(nat.report("native logical replication     "));
        }
    }

    record Result(long transactions, long changes, double pgbenchSeconds, double catchUpSeconds, double tps, long maxLagBytes) {
        String report(String name) {
            double total = pgbenchSeconds + catchUpSeconds;
            return String.format("%s: source %.0f tps; destination caught up %.1f s after pgbench ended;"
                    + " apply %.0f changes/s (%.0f tx/s) over the run; max lag seen %d kB", name, tps, catchUpSeconds,
                    changes / total, transactions / total, maxLagBytes / 1024);
        }
    }

    private Result run(TestClusters clusters, String db, boolean nativeReplication) throws Exception {
        CdcFixture f = new CdcFixture(clusters, db, db);
        PgCluster src = f.source();
        PgCluster dst = f.destination();
        src.createDatabase(db);
        dst.createDatabase(db);
        exec(List.of("pgbench", "-i", "-q", "-s", String.valueOf(SCALE), "-h", "127.0.0.1", "-p", String.valueOf(src.port()), "-U",
                PgCluster.USER, db));
        f.onSource("ALTER TABLE pgbench_history REPLICA IDENTITY FULL");
        // the "dump": publication, slot, then a copy (nothing writes in between)
        f.onSource("CREATE PUBLICATION " + f.publication + " FOR TABLE pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history");
        f.sourceQuery("SELECT lsn::text FROM pg_create_logical_replication_slot('" + f.slot + "', 'pgoutput')");
        exec(List.of("sh", "-c", "pg_dump -Fc -h 127.0.0.1 -p " + src.port() + " -U dms " + db + " | pg_restore -h 127.0.0.1 -p "
                + dst.port() + " -U dms -d " + db));
        CdcStream stream = null;
        if (nativeReplication) {
            f.destination().execute(db, "CREATE SUBSCRIPTION sub CONNECTION 'host=127.0.0.1 port=" + src.port() + " user=dms password=dms dbname="
                    + db + "' PUBLICATION " + f.publication + " WITH (copy_data = false, create_slot = false, slot_name = '" + f.slot + "')");
        } else {
            stream = f.start(f.spec(Map.of()));
        }
        long t0 = System.nanoTime();
        ProcessBuilder bench = new ProcessBuilder("pgbench", "-n", "-c", String.valueOf(CLIENTS), "-j", "2", "-T", String.valueOf(SECONDS),
                "-h", "127.0.0.1", "-p", String.valueOf(src.port()), "-U", PgCluster.USER, db)
                .redirectErrorStream(true).redirectOutput(new File("/tmp/" + db + "-pgbench.log"));
        bench.environment().put("PGPASSWORD", PgCluster.PASSWORD);
        Process pgbench = bench.start();
        pgbench.getOutputStream().close();
        long maxLag = 0;
        while (pgbench.isAlive()) {
            maxLag = Math.max(maxLag, lagBytes(src, db, f.slot, stream));
            Thread.sleep(500);
        }
        assertEquals(0, pgbench.waitFor());
        long t1 = System.nanoTime();
        long history = Long.parseLong(f.sourceQuery("SELECT count(*) FROM pgbench_history"));
        // caught up: the destination has every transaction (each inserts one history row; apply is in commit order)
        while (Long.parseLong(f.destinationQuery("SELECT count(*) FROM pgbench_history")) < history) {
            Thread.sleep(100);
        }
        long t2 = System.nanoTime();
        if (stream != null) {
            f.drain(stream);
        } else {
            dst.execute(db, "ALTER SUBSCRIPTION sub DISABLE");
            dst.execute(db, "ALTER SUBSCRIPTION sub SET (slot_name = NONE)");
            dst.execute(db, "DROP SUBSCRIPTION sub");
        }
        for (TableRef t : TABLES) {
            f.assertSameRows(t, t.name().equals("pgbench_history") ? List.of() : List.of(t.name().substring(8, 9) + "id"));
        }
        double pgbenchSeconds = (t1 - t0) / 1e9;
        return new Result(history, history * 4, pgbenchSeconds, (t2 - t1) / 1e9, history / pgbenchSeconds, maxLag);
    }

    private static long lagBytes(PgCluster src, String db, String slot, CdcStream stream) throws Exception {
        if (stream != null) {
            return stream.lag().lagBytes();
        }
        try (Connection c = src.connect(db); PreparedStatement ps = c.prepareStatement(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static void exec(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", PgCluster.PASSWORD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }
}
