package dms.e2e;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.verify.TableChecksum;
import dms.devstack.PgCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * A write load on the source, as an application would write through a fault: transactions on
 * table {@value #TABLE}, each inserting {@value #ROWS_PER_TRANSACTION} rows, updating a few
 * hundred and deleting one, and on table {@value #LOG_TABLE}, which has no key (REPLICA IDENTITY
 * FULL), so that a change applied twice shows as an extra row: each transaction adds its row and
 * updates the previous one's; a transaction that fails is retried on a new connection until it
 * commits. Each transaction is idempotent (its inserts skip rows already there, its delete and
 * update are by key), so a commit whose answer was lost does no harm when retried; only commits
 * that answered are counted. Transaction {@code t} always writes the same keys, so several loads
 * one after the other ({@code firstTransaction}) add up to the rows of {@link #expectedRows}.
 */
final class SourceLoad implements AutoCloseable {

    static final String TABLE = "load";
    /** Without a primary key: an insert applied twice is a second row, which no upsert can hide. */
    static final String LOG_TABLE = "load_log";
    static final int ROWS_PER_TRANSACTION = 500;
    private static final int SEED_ROWS = 1000;

    private final PgCluster source;
    private final String db;
    private final int firstTransaction;
    private final int transactions;
    private final Duration pause;
    private final AtomicInteger committed = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile Exception failure;

    private SourceLoad(PgCluster source, String db, int firstTransaction, int transactions, Duration pause) {
        this.source = source;
        this.db = db;
        this.firstTransaction = firstTransaction;
        this.transactions = transactions;
        this.pause = pause;
        this.thread = new Thread(this::run, "source-load-" + db);
    }

    /** The table the load writes, with {@value #SEED_ROWS} rows of negative keys for the dump to copy. */
    static void createTable(PgCluster source, String db) {
        source.execute(db, "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, body text, n int NOT NULL DEFAULT 0);"
                + " INSERT INTO " + TABLE + " (id, body) SELECT -g, md5(g::text) FROM generate_series(1, " + SEED_ROWS + ") g;"
                + " CREATE TABLE " + LOG_TABLE + " (t int NOT NULL, body text, n int NOT NULL DEFAULT 0);"
                + " ALTER TABLE " + LOG_TABLE + " REPLICA IDENTITY FULL");
    }

    /** Starts writing transactions {@code firstTransaction} to {@code firstTransaction + transactions - 1}, 50 ms apart. */
    static SourceLoad start(PgCluster source, String db, int firstTransaction, int transactions) {
        return start(source, db, firstTransaction, transactions, Duration.ofMillis(50));
    }

    /** The same, {@code pause} between two transactions: a load that lasts through a long fault. */
    static SourceLoad start(PgCluster source, String db, int firstTransaction, int transactions, Duration pause) {
        SourceLoad load = new SourceLoad(source, db, firstTransaction, transactions, pause);
        load.thread.start();
        return load;
    }

    /** The rows of the table once transactions 0 to {@code transactions - 1} are committed. */
    static long expectedRows(int transactions) {
        return SEED_ROWS + (long) transactions * ROWS_PER_TRANSACTION - Math.max(0, transactions - 1);
    }

    int committed() {
        return committed.get();
    }

    int retries() {
        return retries.get();
    }

    /** Waits until {@code n} of its transactions are committed (or it ended): the moment to inject a fault. */
    void awaitCommitted(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> committed.get() >= n || !thread.isAlive());
        assertNull(failure, () -> "the load gave up: " + failure);
    }

    /** Waits for the last transaction: every one must have committed. */
    void finish() throws InterruptedException {
        thread.join(Duration.ofSeconds(120).toMillis());
        assertFalse(thread.isAlive(), "the load finished within 120 s");
        assertNull(failure, () -> "the load gave up: " + failure);
        assertEquals(transactions, committed.get(), "every transaction committed");
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
    }

    /**
     * Waits until each table has the same rows on both sides (by {@link TableChecksum}, with its key
     * columns; none for a table without a key), then checks the {@value #TABLE} table holds exactly the
     * rows of {@code transactions} committed transactions on both: none lost, none doubled.
     */
    static void awaitSameRows(PgCluster source, PgCluster destination, String db, Map<String, List<String>> keysByTable,
                              int transactions) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            try (Connection src = source.connect(db); Connection dst = destination.connect(db)) {
                for (Map.Entry<String, List<String>> t : keysByTable.entrySet()) {
                    assertEquals(TableChecksum.of(src, "public", t.getKey(), t.getValue()),
                            TableChecksum.of(dst, "public", t.getKey(), t.getValue()), "table " + t.getKey());
                }
            }
        });
        String expected = String.valueOf(expectedRows(transactions));
        assertEquals(expected, source.queryForString(db, "SELECT count(*) FROM " + TABLE), "the source holds exactly the committed rows");
        assertEquals(expected, destination.queryForString(db, "SELECT count(*) FROM " + TABLE), "no row lost or doubled on the destination");
        String logRows = String.valueOf(transactions);
        assertEquals(logRows, source.queryForString(db, "SELECT count(*) FROM " + LOG_TABLE), "a row per committed transaction");
        assertEquals(logRows, destination.queryForString(db, "SELECT count(*) FROM " + LOG_TABLE),
                "no change applied twice to the table without a key");
    }

    private void run() {
        Connection c = null;
        try {
            for (int t = firstTransaction; t < firstTransaction + transactions && !stop.get(); t++) {
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
                KafkaProbe.sleep(pause.toMillis());
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
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?");
             PreparedStatement log = c.prepareStatement("INSERT INTO " + LOG_TABLE + " (t, body) SELECT ?, md5(?::text)"
                     + " WHERE NOT EXISTS (SELECT 1 FROM " + LOG_TABLE + " WHERE t = ?)");
             PreparedStatement touch = c.prepareStatement("UPDATE " + LOG_TABLE + " SET n = n + 1 WHERE t = ?")) {
            insert.setLong(1, first);
            insert.setLong(2, first + ROWS_PER_TRANSACTION - 1);
            insert.executeUpdate();
            update.setInt(1, t % 97);
            update.executeUpdate();
            if (t > 0) {
                delete.setLong(1, first - ROWS_PER_TRANSACTION / 2);
                delete.executeUpdate();
            }
            log.setInt(1, t);
            log.setInt(2, t);
            log.setInt(3, t);
            log.executeUpdate();
            touch.setInt(1, t - 1);
            touch.executeUpdate();
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
