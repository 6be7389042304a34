package dms.dump.postdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Post-data waits for the index builds of its job on a real server, and only for those. */
class IndexBuildLocksTest {

    private static TestClusters clusters;

    @BeforeAll
    static void destination() {
        clusters = TestClusters.start("destination");
        clusters.cluster(0).createDatabase("locks_db");
        clusters.cluster(0).createDatabase("begun_db");
    }

    @AfterAll
    static void stop() {
        clusters.close();
    }

    private static IndexBuildLocks locks() {
        IndexBuildLocks locks = new IndexBuildLocks();
        locks.connector = clusters.connector;
        return locks;
    }

    @Test
    void postDataWaitsForEveryBuildAndGuardOfItsJobOnly() throws Exception {
        IndexBuildLocks locks = locks();
        try (Connection postData = clusters.connector.open(clusters.profile(0), "locks_db");
             Connection otherJobsBuild = clusters.connector.open(clusters.profile(0), "locks_db")) {
            IndexBuildLocks.share(otherJobsBuild, "job-b");
            assertTrue(IndexBuildLocks.awaitBuilds(postData, "job-a") < 1000, "another job's build does not hold it up");

            // Two copies of the job reported, their tables' builds waiting: one guard connection for both.
            AutoCloseable first = locks.hold("job-a", clusters.profile(0), "locks_db");
            AutoCloseable second = locks.hold("job-a", clusters.profile(0), "locks_db");
            assertEquals(1, locks.guards());
            CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
                try {
                    return IndexBuildLocks.awaitBuilds(postData, "job-a");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertFalse(waited.isDone(), "post-data waits while builds are to come");

            // A build starts on its own connection while post-data polls: it is not queued behind post-data.
            Connection build = clusters.connector.open(clusters.profile(0), "locks_db");
            CompletableFuture<Void> shared = CompletableFuture.runAsync(() -> {
                try {
                    IndexBuildLocks.share(build, "job-a");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            shared.get(5, TimeUnit.SECONDS);
            first.close();
            second.close();
            assertEquals(0, locks.guards(), "the last release closes the guard connection");
            Thread.sleep(500);
            assertFalse(waited.isDone(), "the running build still holds it");
            build.close(); // the build ends (or its worker dies: the session goes)
            assertTrue(waited.get(5, TimeUnit.SECONDS) >= 1000, "post-data went on only after the last build");
        }
    }

    @Test
    void aBuildNotStartedWhenPostDataBeginsIsLeftToIt() throws Exception {
        IndexBuildLocks locks = locks();
        try (AutoCloseable guard = locks.hold("job-a", clusters.profile(0), "begun_db")) {
            assertFalse(locks.postDataBegun("job-a", "begun_db"));
            try (Connection postData = clusters.connector.open(clusters.profile(0), "begun_db")) {
                IndexBuildLocks.beginPostData(postData, "job-a");
                assertTrue(locks.postDataBegun("job-a", "begun_db"), "post-data has begun: builds not started are its");
                try (AutoCloseable otherJob = locks.hold("job-b", clusters.profile(0), "begun_db")) {
                    assertFalse(locks.postDataBegun("job-b", "begun_db"), "another job's post-data has not");
                }
            }
            // The server lets go of a closed session's locks when its backend exits, a moment after the close.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (locks.postDataBegun("job-a", "begun_db") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(locks.postDataBegun("job-a", "begun_db"), "post-data's session ended (a new run's can begin)");
        }
        assertTrue(locks.postDataBegun("job-a", "begun_db"), "no guard: no build may start");
    }
}
