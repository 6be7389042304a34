package dms.cdc.newtables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.apply.TableRef;
import dms.cdc.stream.CdcStream;
import dms.cdc.stream.CdcStreamException;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import dms.common.messages.RoleHandling;
import dms.common.sql.Lsn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tables created on the source while a stream runs: a table, a partition of a published partitioned
 * table, a table in a new schema (keyless, REPLICA IDENTITY FULL: a change applied twice or lost would
 * show), a new partitioned table; written to before and while they are picked up, then drained:
 * every row arrives once, definitions included.
 */
class NewTablesTest extends WithClusters {

    private static final TableRef BASE = new TableRef("public", "base");
    private static final TableRef PARTS_EU = new TableRef("public", "parts_eu");
    private static final TableRef ORDERS = new TableRef("public", "orders");
    private static final TableRef PARTS_US = new TableRef("public", "parts_us");
    private static final TableRef AUDIT_LOG = new TableRef("audit", "log");
    private static final TableRef EVENTS_1 = new TableRef("public", "events_1");

    @Test
    void tablesCreatedDuringCdcArriveWithEveryRowOnce() throws Exception {
        CdcFixture f = new CdcFixture(clusters, "new-tables", "new_tables_db");
        Lsn start = f.prepare("CREATE TABLE base (id int PRIMARY KEY, v text); INSERT INTO base SELECT g, 'b' FROM generate_series(1, 10) g;"
                + " CREATE TABLE parts (id int, region text, v text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);"
                + " CREATE TABLE parts_eu PARTITION OF parts FOR VALUES IN ('eu'); INSERT INTO parts VALUES (1, 'eu', 'e')",
                List.of(BASE, PARTS_EU));
        List<AddedTable> added = new CopyOnWriteArrayList<>();
        List<NotTakenTable> notTaken = new CopyOnWriteArrayList<>();
        CdcStream stream = CdcStream.start(f.spec(Map.of(BASE, start, PARTS_EU, start)), clusters.connections,
                new NewTables.Options(Duration.ofMillis(500), Duration.ofSeconds(5), RoleHandling.CREATE_MISSING, added::add, notTaken::add));
        clusters.streams.add(stream);

        long created = System.currentTimeMillis();
        f.onSource("CREATE TABLE orders (id serial PRIMARY KEY, base_id int REFERENCES base, amount numeric(10,2) CHECK (amount >= 0),"
                + " doubled numeric GENERATED ALWAYS AS (amount * 2) STORED, note text COLLATE \"C\");"
                + " CREATE INDEX orders_note ON orders (note);"
                + " COMMENT ON TABLE orders IS 'what was sold'; COMMENT ON COLUMN orders.note IS 'the buyer''s words';"
                + " INSERT INTO orders (base_id, amount, note) SELECT g % 10 + 1, g, 'before ' || g FROM generate_series(1, 1000) g");
        f.onSource("CREATE TABLE parts_us PARTITION OF parts FOR VALUES IN ('us'); INSERT INTO parts SELECT g, 'us', 'v' FROM generate_series(1, 500) g");
        f.onSource("CREATE SCHEMA audit; CREATE TABLE audit.log (at int, what text); ALTER TABLE audit.log REPLICA IDENTITY FULL;"
                + " INSERT INTO audit.log SELECT g, 'x' FROM generate_series(1, 300) g");
        f.onSource("CREATE TABLE events (id bigint PRIMARY KEY, kind text) PARTITION BY RANGE (id);"
                + " CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (1) TO (1000000);"
                + " INSERT INTO events SELECT g, 'k' FROM generate_series(1, 200) g");
        f.onSource("CREATE TABLE nokey (a int); INSERT INTO nokey VALUES (1)");
        f.onSource("CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY)");

        // Writes to every new table before, during and after its pick-up.
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            int i = 0;
            while (writing.get() || i < 50) {
                i++;
                f.onSource("BEGIN; INSERT INTO orders (base_id, amount, note) VALUES (" + (i % 10 + 1) + ", " + i + ", 'during');"
                        + " UPDATE orders SET amount = amount + 1 WHERE id = " + (i % 1000 + 1) + ";"
                        + " INSERT INTO audit.log VALUES (" + (1000 + i) + ", 'w'); UPDATE audit.log SET what = 'u" + i + "' WHERE at = " + (i % 300 + 1) + ";"
                        + " INSERT INTO parts VALUES (" + (1000 + i) + ", 'us', 'w'); DELETE FROM parts WHERE region = 'us' AND id = " + i + ";"
                        + " INSERT INTO events VALUES (" + (1000 + i) + ", 'w'); COMMIT");
            }
            return i;
        });
        long deadline = System.currentTimeMillis() + 90_000;
        while (added.size() < 4 && System.currentTimeMillis() < deadline && !writer.isDone()) {
            Thread.sleep(100);
        }
        long appeared = System.currentTimeMillis();
        Thread.sleep(1000);
        writing.set(false);
        int transactions = writer.get(60, TimeUnit.SECONDS);
        f.drain(stream);

        assertEquals(Set.of(ORDERS, PARTS_US, AUDIT_LOG, EVENTS_1), added.stream().map(AddedTable::table).collect(Collectors.toSet()),
                "added: " + added);
        for (TableRef t : List.of(BASE, PARTS_EU, ORDERS, PARTS_US, EVENTS_1)) {
            f.assertSameRows(t, List.of());
        }
        f.assertSameRows(AUDIT_LOG, List.of());
        assertEquals(1000 + transactions, f.count(f.destination(), ORDERS));
        assertEquals("f", f.destinationQuery("SELECT to_regclass('public.nokey') IS NOT NULL"), "a table without replica identity is not taken");
        assertEquals(List.of(new NotTakenTable(new TableRef("public", "nokey"), NotTakenTable.Why.NO_KEY),
                new NotTakenTable(new TableRef("public", "scratch"), NotTakenTable.Why.UNLOGGED)), notTaken, "each told once, in rounds of 500 ms");
        assertEquals("what was sold", f.destinationQuery("SELECT obj_description('orders'::regclass, 'pg_class')"));
        assertEquals("the buyer's words", f.destinationQuery("SELECT col_description('orders'::regclass, 5)"));
        // The definition came along: index, check, foreign key, generated column, serial's sequence, identity, parent.
        assertEquals("orders_note", f.destinationQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'orders' AND indexname <> 'orders_pkey'"));
        assertEquals("3", f.destinationQuery("SELECT count(*) FROM pg_constraint WHERE conrelid = 'orders'::regclass"));
        assertEquals("s", f.destinationQuery("SELECT attgenerated FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'doubled'"));
        assertEquals("public.orders_id_seq", f.destinationQuery("SELECT pg_get_serial_sequence('orders', 'id')"));
        assertEquals("f", f.destinationQuery("SELECT relreplident FROM pg_class WHERE oid = 'audit.log'::regclass"));
        assertEquals("p", f.destinationQuery("SELECT relkind FROM pg_class WHERE oid = 'events'::regclass"));
        for (AddedTable t : added) {
            System.out.printf("new table %s: %d rows, copied %d ms after it was found (sync LSN %s)%n", t.table(), t.rows(),
                    t.copiedAt() - t.foundAt(), t.syncLsn());
        }
        System.out.printf("the four new tables were all copied %d ms after the first was created%n", appeared - created);
    }

    @Test
    void aNewTableTheDestinationCannotTakeFailsTheStreamNamingIt() throws Exception {
        CdcFixture f = new CdcFixture(clusters, "new-table-fails", "new_table_fails_db");
        Lsn start = f.prepare("CREATE TABLE base (id int PRIMARY KEY)", List.of(BASE));
        CdcStream stream = CdcStream.start(f.spec(Map.of(BASE, start)), clusters.connections,
                new NewTables.Options(Duration.ofMillis(200), Duration.ofSeconds(5), RoleHandling.CREATE_MISSING, t -> {}, t -> {}));
        clusters.streams.add(stream);
        // A type created during CDC is not on the destination (DDL is not replicated).
        f.onSource("CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE TABLE feelings (id int PRIMARY KEY, m mood)");
        ExecutionException e = assertThrows(ExecutionException.class, () -> stream.completion().get(60, TimeUnit.SECONDS));
        assertInstanceOf(CdcStreamException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("table public.feelings was created on the source during CDC"), e.getCause().getMessage());
        assertEquals("f", f.destinationQuery("SELECT to_regclass('public.feelings') IS NOT NULL"));
    }

    @Test
    void theFinderOpensItsSessionAgainWhenTheSourceEndsIt() throws Exception {
        CdcFixture f = new CdcFixture(clusters, "new-table-finder", "new_table_finder_db");
        Lsn start = f.prepare("CREATE TABLE base (id int PRIMARY KEY)", List.of(BASE));
        List<AddedTable> added = new CopyOnWriteArrayList<>();
        CdcStream stream = CdcStream.start(f.spec(Map.of(BASE, start)), clusters.connections,
                new NewTables.Options(Duration.ofMillis(200), Duration.ofSeconds(5), RoleHandling.CREATE_MISSING, added::add, t -> {}));
        clusters.streams.add(stream);
        // The finder keeps one session between its rounds: the one whose last query read the publications' tables.
        String finder = "FROM pg_stat_activity WHERE query LIKE '%pg_publication_rel r JOIN%' AND pid <> pg_backend_pid()"
                + " AND datname = current_database()";
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"1".equals(f.sourceQuery("SELECT count(*) " + finder)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("1", f.sourceQuery("SELECT count(*) " + finder), "one kept session looks for new tables");
        f.onSource("SELECT pg_terminate_backend(pid) " + finder);

        TableRef later = new TableRef("public", "later");
        f.onSource("CREATE TABLE later (id int PRIMARY KEY); INSERT INTO later SELECT generate_series(1, 100)");
        deadline = System.currentTimeMillis() + 30_000;
        while (added.isEmpty() && System.currentTimeMillis() < deadline && !stream.completion().isDone()) {
            Thread.sleep(50);
        }
        assertEquals(List.of(later), added.stream().map(AddedTable::table).toList(), "found on a new session");
        f.onSource("INSERT INTO later SELECT generate_series(101, 200); INSERT INTO base VALUES (1)");
        f.drain(stream);
        f.assertSameRows(later, List.of());
        f.assertSameRows(BASE, List.of());
    }
}
