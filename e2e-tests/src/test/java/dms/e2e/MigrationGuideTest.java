package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/migration-guide.md, run as written: every fenced bash block, in order, with the values of
 * its first block replaced by the test stack's. A source database owned by an application role
 * (not a superuser) and migrated by the guide's own migration role. Twice, as the guide
 * suggests: a rehearsal that ends with the rollback (delete with purge), then the real
 * migration, with an application writing to the source until the cut-over stops it; every table
 * must then be equal on both sides.
 */
class MigrationGuideTest {
    private static final String DB = "guide_orders";
    private static final String APP = "guide_app";
    private static final GuideScript GUIDE = GuideScript.read(TestStack.get().repoRoot().resolve("docs/migration-guide.md"));

    @BeforeAll
    static void productionDatabase() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
        PgCluster source = TestStack.get().source();
        source.execute("postgres", "CREATE ROLE " + APP + " LOGIN PASSWORD 'app'");
        source.execute("postgres", "CREATE DATABASE " + DB + " OWNER " + APP);
        source.execute(DB, """
                SET ROLE guide_app;
                CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL, since date NOT NULL DEFAULT current_date);
                INSERT INTO customers (name) SELECT 'customer ' || i FROM generate_series(1, 20000) i;
                CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers,
                                     amount numeric(12,2) NOT NULL, note text);
                INSERT INTO orders (customer_id, amount, note)
                  SELECT 1 + i % 20000, (i % 1000) / 7.0, repeat(md5(i::text), 2) FROM generate_series(1, 100000) i;
                """);
    }

    @Test
    void theGuideMigratesAndRollsBackAsItSays() throws Exception {
        assertEquals(10, GUIDE.blockCount(), "the test runs every block of the guide: update it with the guide");

        // A rehearsal: settings, rights, profiles, job, pre-flight, start, watch; then the rollback.
        BinDms.Result rehearsal = run("guide-rehearsal", List.of("1", "3", "4", "5"), 0, List.of());
        assertTrue(rehearsal.output().contains("wal_level|logical"), rehearsal.output());
        assertTrue(rehearsal.output().contains("verify guide-rehearsal: pre-flight passed"), rehearsal.output());
        assertTrue(rehearsal.output().contains("dms: job guide-rehearsal is RUNNING/CDC: reached RUNNING/CDC"), rehearsal.output());
        BinDms.Result rollback = run("guide-rehearsal", List.of("7"), 0, List.of());
        assertTrue(rollback.output().contains("delete guide-rehearsal: DELETING"), rollback.output());
        awaitStatus("guide-rehearsal", "404", 120);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "0".equals(TestStack.get().destination()
                .queryForString("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + DB + "'")));

        // The real one, while the application writes, until the cut-over stops it.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        Thread app = new Thread(() -> writeAsTheApplication(stop, written), "application");
        app.start();
        try {
            BinDms.Result real = run("guide-orders", List.of("4", "5", "6"), 0, List.of("7"));
            String out = real.output();
            assertTrue(out.contains("dms: job guide-orders is RUNNING/CDC: reached RUNNING/CDC with lag <= 5.0 s"), out);
            assertTrue(out.contains("promote guide-orders: RUNNING/PROMOTE_IN_PROGRESS") || out.contains("promote guide-orders: COMPLETED"), out);
            assertTrue(out.matches("(?s).*guide-orders COMPLETED\n.*"), out);
            assertTrue(out.matches("(?s).*\\S+  STATUS_CHANGED  \\S+ -> RUNNING/CDC.*"), "jobs events:\n" + out);
        } finally {
            stop.set(true);
            app.join(30_000);
        }
        assertTrue(written.get() > 0, "the application wrote during the migration");
        assertEquals("COMPLETED", status("guide-orders"));
        for (String table : List.of("customers", "orders")) {
            String sql = "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '') FROM " + table + " t";
            assertEquals(TestStack.get().source().queryForString(DB, sql), TestStack.get().destination().queryForString(DB, sql), table);
        }
        // The rollback after promote gave the source back to the application.
        try (Connection c = DriverManager.getConnection(TestStack.get().source().jdbcUrl(DB), APP, "app")) {
            assertTrue(c.isValid(5));
        }
    }

    /**
     * One bash script: the guide's first block (its values), the test's values over them, the blocks
     * of {@code sections} (of section 7, rollback, the one before promote), then the last block of
     * each of {@code lastBlockOf}.
     */
    private static BinDms.Result run(String job, List<String> sections, int expectedExit, List<String> lastBlockOf) {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        script.append(GUIDE.section("0").get(0));
        Map<String, String> values = new LinkedHashMap<>();
        PgCluster source = TestStack.get().source();
        PgCluster destination = TestStack.get().destination();
        values.put("DMS_API_URL", TestStack.apiUrl());
        values.put("DMS_API_TOKEN", "");
        values.put("SOURCE_ADMIN_URL", source.libpqUrl("postgres"));
        values.put("SOURCE_HOST", "127.0.0.1");
        values.put("SOURCE_PORT", String.valueOf(source.port()));
        values.put("DEST_HOST", "127.0.0.1");
        values.put("DEST_PORT", String.valueOf(destination.port()));
        values.put("DEST_USER", PgCluster.USER);
        values.put("DEST_PASSWORD", PgCluster.PASSWORD);
        values.put("MIGRATOR_PASSWORD", "guide-Pass-1");
        values.put("SSL_MODE", "disable");
        values.put("DB", DB);
        values.put("APP_ROLE", APP);
        values.put("JOB", job);
        script.append(GuideScript.exports(values));
        for (String section : sections) {
            List<String> blocks = new ArrayList<>(GUIDE.section(section));
            if (section.equals("7")) {
                blocks = blocks.subList(0, 1); // before promote: delete
            }
            blocks.forEach(script::append);
        }
        for (String section : lastBlockOf) {
            List<String> blocks = GUIDE.section(section);
            script.append(blocks.get(blocks.size() - 1)); // after promote: the source back to the application
        }
        BinDms.Result result = BinDms.bash(script.toString(), Map.of(), null, 900);
        assertEquals(expectedExit, result.exit(), "the guide's commands (" + job + ", sections " + sections + "):\n" + result.output());
        return result;
    }

    /** The application: an order and an update every 20 ms, until the cut-over ends its session (or the test ends). */
    private static void writeAsTheApplication(AtomicBoolean stop, AtomicLong written) {
        while (!stop.get()) {
            try (Connection c = DriverManager.getConnection(TestStack.get().source().jdbcUrl(DB), APP, "app");
                 Statement s = c.createStatement()) {
                while (!stop.get()) {
                    s.executeUpdate("INSERT INTO orders (customer_id, amount, note) VALUES (1 + (random() * 19999)::int, 9.99, 'live')");
                    s.executeUpdate("UPDATE customers SET name = name || '.' WHERE id = 1 + (random() * 19999)::int");
                    written.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (SQLException e) {
                if (written.get() > 0) {
                    return; // cut off by the cut-over: from now on the application uses the destination
                }
                sleepQuietly(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
