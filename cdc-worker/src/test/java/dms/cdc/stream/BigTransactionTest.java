package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.apply.TableRef;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A source transaction bigger than a part (here 1,000 changes) is applied part by part into one destination
 * transaction that commits, with the position, only at its END (docs/data-path.md, rule 4): nothing of it shows
 * before, and a stream stopped in its middle leaves nothing of it, so the next stream applies it whole, once.
 */
class BigTransactionTest extends WithClusters {

    private static final CdcStreamSpec.Options SMALL_PARTS = new CdcStreamSpec.Options(1000, 1000, 128L << 20, 4096, 5, null);

    @Test
    void appliedInPartsCommittedWhole() throws Exception {
        TableRef acct = new TableRef("public", "acct");
        TableRef log = new TableRef("public", "log");
        CdcFixture f = new CdcFixture(clusters, "bigtx", "bigtx_db");
        f.prepare("CREATE TABLE acct (id int PRIMARY KEY, n int NOT NULL); INSERT INTO acct SELECT g, 0 FROM generate_series(1, 5000) g;"
                + " CREATE TABLE log (a int, b text); ALTER TABLE log REPLICA IDENTITY FULL", List.of(acct, log));
        CdcStream stream = f.start(spec(f));
        f.onSource("INSERT INTO log VALUES (0, 'before')");
        // Every kind of change in one transaction of ~26,000 changes, the small ones around it grouped as usual.
        f.onSource("BEGIN; INSERT INTO log SELECT g, 'row ' || g FROM generate_series(1, 20000) g;"
                + " UPDATE acct SET n = n + 1 WHERE id <= 3000; DELETE FROM log WHERE a % 10 = 0 AND a > 0;"
                + " UPDATE log SET b = 'changed' WHERE a = 7; TRUNCATE acct; INSERT INTO acct VALUES (1, 42); COMMIT");
        f.onSource("INSERT INTO log VALUES (0, 'after')");
        f.drain(stream);
        f.assertSameRows(acct, List.of("id"));
        f.assertSameRows(log, List.of());
        assertTrue(stream.stats().appliedParts() >= 20, stream.stats().toString());
        assertEquals("18002", f.destinationQuery("SELECT count(*) FROM log"));
    }

    @Test
    void stoppedInTheMiddleLeavesNothingAndIsAppliedWholeAfter() throws Exception {
        TableRef log = new TableRef("public", "log");
        CdcFixture f = new CdcFixture(clusters, "bigtx-stop", "bigtx_stop_db");
        f.prepare("CREATE TABLE log (a int, b text); ALTER TABLE log REPLICA IDENTITY FULL", List.of(log));
        CdcStream stream = f.start(spec(f));
        CompletableFuture<Void> writer = CompletableFuture.runAsync(
                () -> f.onSource("INSERT INTO log SELECT g, md5(g::text) FROM generate_series(1, 200000) g"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (stream.stats().appliedParts() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(stream.stats().appliedParts() >= 5, stream.stats().toString());
        assertEquals(0, stream.stats().appliedTransactions());
        assertEquals("0", f.destinationQuery("SELECT count(*) FROM log"), "nothing shows before the END");
        stream.stop();
        writer.get();
        assertEquals("0", f.destinationQuery("SELECT count(*) FROM log"), "the stopped stream left nothing");

        CdcStream again = f.start(spec(f));
        f.drain(again);
        f.assertSameRows(log, List.of());
        assertEquals("200000", f.destinationQuery("SELECT count(*) FROM log"));
        assertEquals("200000", f.destinationQuery("SELECT changes FROM dms_internal.cdc_position"));
    }

    private static CdcStreamSpec spec(CdcFixture f) {
        return new CdcStreamSpec(f.jobId, f.database, f.slot, f.publication, clusters.profile(0), clusters.profile(1), Map.of(),
                SMALL_PARTS);
    }
}
