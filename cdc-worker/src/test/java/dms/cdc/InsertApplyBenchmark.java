package dms.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.cdc.apply.TableRef;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.TestClusters;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Apply throughput of a backlog: 500,000 single-row inserts in transactions of 1,000, written to the source while
 * nothing consumes the slot, then the time until the destination has them all: a CdcStream against native logical
 * replication (CREATE SUBSCRIPTION with copy_data=false on the same slot kind), same clusters, same load. Writing
 * first and applying after keeps the source's load out of the apply measurement. Not part of the test run
 * (surefire takes *Test): {@code mvn -pl cdc-worker test -Dtest=InsertApplyBenchmark [-Dbench.rows=500000]}.
 */
class InsertApplyBenchmark {

    static final int ROWS = Integer.getInteger("bench.rows", 500_000);
    static final int PER_TRANSACTION = 1000;
    static final TableRef TABLE = new TableRef("public", "events");

    @Test
    void backlogApplyVersusNativeLogicalReplication() throws Exception {
        try (TestClusters clusters = TestClusters.start("source", "destination")) {
            double dms = run(clusters, "ins_dms", false);
            double nat = run(clusters, "ins_native", true);
            System.out.printf("%n== %d single-row inserts in transactions of %d, applied from a backlog%n", ROWS, PER_TRANSACTION);
            System.out.printf("DMS CdcStream (Debezium embedded): %.1f s, %.0f changes/s%n", dms, ROWS / dms);
            System.out.printf("native logical replication:         %.1f s, %.0f changes/s%n", nat, ROWS / nat);
            System.out.printf("ratio DMS / native throughput: %.2f%n", nat / dms);
        }
    }

    /** Seconds from the consumer's start until the destination holds every row. */
    private double run(TestClusters clusters, String db, boolean nativeReplication) throws Exception {
        CdcFixture f = new CdcFixture(clusters, db, db);
        f.prepare("CREATE TABLE events (id bigint PRIMARY KEY, kind int NOT NULL, body text, at timestamptz NOT NULL DEFAULT now())",
                List.of(TABLE));
        f.onSource("DO $$ BEGIN FOR t IN 0.." + (ROWS / PER_TRANSACTION - 1) + " LOOP FOR i IN 1.." + PER_TRANSACTION
                + " LOOP INSERT INTO events (id, kind, body) VALUES (t * " + PER_TRANSACTION + " + i, i % 7, md5(i::text));"
                + " END LOOP; COMMIT; END LOOP; END $$");
        long t0 = System.nanoTime();
        CdcStream stream = null;
        if (nativeReplication) {
            f.destination().execute(db, "CREATE SUBSCRIPTION sub CONNECTION 'host=127.0.0.1 port=" + f.source().port()
                    + " user=dms password=dms dbname=" + db + "' PUBLICATION " + f.publication
                    + " WITH (copy_data = false, create_slot = false, slot_name = '" + f.slot + "')");
        } else {
            stream = f.start();
        }
        while (f.count(f.destination(), TABLE) < ROWS) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (stream != null) {
            f.drain(stream);
        } else {
            f.destination().execute(db, "ALTER SUBSCRIPTION sub DISABLE");
            f.destination().execute(db, "ALTER SUBSCRIPTION sub SET (slot_name = NONE)");
            f.destination().execute(db, "DROP SUBSCRIPTION sub");
        }
        f.assertSameRows(TABLE, List.of("id"));
        assertEquals(ROWS, f.count(f.destination(), TABLE));
        return seconds;
    }
}
