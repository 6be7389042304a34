package dms.e2e;

import static dms.e2e.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.devstack.DmsService;
import dms.devstack.ServiceProcess;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of each service while data moves: the orchestrator, the API, then both workers, killed
 * during the full dump (mid-copy, a write load on the source) and during CDC under a write load,
 * and started again. The job must get to CDC and stay there by itself, promote must complete it,
 * and the destination must hold the source's rows: none lost, none doubled.
 */
class ServiceKillsTest {

    /** About 15 MB: several copy units of {@link TestStack#RANGE_BYTES}, two copied at a time on this machine. */
    private static final int BIG_ROWS = 60_000;
    /** The load's transactions while the dump runs, then during CDC; a kill after this many of the second. */
    private static final int DUMP_TRANSACTIONS = 30;
    private static final int CDC_TRANSACTIONS = 60;
    private static final int KILL_AFTER = 15;
    private static final int ALL_TRANSACTIONS = DUMP_TRANSACTIONS + CDC_TRANSACTIONS;

    @BeforeAll
    static void workers() {
        TestStack.dumpWorker();
        TestStack.cdcWorker();
    }

    @Test
    void orchestratorKilledMidCopyAndUnderCdcLoadCompletesWithEqualTables() throws Exception {
        ServiceProcess orchestrator = TestStack.service(DmsService.JOB_ORCHESTRATOR);
        FaultyMigration m = new FaultyMigration("korch", TestStack.get()).withBigTable(BIG_ROWS);
        long began = System.nanoTime();
        try (JobWatch watch = JobWatch.start(m.jobId)) {
            try (SourceLoad dumpLoad = m.load(0, DUMP_TRANSACTIONS)) {
                m.start();
                m.awaitMidCopy();
                orchestrator.kill();
                // While it is away, a change is published but nobody decides it: 202, done false.
                Response edit = request().body(Map.of("displayName", "edited while the orchestrator was down"))
                        .patch("/v1/migration-jobs/" + m.jobId);
                assertEquals(202, edit.statusCode(), edit.asString());
                assertEquals(Boolean.FALSE, edit.path("done"));
                assertEquals("RUNNING/FULL_DUMP", status(m.jobId), "reads are served from the API's view");
                orchestrator.start();
                // By itself: the copies it had handed out are taken into account, the rest handed out.
                awaitStatus(m.jobId, "RUNNING/CDC", 180);
                assertNull(awaitOperation(edit.path("name"), 30).get("error"), "the edit sent while it was away is applied");
                assertEquals("edited while the orchestrator was down", job(m.jobId).path("displayName"));
                dumpLoad.finish();
            }
            try (SourceLoad cdcLoad = m.load(DUMP_TRANSACTIONS, CDC_TRANSACTIONS)) {
                cdcLoad.awaitCommitted(KILL_AFTER);
                orchestrator.kill();
                orchestrator.start();
                cdcLoad.finish();
            }
            m.awaitSameRows(ALL_TRANSACTIONS);
            m.assertStreaming(watch);
            System.out.printf("ServiceKillsTest orchestrator: two kills, dump, load and catch-up in %d s, statuses seen %s%n",
                    Duration.ofNanos(System.nanoTime() - began).toSeconds(), watch.statuses);
        }
        m.promoteAndDelete(ALL_TRANSACTIONS);
    }

    @Test
    void apiKilledMidCopyAndUnderCdcLoadShowsTheJobAsItIsOnceBack() throws Exception {
        ServiceProcess api = TestStack.service(DmsService.JOB_API);
        FaultyMigration m = new FaultyMigration("kapi", TestStack.get()).withBigTable(BIG_ROWS);
        long began = System.nanoTime();
        try (SourceLoad dumpLoad = m.load(0, DUMP_TRANSACTIONS)) {
            m.start();
            m.awaitMidCopy();
            api.kill();
            // The job goes on without the API: the orchestrator takes it to CDC.
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "RUNNING/CDC".equals(m.controlStatus()));
            api.start();
            // Ready means its view is rebuilt from the topics: it shows what the orchestrator decided meanwhile.
            m.awaitApiShowsControlState();
            Response edit = request().body(Map.of("displayName", "edited after the API came back"))
                    .patch("/v1/migration-jobs/" + m.jobId);
            assertEquals(200, edit.statusCode(), edit.asString());
            assertEquals("edited after the API came back", job(m.jobId).path("displayName"));
            dumpLoad.finish();
        }
        try (JobWatch watch = JobWatch.start(m.jobId)) {
            try (SourceLoad cdcLoad = m.load(DUMP_TRANSACTIONS, CDC_TRANSACTIONS)) {
                cdcLoad.awaitCommitted(KILL_AFTER);
                api.kill();
                api.start();
                m.awaitApiShowsControlState();
                cdcLoad.finish();
            }
            m.awaitSameRows(ALL_TRANSACTIONS);
            m.assertStreaming(watch);
            assertTrue(watch.statuses.stream().anyMatch(s -> s.startsWith("unreadable")), () -> "the API was away: " + watch.statuses);
            System.out.printf("ServiceKillsTest api: two kills, dump, load and catch-up in %d s, statuses seen %s%n",
                    Duration.ofNanos(System.nanoTime() - began).toSeconds(), watch.statuses);
        }
        m.promoteAndDelete(ALL_TRANSACTIONS);
    }

    @Test
    void workersKilledMidCopyAndUnderCdcLoadLoseAndDoubleNothing() throws Exception {
        FaultyMigration m = new FaultyMigration("kwork", TestStack.get()).withBigTable(BIG_ROWS);
        long began = System.nanoTime();
        try (JobWatch watch = JobWatch.start(m.jobId)) {
            try (SourceLoad dumpLoad = m.load(0, DUMP_TRANSACTIONS)) {
                m.start();
                m.awaitMidCopy();
                // The dump-worker dies with its copies and the snapshot it held; the cdc-worker with it.
                TestStack.dumpWorker().kill();
                TestStack.cdcWorker().kill();
                TestStack.dumpWorker();
                TestStack.cdcWorker();
                awaitStatus(m.jobId, "RUNNING/CDC", 180);
                dumpLoad.finish();
            }
            try (SourceLoad cdcLoad = m.load(DUMP_TRANSACTIONS, CDC_TRANSACTIONS)) {
                cdcLoad.awaitCommitted(KILL_AFTER);
                TestStack.cdcWorker().kill();
                TestStack.dumpWorker().kill();
                TestStack.cdcWorker();
                TestStack.dumpWorker();
                cdcLoad.finish();
            }
            m.awaitSameRows(ALL_TRANSACTIONS);
            m.assertStreaming(watch);
            System.out.printf("ServiceKillsTest workers: two kills of each, dump, load and catch-up in %d s, statuses seen %s%n",
                    Duration.ofNanos(System.nanoTime() - began).toSeconds(), watch.statuses);
        }
        m.promoteAndDelete(ALL_TRANSACTIONS);
    }
}
