package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault injection, every part a real process: a database server of the job restarted during
 * CDC under a write load. The job must stay in (or come back by itself to) RUNNING/CDC, and
 * once the load is over the destination must equal the source: same rows, same checksums.
 * Each scenario restarts a cluster of its own, so the stack shared by the other tests is not
 * disturbed.
 */
class FaultsTest {

    private static final String TABLE = "load";
    /** Transactions the writer commits, each inserting this many rows (and updating and deleting a few). */
    private static final int TRANSACTIONS = 80;
    private static final int ROWS_PER_TRANSACTION = 500;
    /** The restart happens once this many transactions are committed: mid-load. */
    private static final int RESTART_AFTER = 20;

    @BeforeAll
    static void workers() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
    }

    @Test
    void sourceRestartedDuringCdcUnderLoadLosesAndDoublesNothing() throws Exception {
        try (PgCluster source = ownCluster("faults-src").setting("wal_level", "logical").start()) {
            migrateThroughARestart("fsrc", source, TestStack.get().destination(), source);
        }
    }

    @Test
    void destinationRestartedDuringApplyUnderLoadLosesAndDoublesNothing() throws Exception {
        try (PgCluster destination = ownCluster("faults-dst").start()) {
            migrateThroughARestart("fdst", TestStack.get().source(), destination, destination);
        }
    }

    /**
     * A job from source to destination reaches CDC; a writer commits transactions on the source
     * while {@code restarted} is restarted; then the destination must equal the source and the
     * job must be RUNNING/CDC, with no action from us. The job is deleted at the end (slot dropped).
     */
    private static void migrateThroughARestart(String id, PgCluster source, PgCluster destination, PgCluster restarted)
            throws Exception {
        String db = id.replace('-', '_') + "_db";
        String job = id + "-1";
        source.createDatabase(db);
        source.execute(db, "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, body text, n int NOT NULL DEFAULT 0);"
                + " INSERT INTO " + TABLE + " (id, body) SELECT -g, md5(g::text) FROM generate_series(1, 1000) g");
        createProfile(id + "-src", source);
        createProfile(id + "-dst", destination);
        createJob(job, id, List.of(db)).then().statusCode(200);
        action(job, "start").then().statusCode(200);
        awaitStatus(job, "RUNNING/CDC", 120);

        // What a user polling the job sees meanwhile: its statuses, and the database's passing errors.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Set<String> errorsSeen = ConcurrentHashMap.newKeySet();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                try {
                    JsonPath doc = job(job).jsonPath();
                    seen.add(doc.getString("state") + "/" + doc.getString("phase"));
                    String error = doc.getString("databaseProgress[0].error");
                    if (error != null) {
                        errorsSeen.add(error);
                    }
                } catch (RuntimeException e) {
                    seen.add("unreadable: " + e.getMessage());
                }
                KafkaProbe.sleep(200);
            }
        }, "status-watcher");
        watcher.start();
        RetryingWriter writer = new RetryingWriter(source, db);
        Thread writing = new Thread(writer, "writer-" + id);
        long began = System.nanoTime();
        writing.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> writer.committed.get() >= RESTART_AFTER || !writing.isAlive());
            restarted.restart();
            writing.join(Duration.ofSeconds(120).toMillis());
            assertFalse(writing.isAlive(), "the writer finished within 120 s");
            assertNull(writer.failure, () -> "the writer gave up: " + writer.failure);
            assertEquals(TRANSACTIONS, writer.committed.get(), "every transaction committed");
            assertTrue(writer.retries.get() > 0 || restarted != source, "the source restart interrupted the writer");

            long expectedRows = 1000L + (long) TRANSACTIONS * ROWS_PER_TRANSACTION - (TRANSACTIONS - 1);
            assertEquals(String.valueOf(expectedRows), source.queryForString(db, "SELECT count(*) FROM " + TABLE),
                    "the source holds exactly the committed rows");
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                try (Connection src = source.connect(db); Connection dst = destination.connect(db)) {
                    assertEquals(TableChecksum.of(src, "public", TABLE, List.of("id")), TableChecksum.of(dst, "public", TABLE, List.of("id")));
                }
            });
            assertEquals(String.valueOf(expectedRows), destination.queryForString(db, "SELECT count(*) FROM " + TABLE),
                    "no row lost or doubled on the destination");
            // By itself: nobody touched the job since start.
            JsonPath after = job(job).jsonPath();
            assertEquals("RUNNING/CDC", after.getString("state") + "/" + after.getString("phase"),
                    () -> "the job after the restart; seen: " + seen + "\n" + after.prettify());
            assertNull(after.get("error"), after::prettify);
            assertNull(after.get("databaseProgress[0].error"), () -> "the passing error is cleared once the stream is back: " + after.prettify());
            String side = restarted == source ? "source" : "destination";
            assertTrue(errorsSeen.stream().anyMatch(e -> e.startsWith("CDC interrupted, starting again") && e.contains(side)),
                    () -> "the job showed the interruption, naming the " + side + ", while it lasted: " + errorsSeen);
            System.out.printf("FaultsTest %s: restart of %s, load and catch-up in %d s, writer retries %d, statuses seen %s,"
                            + " errors shown %s%n", id, restarted.name(), Duration.ofNanos(System.nanoTime() - began).toSeconds(),
                    writer.retries.get(), seen, errorsSeen);
        } finally {
            watching.set(false);
            watcher.join();
            writer.stop.set(true);
            writing.join();
        }
        request().delete("/v1/migration-jobs/" + job).then().statusCode(200);
        awaitStatus(job, "404", 60);
    }

    private static PgCluster ownCluster(String name) throws Exception {
        // The cluster runs as the postgres user when the tests run as root: it must enter the folder.
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dms-" + name + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return new PgCluster(name, dir);
    }

    /**
     * Writes on the source as an application would through a restart: a transaction that fails
     * is retried on a new connection until it commits. Each transaction is idempotent (its
     * inserts skip rows already there, its delete and update are by key), so a commit whose
     * answer was lost does no harm when retried; only commits that answered are counted.
     */
    private static final class RetryingWriter implements Runnable {
        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        private final PgCluster source;
        private final String db;
        volatile Exception failure;

        RetryingWriter(PgCluster source, String db) {
            this.source = source;
            this.db = db;
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                for (int t = 0; t < TRANSACTIONS && !stop.get(); t++) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (true) {
                        try {
                            if (c == null) {
                                c = source.connect(db);
                                c.setAutoCommit(false);
                            }
                            transaction(c, t);
                            c.commit();
                            committed.incrementAndGet();
                            break;
                        } catch (SQLException e) {
                            if (System.nanoTime() > deadline || stop.get()) {
                                throw e;
                            }
                            retries.incrementAndGet();
                            closeQuietly(c);
                            c = null;
                            KafkaProbe.sleep(250);
                        }
                    }
                    KafkaProbe.sleep(50);
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                closeQuietly(c);
            }
        }

        private static void transaction(Connection c, int t) throws SQLException {
            long first = (long) t * ROWS_PER_TRANSACTION + 1;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                    + " (id, body) SELECT g, md5(g::text) FROM generate_series(?, ?) g ON CONFLICT (id) DO NOTHING");
                 PreparedStatement update = c.prepareStatement("UPDATE " + TABLE + " SET n = n + 1 WHERE id % 97 = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
                insert.setLong(1, first);
                insert.setLong(2, first + ROWS_PER_TRANSACTION - 1);
                insert.executeUpdate();
                update.setInt(1, t % 97);
                update.executeUpdate();
                if (t > 0) {
                    delete.setLong(1, first - ROWS_PER_TRANSACTION / 2);
                    delete.executeUpdate();
                }
            }
        }

        private static void closeQuietly(Connection c) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the server is gone: nothing to close
                }
            }
        }
    }
}
