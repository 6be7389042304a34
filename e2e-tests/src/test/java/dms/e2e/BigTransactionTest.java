package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import dms.devstack.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Source transactions far bigger than the cdc-worker's heap (docs/data-path.md, rules 4 and 10): a worker run
 * with 256 MB applies one transaction of 3 M rows (in parts, in one destination transaction committed at its
 * END), the tables equal, the same process throughout; then a worker killed in the middle of a big transaction
 * and started again applies it whole, once (a table without key, REPLICA IDENTITY FULL: a doubled row would
 * show). Prints the heap peak (GC log), the apply time, and with {@code -Ddms.e2e.native-anchor=true} native logical
 * replication's on the same transaction. {@code -Ddms.e2e.big-tx.rows=10000000 -Ddms.e2e.big-tx.heap=1g} runs the
 * first with other figures (1g is the cdc-worker's default heap, devstack's {@code ServiceProcess}): a measurement
 * of many minutes, not a CI run (docs/cdc.md, "Big transactions").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BigTransactionTest {

    /** The big transaction's rows, and the worker's -Xmx: configurable for a measurement, CI runs the defaults. */
    private static final long ROWS = Long.getLong("dms.e2e.big-tx.rows", 3_000_000L);
    private static final String HEAP = System.getProperty("dms.e2e.big-tx.heap", "256m");
    private static final int CRASH_ROWS = 600_000;
    private static final String TABLE = "CREATE TABLE big (id bigint NOT NULL, body text NOT NULL); ALTER TABLE big REPLICA IDENTITY FULL";
    private static final String FILL = "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, %d) g";

    private static ServiceProcess worker;
    private static Path gcLog;

    @BeforeAll
    static void smallHeapWorker() {
        TestStack.dumpWorker();
        gcLog = TestStack.get().layout().logs().resolve("cdc-worker-" + HEAP + "-gc.log");
        worker = TestStack.soleCdcWorker("cdc-worker-" + HEAP, List.of("-Xmx" + HEAP, "-XX:+UseParallelGC", "-Xlog:gc:file=" + gcLog));
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    @Order(1)
    void oneBigTransactionThroughASmallHeap() throws Exception {
        String db = "bigtx";
        startJob("bigtx", db);
        long pid = worker.pid();

        TestStack.get().source().execute(db, FILL.formatted(ROWS));
        long committed = System.nanoTime();
        awaitRows(db, ROWS, applyTimeout());
        double applySeconds = (System.nanoTime() - committed) / 1e9;

        assertTrue(worker.isAlive(), "the worker runs");
        assertEquals(pid, worker.pid(), "the same worker process throughout");
        assertFalse(Files.readString(worker.logFile()).contains("OutOfMemoryError"), "no OutOfMemoryError in " + worker.logFile());
        assertSameTable(db);
        HeapUse heap = HeapUse.of(gcLog);
        System.out.printf("BigTransactionTest: %,d rows in one transaction, -Xmx%s: applied in %.1f s (%,.0f rows/s) after the"
                        + " source commit; heap peak %d MB before a GC, %d MB live after one at most%n", ROWS, HEAP, applySeconds,
                ROWS / applySeconds, heap.peakMb(), heap.liveMb());
        if (Boolean.getBoolean("dms.e2e.native-anchor")) {
            // A measurement, not a check (minutes of CI time): -Ddms.e2e.native-anchor=true prints native's time too.
            double nativeSeconds = nativeApplySeconds();
            System.out.printf("BigTransactionTest: native logical replication, same transaction: %.1f s (%,.0f rows/s)%n",
                    nativeSeconds, ROWS / nativeSeconds);
        }
        assertTrue(heap.peakMb() <= HeapUse.mb(HEAP), heap.toString());
        deleteJob("bigtx-1");
    }

    @Test
    @Order(2)
    void killedInTheMiddleOfABigTransactionAppliesItWholeOnce() throws Exception {
        String db = "bigtx_crash";
        startJob("bigtxc", db);
        PgCluster destination = TestStack.get().destination();

        TestStack.get().source().execute(db, FILL.formatted(CRASH_ROWS));
        // Mid-apply: the worker's destination transaction has written rows (it has an xid) and not committed.
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                Long.parseLong(destination.queryForString(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")) > 0);
        Thread.sleep(2000);
        assertEquals("0", destination.queryForString(db, "SELECT count(*) FROM big"), "nothing shows before the END");
        worker.kill();
        worker.start();

        awaitRows(db, CRASH_ROWS, Duration.ofMinutes(6));
        assertEquals(String.valueOf(CRASH_ROWS), destination.queryForString(db, "SELECT count(DISTINCT id) FROM big"));
        assertSameTable(db);
        assertEquals(String.valueOf(CRASH_ROWS), destination.queryForString(db,
                "SELECT changes FROM dms_internal.cdc_position WHERE job_id = 'bigtxc-1'"), "every change counted once");
        deleteJob("bigtxc-1");
    }

    private static void startJob(String prefix, String db) {
        PgCluster source = TestStack.get().source();
        source.createDatabase(db);
        source.execute(db, TABLE);
        createProfiles(prefix);
        createJob(prefix + "-1", prefix, List.of(db)).then().statusCode(200);
        action(prefix + "-1", "start").then().statusCode(200);
        awaitStatus(prefix + "-1", "RUNNING/CDC", 180);
    }

    private static void deleteJob(String id) {
        request().delete("/v1/migration-jobs/" + id + "?purgeDestination=true").then().statusCode(200);
        awaitStatus(id, "404", 60);
    }

    private static void awaitRows(String db, long rows, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(
                () -> Long.parseLong(TestStack.get().destination().queryForString(db, "SELECT count(*) FROM big")) >= rows);
    }

    /** 10 minutes for 3 M rows on a loaded 2-core machine, and as much again per 3 M more. */
    private static Duration applyTimeout() {
        return Duration.ofMinutes(Math.max(10, 10 * ROWS / 3_000_000));
    }

    private static void assertSameTable(String db) throws Exception {
        try (Connection src = TestStack.get().source().connect(db); Connection dst = TestStack.get().destination().connect(db)) {
            assertEquals(TableChecksum.of(src, "public", "big", List.of()), TableChecksum.of(dst, "public", "big", List.of()));
        }
    }

    /**
     * The same transaction through PostgreSQL's own logical replication between the same clusters (a subscription,
     * copy_data = false, on a database of its own), timed the same way: from the source commit to the rows.
     */
    private static double nativeApplySeconds() throws Exception {
        String db = "bigtx_native";
        PgCluster source = TestStack.get().source();
        PgCluster destination = TestStack.get().destination();
        source.createDatabase(db);
        destination.createDatabase(db);
        source.execute(db, TABLE + "; CREATE PUBLICATION bigtx_pub FOR TABLE big");
        destination.execute(db, TABLE);
        destination.execute(db, "CREATE SUBSCRIPTION bigtx_sub CONNECTION 'host=127.0.0.1 port=" + source.port() + " user=" + PgCluster.USER
                + " password=" + PgCluster.PASSWORD + " dbname=" + db + "' PUBLICATION bigtx_pub WITH (copy_data = false)");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "t".equals(source.queryForString(db,
                    "SELECT coalesce(bool_or(active), false) FROM pg_replication_slots WHERE slot_name = 'bigtx_sub'")));
            source.execute(db, FILL.formatted(ROWS));
            long committed = System.nanoTime();
            awaitRows(db, ROWS, applyTimeout());
            return (System.nanoTime() - committed) / 1e9;
        } finally {
            destination.execute(db, "DROP SUBSCRIPTION bigtx_sub");
        }
    }

    /**
     * The heap in use as the GC log shows it: the most before a collection (the peak, garbage included), and the
     * most left after a full collection (what was live; a young collection leaves what it promoted, live or not).
     */
    record HeapUse(long peakMb, long liveMb) {
        private static final Pattern COLLECTION = Pattern.compile("Pause (\\w+).*? (\\d+)([KMG])->(\\d+)([KMG])\\(");

        static HeapUse of(Path gcLog) throws Exception {
            long peak = 0;
            long live = 0;
            long afterAny = 0;
            Matcher m = COLLECTION.matcher(Files.readString(gcLog));
            while (m.find()) {
                peak = Math.max(peak, mb(m.group(2), m.group(3)));
                long after = mb(m.group(4), m.group(5));
                afterAny = Math.max(afterAny, after);
                if ("Full".equals(m.group(1))) {
                    live = Math.max(live, after);
                }
            }
            assertTrue(peak > 0, "no collection in " + gcLog);
            return new HeapUse(peak, live > 0 ? live : afterAny);
        }

        /** A -Xmx size ("256m", "1g") in MB. */
        static long mb(String size) {
            return mb(size.substring(0, size.length() - 1), size.substring(size.length() - 1).toUpperCase());
        }

        private static long mb(String value, String unit) {
            long v = Long.parseLong(value);
            return switch (unit) {
                case "K" -> v / 1024;
                case "G" -> v * 1024;
                default -> v;
            };
        }
    }
}
