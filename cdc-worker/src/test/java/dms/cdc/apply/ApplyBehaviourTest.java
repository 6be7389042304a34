package dms.cdc.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.stream.CdcStream;
import dms.cdc.stream.CdcStreamException;
import dms.cdc.stream.StreamLifecycle;
import dms.cdc.promote.DrainResult;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import dms.common.sql.Lsn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How each kind of change is applied (one source/destination pair, one database per test). */
class ApplyBehaviourTest extends WithClusters {


    @Test
    void unchangedToastColumnsAreLeftIntact() throws Exception {
        TableRef big = new TableRef("public", "big");
        CdcFixture f = new CdcFixture(clusters, "toast", "toast_db");
        f.prepare("CREATE TABLE big (id int PRIMARY KEY, small int, body text, doc jsonb, blob bytea, nums int[])", List.of(big));
        CdcStream stream = f.start();
        // ~13 kB of random hex per value: stored out of line (TOAST), not compressible below the threshold
        for (int id = 1; id <= 3; id++) {
            f.onSource("INSERT INTO big VALUES (" + id + ", 0, (SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 400)),"
                    + " (SELECT jsonb_agg(md5(random()::text)) FROM generate_series(1, 400)),"
                    + " (SELECT decode(string_agg(md5(random()::text), ''), 'hex') FROM generate_series(1, 400)),"
                    + " (SELECT array_agg((random() * 1e9)::int) FROM generate_series(1, 3000)))");
        }
        f.onSource("UPDATE big SET small = small + 1");
        f.onSource("UPDATE big SET small = small + 1, body = body || 'x' WHERE id = 2");
        f.drain(stream);
        f.assertSameRows(big, List.of("id"));
        assertEquals("1", f.destinationQuery("SELECT small FROM big WHERE id = 1"));
        assertTrue(Integer.parseInt(f.destinationQuery("SELECT min(length(body)) FROM big")) > 12_000);
    }

    @Test
    void identifiersWithCapitalsSpacesQuotesAndUnicode() throws Exception {
        TableRef weird = new TableRef("Ünï Schema", "My \"Table\" naïve");
        CdcFixture f = new CdcFixture(clusters, "Weird Job", "weird db ü");
        f.prepare("CREATE SCHEMA \"Ünï Schema\"; CREATE TABLE \"Ünï Schema\".\"My \"\"Table\"\" naïve\" (\"Id\" int PRIMARY KEY,"
                + " \"select\" text, \"col with space\" numeric, \"ÉTÉ\" date, \"a\"\"b\" int);"
                + " INSERT INTO \"Ünï Schema\".\"My \"\"Table\"\" naïve\" VALUES (1, 'one', 1, '2020-01-01', 1), (2, 'two', 2, NULL, 2)",
                List.of(weird));
        CdcStream stream = f.start();
        f.onSource("INSERT INTO \"Ünï Schema\".\"My \"\"Table\"\" naïve\" VALUES (3, 'three', 3.5, '2021-02-03', 3)");
        f.onSource("UPDATE \"Ünï Schema\".\"My \"\"Table\"\" naïve\" SET \"select\" = 'ONE', \"ÉTÉ\" = NULL WHERE \"Id\" = 1");
        f.onSource("DELETE FROM \"Ünï Schema\".\"My \"\"Table\"\" naïve\" WHERE \"Id\" = 2");
        f.drain(stream);
        f.assertSameRows(weird, List.of("Id"));
        assertEquals("2", String.valueOf(f.count(f.destination(), weird)));
    }

    @Test
    void tableWithoutKeyUnderReplicaIdentityFull() throws Exception {
        TableRef nokey = new TableRef("public", "nokey");
        CdcFixture f = new CdcFixture(clusters, "nokey", "nokey_db");
        f.prepare("CREATE TABLE nokey (a int, b text, j json); ALTER TABLE nokey REPLICA IDENTITY FULL;"
                + " INSERT INTO nokey VALUES (1, 'dup', '{\"x\": 1}'), (1, 'dup', '{\"x\": 1}'), (2, NULL, NULL), (3, 'three', '[ 1 ]')",
                List.of(nokey));
        CdcStream stream = f.start();
        f.onSource("UPDATE nokey SET b = 'changed' WHERE ctid = (SELECT ctid FROM nokey WHERE a = 1 LIMIT 1)");
        f.onSource("UPDATE nokey SET b = 'was null' WHERE a = 2");
        f.onSource("DELETE FROM nokey WHERE a = 3");
        f.onSource("INSERT INTO nokey VALUES (4, 'four', NULL), (4, 'four', NULL)");
        f.onSource("DELETE FROM nokey WHERE ctid = (SELECT ctid FROM nokey WHERE a = 4 LIMIT 1)");
        f.drain(stream);
        f.assertSameRows(nokey, List.of());
        assertEquals(4, f.count(f.destination(), nokey));
    }

    @Test
    void updatesAndDeletesThatFindNoRowOnTheDestinationAreCountedWithThePosition() throws Exception {
        TableRef keyed = new TableRef("public", "kept");
        TableRef onlyKey = new TableRef("public", "pairs");
        TableRef nokey = new TableRef("public", "loose");
        CdcFixture f = new CdcFixture(clusters, "unmatched", "unmatched_db");
        f.prepare("CREATE TABLE kept (id int PRIMARY KEY, v text); INSERT INTO kept VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');"
                + " CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b)); INSERT INTO pairs VALUES (1, 1);"
                + " CREATE TABLE loose (a int, b text); ALTER TABLE loose REPLICA IDENTITY FULL; INSERT INTO loose VALUES (1, 'x')",
                List.of(keyed, onlyKey, nokey));
        // Rows deleted by hand on the destination: the changes to them diverge.
        f.destination().execute("unmatched_db", "DELETE FROM kept WHERE id IN (2, 3); DELETE FROM loose");
        CdcStream stream = f.start();
        f.onSource("UPDATE kept SET v = 'found' WHERE id = 1");
        f.onSource("UPDATE kept SET v = 'gone' WHERE id = 2");
        f.onSource("DELETE FROM kept WHERE id = 3");
        f.onSource("UPDATE kept SET id = 40 WHERE id = 4"); // a key change of a row that is there
        f.onSource("UPDATE loose SET b = 'y'");
        f.onSource("INSERT INTO pairs VALUES (2, 2)");
        f.drain(stream);
        assertEquals(3, stream.stats().unmatchedChanges(), "kept 2 and 3, loose");
        assertEquals("3", f.destinationQuery("SELECT unmatched FROM dms_internal.cdc_position"), "committed with the position");
        f.assertSameRows(keyed, List.of("id"));
        assertEquals("gone", f.destinationQuery("SELECT v FROM kept WHERE id = 2"), "an update inserts the row it missed, as the upsert did");
        f.assertSameRows(onlyKey, List.of("a", "b"));
    }

    @Test
    void runsOfInsertsGoByCopyAndARowAlreadyThereTurnsTheRunIntoUpserts() throws Exception {
        TableRef many = new TableRef("public", "many");
        TableRef loose = new TableRef("public", "loose_rows");
        CdcFixture f = new CdcFixture(clusters, "copyruns", "copyruns_db");
        f.prepare("CREATE TABLE many (id int PRIMARY KEY, v text, a int[]);"
                + " CREATE TABLE loose_rows (a int, b text); ALTER TABLE loose_rows REPLICA IDENTITY FULL", List.of(many, loose));
        f.destination().execute("copyruns_db", "INSERT INTO many VALUES (5, 'stale', NULL)"); // a divergence: the COPY meets it
        CdcStream stream = f.start();
        f.onSource("INSERT INTO many SELECT g, 'v\\' || g, ARRAY[g, NULL] FROM generate_series(1, 100) g");
        f.onSource("INSERT INTO loose_rows SELECT g % 3, CASE WHEN g % 2 = 0 THEN E'tab\there' END FROM generate_series(1, 50) g");
        // a run, then changes to rows of that run, in one transaction: they follow the COPY, in order
        f.onSource("BEGIN; INSERT INTO many SELECT g, 'w' FROM generate_series(101, 150) g; UPDATE many SET v = 'changed' WHERE id % 10 = 0;"
                + " DELETE FROM many WHERE id % 7 = 0; INSERT INTO many SELECT g, 'again' FROM generate_series(7, 49, 7) g; COMMIT");
        f.drain(stream);
        f.assertSameRows(many, List.of("id"));
        f.assertSameRows(loose, List.of());
        assertEquals("v\\5", f.destinationQuery("SELECT v FROM many WHERE id = 5"), "the row already there ends as the source's");
        assertEquals(0, stream.stats().unmatchedChanges());
    }

    @Test
    void runsOfUpdatesAndDeletesGoAsOneStatementAndCountRowsNotFound() throws Exception {
        TableRef rows = new TableRef("public", "rows");
        CdcFixture f = new CdcFixture(clusters, "setruns", "setruns_db");
        f.prepare("CREATE TABLE rows (id int PRIMARY KEY, u int UNIQUE, v text, at timestamptz);"
                + " INSERT INTO rows SELECT g, g, 'v' || g, '2020-01-01 00:00+00' FROM generate_series(1, 200) g", List.of(rows));
        f.destination().execute("setruns_db", "DELETE FROM rows WHERE id IN (5, 150)"); // a divergence: an update and a delete miss
        CdcStream stream = f.start();
        // a run of updates with repeated keys, a run of deletes, in one transaction
        f.onSource("BEGIN; UPDATE rows SET v = 'first ' || id WHERE id <= 100; UPDATE rows SET v = E'tab\there ' || id, at = NULL"
                + " WHERE id % 2 = 0 AND id <= 100; DELETE FROM rows WHERE id > 140; COMMIT");
        // a swap of unique values through a free one: valid change by change, not as one statement
        f.onSource("BEGIN; UPDATE rows SET u = -1 WHERE id = 1; UPDATE rows SET u = 1 WHERE id = 2; UPDATE rows SET u = 2 WHERE id = 1;"
                + " UPDATE rows SET u = u + 1000 WHERE id BETWEEN 10 AND 30; COMMIT");
        f.drain(stream);
        f.assertSameRows(rows, List.of("id"));
        assertEquals(2, stream.stats().unmatchedChanges(), "row 5 updated (inserted back, then found), row 150 deleted");
    }

    @Test
    void primaryKeyChange() throws Exception {
        TableRef t = new TableRef("public", "keyed");
        CdcFixture f = new CdcFixture(clusters, "pkchange", "pkchange_db");
        f.prepare("CREATE TABLE keyed (id int PRIMARY KEY, v text); INSERT INTO keyed VALUES (1, 'a'), (2, 'b'), (3, 'c')", List.of(t));
        CdcStream stream = f.start();
        f.onSource("UPDATE keyed SET id = 100, v = 'moved' WHERE id = 1");
        // a swap inside one transaction, through a free key
        f.onSource("BEGIN; UPDATE keyed SET id = -2 WHERE id = 2; UPDATE keyed SET id = 2 WHERE id = 3;"
                + " UPDATE keyed SET id = 3 WHERE id = -2; COMMIT");
        f.drain(stream);
        f.assertSameRows(t, List.of("id"));
        assertNull(f.destinationQuery("SELECT v FROM keyed WHERE id = 1"));
        assertEquals("c", f.destinationQuery("SELECT v FROM keyed WHERE id = 2"));
    }

    @Test
    void truncate() throws Exception {
        TableRef parent = new TableRef("public", "parent");
        TableRef child = new TableRef("public", "child");
        CdcFixture f = new CdcFixture(clusters, "truncate", "truncate_db");
        f.prepare("CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (id int PRIMARY KEY, p int REFERENCES parent);"
                + " INSERT INTO parent SELECT generate_series(1, 10); INSERT INTO child SELECT g, g FROM generate_series(1, 10) g",
                List.of(parent, child));
        CdcStream stream = f.start();
        f.onSource("TRUNCATE parent, child");
        f.onSource("INSERT INTO parent VALUES (42); INSERT INTO child VALUES (1, 42)");
        f.drain(stream);
        f.assertSameRows(parent, List.of("id"));
        f.assertSameRows(child, List.of("id"));
        assertEquals(1, f.count(f.destination(), parent));
    }

    @Test
    void changesAtOrBeforeATablesSyncLsnAreSkipped() throws Exception {
        TableRef a = new TableRef("public", "a");
        TableRef b = new TableRef("public", "b");
        CdcFixture f = new CdcFixture(clusters, "synclsn", "synclsn_db");
        f.prepare("CREATE TABLE a (id int PRIMARY KEY, v text); CREATE TABLE b (id int PRIMARY KEY, v text);"
                + " INSERT INTO a VALUES (1, 'a1'); INSERT INTO b VALUES (1, 'b1')", List.of(a, b));
        f.onSource("BEGIN; INSERT INTO a VALUES (2, 'early'); INSERT INTO b VALUES (2, 'early'); COMMIT");
        Lsn syncOfA = f.sourceWalLsn(); // as if table a had been copied at a snapshot taken here
        f.onSource("BEGIN; UPDATE a SET v = 'late' WHERE id = 1; UPDATE b SET v = 'late' WHERE id = 1; COMMIT");
        CdcStream stream = f.start(f.spec(Map.of(a, syncOfA)));
        f.drain(stream);
        assertNull(f.destinationQuery("SELECT v FROM a WHERE id = 2"), "a's change before its sync LSN is skipped");
        assertEquals("late", f.destinationQuery("SELECT v FROM a WHERE id = 1"), "a's change after its sync LSN is applied");
        f.assertSameRows(b, List.of("id"));
        assertEquals(1, stream.stats().skippedChanges());
    }

    @Test
    void ddlOnTheSourceStopsTheStreamNamingTheTable() throws Exception {
        TableRef t = new TableRef("public", "evolving");
        CdcFixture f = new CdcFixture(clusters, "ddl", "ddl_db");
        f.prepare("CREATE TABLE evolving (id int PRIMARY KEY, v text)", List.of(t));
        CdcStream stream = f.start();
        f.onSource("INSERT INTO evolving VALUES (1, 'before')");
        f.onSource("ALTER TABLE evolving ADD COLUMN extra int");
        f.onSource("INSERT INTO evolving VALUES (2, 'after', 7)");
        ExecutionException e = assertThrows(ExecutionException.class, () -> stream.completion().get(90, TimeUnit.SECONDS));
        CdcStreamException error = assertInstanceOf(CdcStreamException.class, e.getCause());
        assertTrue(error.getMessage().contains("public.evolving") && error.getMessage().contains("extra"), error.getMessage());
        assertInstanceOf(SchemaDriftException.class, error.getCause());
        assertEquals(StreamLifecycle.State.FAILED, stream.state());
        // the transaction before the DDL is applied, the one after is not
        assertEquals("before", f.destinationQuery("SELECT v FROM evolving WHERE id = 1"));
        assertNull(f.destinationQuery("SELECT v FROM evolving WHERE id = 2"));
        // and the slot did not confirm past what is applied: a restart fails the same way, losing nothing
        CdcStream again = f.start();
        assertThrows(ExecutionException.class, () -> again.completion().get(90, TimeUnit.SECONDS));
    }

    @Test
    void drainWithNothingToApplyStopsAtTheSourcesLsn() throws Exception {
        TableRef t = new TableRef("public", "quiet");
        CdcFixture f = new CdcFixture(clusters, "quiet", "quiet_db");
        f.prepare("CREATE TABLE quiet (id int PRIMARY KEY); CREATE TABLE other (id int PRIMARY KEY)", List.of(t));
        f.onSource("INSERT INTO other SELECT generate_series(1, 1000)"); // WAL, but nothing for the publication
        CdcStream stream = f.start();
        Lsn before = f.sourceWalLsn();
        DrainResult drained = f.drain(stream);
        assertTrue(drained.targetLsn().compareTo(before) >= 0);
        assertTrue(drained.appliedLsn().compareTo(drained.targetLsn()) >= 0, drained.toString());
        stream.completion().get(30, TimeUnit.SECONDS);
        assertEquals(StreamLifecycle.State.STOPPED, stream.state());
        assertEquals(0, stream.lag().lagBytes() > 1_000_000 ? 1 : 0);
    }
}
