package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.apply.TableRef;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server going away stops the stream with a clear error; a new stream resumes from the stored position. */
class FailureTest extends WithClusters {


    @Test
    void destinationGoesAwayThenResumes() throws Exception {
        TableRef t = new TableRef("public", "t");
        CdcFixture f = new CdcFixture(clusters, "dest-away", "dest_away_db");
        f.prepare("CREATE TABLE t (id int PRIMARY KEY, v text)", List.of(t));
        CdcStream stream = f.start();
        f.onSource("INSERT INTO t VALUES (1, 'one')");
        waitApplied(stream, 1);
        f.destination().stop();
        try {
            f.onSource("INSERT INTO t VALUES (2, 'two')");
            ExecutionException e = assertThrows(ExecutionException.class, () -> stream.completion().get(90, TimeUnit.SECONDS));
            CdcStreamException error = assertInstanceOf(CdcStreamException.class, e.getCause());
            assertTrue(error.getMessage().contains("destination"), error.getMessage());
            assertEquals(StreamLifecycle.State.FAILED, stream.state());
        } finally {
            f.destination().start();
        }
        f.onSource("INSERT INTO t VALUES (3, 'three')");
        f.drain(f.start());
        f.assertSameRows(t, List.of("id"));
        assertEquals(3, f.count(f.destination(), t));
    }

    @Test
    void sourceGoesAwayThenResumes() throws Exception {
        TableRef t = new TableRef("public", "t");
        CdcFixture f = new CdcFixture(clusters, "source-away", "source_away_db");
        f.prepare("CREATE TABLE t (id int PRIMARY KEY, v text)", List.of(t));
        CdcStream stream = f.start();
        f.onSource("INSERT INTO t VALUES (1, 'one')");
        waitApplied(stream, 1);
        f.source().stop();
        try {
            ExecutionException e = assertThrows(ExecutionException.class, () -> stream.completion().get(90, TimeUnit.SECONDS));
            CdcStreamException error = assertInstanceOf(CdcStreamException.class, e.getCause());
            assertTrue(error.getMessage().contains("source"), error.getMessage());
            assertEquals(StreamLifecycle.State.FAILED, stream.state());
        } finally {
            f.source().start();
        }
        f.onSource("INSERT INTO t VALUES (2, 'two')");
        f.drain(f.start());
        f.assertSameRows(t, List.of("id"));
        assertEquals(2, f.count(f.destination(), t));
    }

    private static void waitApplied(CdcStream stream, long transactions) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (stream.stats().appliedTransactions() < transactions && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(stream.stats().appliedTransactions() >= transactions, "nothing applied within 60 s");
    }
}
