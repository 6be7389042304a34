package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.apply.TableRef;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Multi-statement transactions under a stream that is stopped and started again while they flow:
 * every transaction arrives whole, once. Then a second slot, still at the start (as after a crash between
 * the destination commit and the slot's acknowledgement): the stream first moves it to the applied position
 * ({@link ReplayEnd}), so nothing applied comes again.
 */
class RestartTest extends WithClusters {


    @Test
    void stoppedAndRestartedMidStreamNothingTwiceNothingLost() throws Exception {
        TableRef acct = new TableRef("public", "acct");
        TableRef log = new TableRef("public", "log");
        CdcFixture f = new CdcFixture(clusters, "restart", "restart_db");
        f.prepare("CREATE TABLE acct (id int PRIMARY KEY, n int NOT NULL); INSERT INTO acct SELECT g, 0 FROM generate_series(1, 10) g;"
                + " CREATE TABLE log (a int, b text); ALTER TABLE log REPLICA IDENTITY FULL", List.of(acct, log));
        String replaySlot = f.slot + "_replay";
        f.sourceQuery("SELECT pg_copy_logical_replication_slot('" + f.slot + "', '" + replaySlot + "')::text");

        int transactions = 300;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= transactions; i++) {
                // insert-only rows in a table without key: a transaction applied twice would show
                String rows = i % 50 == 0 ? "SELECT " + i + ", 'bulk ' || g FROM generate_series(1, 2000) g"
                        : "VALUES (" + i + ", 'x'), (" + i + ", 'y'), (" + i + ", 'z')";
                f.onSource("BEGIN; INSERT INTO log " + rows + "; UPDATE acct SET n = n + 1 WHERE id = " + (i % 10 + 1) + "; COMMIT");
            }
        });
        for (int round = 0; round < 3; round++) {
            CdcStream stream = f.start();
            long deadline = System.currentTimeMillis() + 30_000;
            while (stream.stats().appliedTransactions() < 20 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(200 * round);
            stream.stop();
            assertEquals(StreamLifecycle.State.STOPPED, stream.state());
        }
        writer.get(120, TimeUnit.SECONDS);
        CdcStream last = f.start();
        f.drain(last);
        f.assertSameRows(acct, List.of("id"));
        f.assertSameRows(log, List.of());
        assertEquals("3000", f.destinationQuery("SELECT sum(n) * 10 FROM acct"));
        long appliedRows = Long.parseLong(f.destinationQuery("SELECT count(*) FROM log"));
        assertEquals(294 * 3 + 6 * 2000, appliedRows);
        String position = f.destinationQuery("SELECT commit_lsn::text || ' ' || transactions FROM dms_internal.cdc_position");

        // A slot still at the start would re-deliver everything: it is moved to the applied position first.
        CdcStream replay = f.start(new CdcStreamSpec(f.jobId, f.database, replaySlot, f.publication, clusters.profile(0),
                clusters.profile(1), Map.of(), null));
        f.drain(replay);
        assertEquals(0, replay.stats().skippedTransactions(), "nothing applied comes again: " + replay.stats());
        assertEquals(1, replay.stats().appliedTransactions(), "only the drain marker: " + replay.stats());
        assertEquals(0, replay.stats().appliedChanges());
        f.assertSameRows(acct, List.of("id"));
        f.assertSameRows(log, List.of());
        assertTrue(f.destinationQuery("SELECT commit_lsn::text || ' ' || transactions FROM dms_internal.cdc_position")
                .endsWith(" " + (Long.parseLong(position.split(" ")[1]) + 1)));
    }
}
