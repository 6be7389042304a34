package dms.dump.copy;

import dms.common.pg.ReplicationSlots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.CopyRange;
import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import dms.dump.catalog.TableCatalog;
import dms.dump.catalog.TableInfo;
import dms.common.pg.PgConnector;
import dms.dump.snapshot.SlotSnapshot;
import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A stop halts a running copy within a second and leaves the destination table as it was. */
class CopyCancelTest {

    private static final String DB = "big";
    private static TestClusters clusters;
    private static PgCluster source;
    private static PgCluster destination;
    private static ConnectionProfile sourceProfile;
    private static ConnectionProfile destinationProfile;
    private static PgConnector connector;
    private static TableInfo table;

    @BeforeAll
    static void start() throws Exception {
        clusters = TestClusters.start("source", "destination");
        source = clusters.cluster(0);
        destination = clusters.cluster(1);
        sourceProfile = clusters.profile(0);
        destinationProfile = clusters.profile(1);
        connector = clusters.connector;
        String ddl = "CREATE TABLE wide (id bigint PRIMARY KEY, a text, b text, n numeric)";
        source.createDatabase(DB);
        source.execute(DB, ddl + "; INSERT INTO wide SELECT g, repeat(md5(g::text), 4), md5((-g)::text), g * 1.25"
                + " FROM generate_series(1, 600000) g");
        destination.createDatabase(DB);
        // What the destination had before: a cancelled copy must leave exactly this.
        destination.execute(DB, ddl + "; INSERT INTO wide VALUES (1, 'before', 'before', 1), (2, 'before', NULL, 2), (3, '', '', 3)");
        try (Connection c = connector.open(sourceProfile, DB)) {
            table = TableCatalog.list(c).get(0);
        }
    }

    @AfterAll
    static void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void cancelHaltsBothSidesAndRollsBack() throws Exception {
        TableChecksum.Checksum before;
        try (Connection d = connector.open(destinationProfile, DB)) {
            before = TableChecksum.of(d, "public", "wide", List.of("id"));
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (SlotSnapshot snapshot = SlotSnapshot.create(connector, sourceProfile, DB, "cancel_pub", "cancel_slot", List.of(table))) {
            long cancelledAt;
            try (Connection s = connector.open(sourceProfile, DB); Connection d = connector.open(destinationProfile, DB)) {
                TableCopier copier = new TableCopier(s, d);
                AtomicLong at = new AtomicLong();
                timer.schedule(() -> {
                    at.set(System.nanoTime());
                    copier.cancel();
                }, 100, TimeUnit.MILLISECONDS);
                long start = System.nanoTime();
                CopyCancelledException e = assertThrows(CopyCancelledException.class,
                        () -> copier.copy(table, CopyRange.WHOLE, snapshot.snapshotName()));
                long end = System.nanoTime();
                cancelledAt = at.get();
                assertTrue(e.getMessage().contains("public.wide") && e.getMessage().contains("cancelled"), e.getMessage());
                assertTrue(cancelledAt > start, "the cancel came while copying");
                assertTrue((end - cancelledAt) < 2_000_000_000L, "halted " + (end - cancelledAt) / 1_000_000 + " ms after the cancel");
                System.out.printf("cancel: the copy ended %d ms after cancel()%n", (end - cancelledAt) / 1_000_000);

                // The sessions are back to idle (nothing left running), and usable.
                assertEquals(0, TestClusters.workerSessions(source, "active"), "no COPY left running on the source");
                assertEquals(0, TestClusters.workerSessions(destination, "active"), "no COPY left running on the destination");
                assertTrue(copier.isCancelled());
                assertThrows(CopyCancelledException.class, () -> copier.copy(table, CopyRange.WHOLE, snapshot.snapshotName()),
                        "a cancelled copier starts nothing more");
            }
            try (Connection d = connector.open(destinationProfile, DB)) {
                assertEquals(before, TableChecksum.of(d, "public", "wide", List.of("id")), "the destination kept what it had");
            }
            assertNoWorkerSessionLeft();

            // The same snapshot still copies the table whole afterwards.
            try (Connection s = connector.open(sourceProfile, DB); Connection d = connector.open(destinationProfile, DB)) {
                CopyResult result = new TableCopier(s, d).copy(table, CopyRange.WHOLE, snapshot.snapshotName());
                assertEquals(600_000, result.rows());
                assertEquals(TableChecksum.of(s, "public", "wide", List.of("id")), TableChecksum.of(d, "public", "wide", List.of("id")));
            }
        } finally {
            timer.shutdownNow();
            ReplicationSlots.dropSlotAndPublication(connector, sourceProfile, DB, "cancel_slot", "cancel_pub");
        }
    }

    private static void assertNoWorkerSessionLeft() throws Exception {
        long deadline = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < deadline
                && TestClusters.workerSessions(source, null) + TestClusters.workerSessions(destination, null) > 1) {
            Thread.sleep(50);
        }
        assertEquals(1, TestClusters.workerSessions(source, null), "only the snapshot's own replication session");
        assertEquals(0, TestClusters.workerSessions(destination, null));
    }
}
