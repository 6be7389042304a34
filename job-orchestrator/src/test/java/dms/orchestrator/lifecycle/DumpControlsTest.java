package dms.orchestrator.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.DatabaseProgress;
import dms.common.messages.DumpControl;
import dms.common.messages.DumpControl.DatabaseWork;
import dms.common.messages.DumpControl.Verify;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.WorkerSignal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the dump-workers are told they may do, by job status and database progress (dms.dump-control). */
class DumpControlsTest {

    private static DatabaseProgress db(String name, JobPhase phase, WorkerSignal last, Long total, Long copied) {
        return new DatabaseProgress(name, phase, last, null, null, total, copied, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    private static DumpControl control(JobState state, JobPhase phase, DatabaseProgress... dbs) {
        return DumpControls.of(new MigrationJob("j", null, state, phase, "s", "d", null, null, List.of(dbs), null, null, 4, 17, null,
                null, null, null));
    }

    private static DatabaseWork work(DumpControl c, String db) {
        return c.database(db).orElseThrow();
    }

    @Test
    void aStartingJobPreparesAndCopiesEveryDatabase() {
        DumpControl c = control(JobState.STARTING, null, db("a", null, null, null, null));
        assertEquals(new DatabaseWork("a", true, true, true, Verify.NONE), work(c, "a"));
        assertEquals(4, c.runEpoch());
        assertEquals(17, c.jobVersion());
        assertEquals("STARTING", c.status());
        assertFalse(c.ended());
    }

    @Test
    void inTheDumpOnlyADatabaseNotPlannedYetIsPreparedAndACopiedOneReleasesItsSnapshot() {
        DumpControl c = control(JobState.RUNNING, JobPhase.FULL_DUMP,
                db("planned", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 10L, 4L),
                db("added", null, null, null, null),
                db("copied", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 10L, 10L));
        assertEquals(new DatabaseWork("planned", false, true, true, Verify.NONE), work(c, "planned"));
        assertEquals(new DatabaseWork("added", true, true, true, Verify.NONE), work(c, "added"));
        assertEquals(new DatabaseWork("copied", false, true, false, Verify.NONE), work(c, "copied"));
    }

    @Test
    void aFailedJobStopsOnlyTheDatabaseThatFailed() {
        DumpControl c = control(JobState.FAILED, null,
                db("broken", JobPhase.FULL_DUMP, WorkerSignal.FAILED, 10L, 2L),
                db("copying", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 10L, 2L),
                db("waiting", null, null, null, null));
        assertFalse(work(c, "broken").copy());
        assertFalse(work(c, "broken").holdSnapshot());
        assertTrue(work(c, "copying").copy(), "failure stays where it happens");
        assertTrue(work(c, "waiting").prepare(), "a database still waiting is prepared all the same");
        assertFalse(work(c, "copying").prepare());
    }

    @Test
    void stopAndCdcCancelCopiesAndChooseHowDataIsCompared() {
        DumpControl stoppedInDump = control(JobState.STOPPED, JobPhase.FULL_DUMP, db("a", JobPhase.FULL_DUMP, null, 10L, 3L));
        assertEquals(new DatabaseWork("a", false, false, false, Verify.NONE), work(stoppedInDump, "a"));
        assertEquals(Verify.LIVE, work(control(JobState.RUNNING, JobPhase.CDC, db("a", JobPhase.CDC, null, 1L, 1L)), "a").verify());
        assertEquals(Verify.DIRECT, work(control(JobState.STOPPED, JobPhase.CDC, db("a", JobPhase.CDC, null, 1L, 1L)), "a").verify());
        DumpControl completed = control(JobState.COMPLETED, null, db("a", null, WorkerSignal.PROMOTED, 1L, 1L));
        assertEquals(Verify.DIRECT, work(completed, "a").verify());
        assertTrue(completed.ended());
        assertTrue(control(JobState.DELETED, null).ended());
        assertFalse(work(control(JobState.RUNNING, JobPhase.CDC, db("a", JobPhase.CDC, null, 1L, 1L)), "a").copy());
    }
}
