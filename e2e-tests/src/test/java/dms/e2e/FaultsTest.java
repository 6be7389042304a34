package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.PgCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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

    /** Transactions the writer commits ({@link SourceLoad}). */
    private static final int TRANSACTIONS = 80;
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
        FaultyMigration m = new FaultyMigration(id, source, destination, TestStack.get().control());
        m.start();
        awaitStatus(m.jobId, "RUNNING/CDC", 120);

        long began = System.nanoTime();
        try (JobWatch watch = JobWatch.start(m.jobId); SourceLoad load = m.load(0, TRANSACTIONS)) {
            load.awaitCommitted(RESTART_AFTER);
            restarted.restart();
            load.finish();
            assertTrue(load.retries() > 0 || restarted != source, "the source restart interrupted the writer");
            m.awaitSameRows(TRANSACTIONS);
            // By itself: nobody touched the job since start.
            m.assertStreaming(watch);
            String side = restarted == source ? "source" : "destination";
            assertTrue(watch.databaseErrors.stream().anyMatch(e -> e.startsWith("CDC interrupted, starting again") && e.contains(side)),
                    () -> "the job showed the interruption, naming the " + side + ", while it lasted: " + watch.databaseErrors);
            System.out.printf("FaultsTest %s: restart of %s, load and catch-up in %d s, writer retries %d, statuses seen %s,"
                            + " errors shown %s%n", id, restarted.name(), Duration.ofNanos(System.nanoTime() - began).toSeconds(),
                    load.retries(), watch.statuses, watch.databaseErrors);
        }
        m.delete();
    }

    private static PgCluster ownCluster(String name) throws Exception {
        // The cluster runs as the postgres user when the tests run as root: it must enter the folder.
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "dms-" + name + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return new PgCluster(name, dir);
    }
}
