package dms.orchestrator.lifecycle;

import static dms.orchestrator.lifecycle.Jobs.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CopyUnit;
import dms.common.messages.DumpTask;
import dms.common.messages.TableName;
import dms.common.messages.WorkerEvent;
import dms.common.messages.WorkerEvent.TaskRef;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.dump.CopyUnitEntity.State;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leases of dump tasks: expiry sends each kind again, heartbeats extend, superseded attempts are ignored, stops still settle. */
class TaskLeasesTest {

    private static final JobStatus STARTING = JobStatus.of(JobState.STARTING, null);
    private static final JobStatus DUMPING = JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP);
    private static final Instant EXPIRED = NOW.plus(LEASE);

    @Test
    void aCopyWithoutWordFromItsWorkerIsSentAgainAsItsNextAttemptWhenItsLeaseExpires() {
        Decision d = decide(dumping(unit("a", 1, "t1", 10, State.QUEUED, 1)), new Input.RetriesDue(NOW));
        assertEquals(1, d.effects(Effect.Copy.class).get(0).attempt());
        assertEquals(EXPIRED, d.job().units.get(0).leaseUntil);

        assertFalse(decide(d.job(), new Input.LeasesExpired(EXPIRED.minusSeconds(1))).changed(), "not yet");
        Decision again = decide(d.job(), new Input.LeasesExpired(EXPIRED));
        assertEquals(List.of(2), again.effects(Effect.Copy.class).stream().map(Effect.Copy::attempt).toList());
        UnitSnapshot unit = again.job().units.get(0);
        assertEquals(State.COPYING, unit.state);
        assertEquals(EXPIRED.plus(LEASE), unit.leaseUntil);
        assertTrue(messages(again).contains("copy of public.t1 (unit 1) had no word from its worker for 120 s: sent again as attempt 2"),
                () -> messages(again).toString());
    }

    @Test
    void aHeartbeatOfTheAttemptInFlightExtendsItsLeaseAndOneOfAnotherAttemptDoesNot() {
        Decision d = decide(dumping(unit("a", 1, "t1", 10, State.QUEUED, 1)), new Input.RetriesDue(NOW));
        Instant later = NOW.plusSeconds(90);
        Decision beat = Lifecycle.decide(d.job(), new Input.Report(copyHeartbeat(1, "snap-a"), later), SETTINGS);
        assertEquals(later.plus(LEASE), beat.job().units.get(0).leaseUntil);
        assertEquals(List.of(), beat.effects(Effect.PublishDocument.class), "a heartbeat changes nothing the job document shows");
        assertTrue(decide(beat.job(), new Input.LeasesExpired(EXPIRED)).effects(Effect.Copy.class).isEmpty(), "still running");

        assertFalse(Lifecycle.decide(d.job(), new Input.Report(copyHeartbeat(3, "snap-a"), later), SETTINGS).changed(), "another attempt");
        assertFalse(Lifecycle.decide(d.job(), new Input.Report(copyHeartbeat(1, "an-older-snapshot"), later), SETTINGS).changed(),
                "another snapshot");
    }

    @Test
    void aLateReportOfASupersededAttemptIsIgnoredAndTheLatestOneCounts() {
        Decision d = decide(dumping(unit("a", 1, "t1", 10, State.QUEUED, 1)), new Input.RetriesDue(NOW));
        d = decide(d.job(), new Input.LeasesExpired(EXPIRED)); // attempt 2 in flight

        Decision late = report(d.job(), unitReport("a", 1, WorkerEvent.UnitState.FAILED, 1, true).withTask(copyTask(1)));
        assertEquals(State.COPYING, late.job().units.get(0).state, "the failure of attempt 1 does not queue attempt 2's unit");
        assertTrue(late.effects(Effect.Copy.class).isEmpty());

        Decision done = report(late.job(), unitReport("a", 1, WorkerEvent.UnitState.COPIED, 1, true).withTask(copyTask(2)));
        assertEquals(State.COPIED, done.job().units.get(0).state);
        assertNull(done.job().units.get(0).leaseUntil);
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.POST_DATA, "a", null, 2, 1)), done.effects(Effect.DatabaseTask.class));
    }

    @Test
    void aPrepareIsSentAgainAndOnlyTheLatestAttemptsPlanCounts() {
        JobSnapshot job = job(STARTING, 1, leased(Jobs.db("a", null, null, 1), DumpTask.Kind.PREPARE_DATABASE, 1, true));
        Decision d = decide(job, new Input.LeasesExpired(EXPIRED));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "a", true, 2, 2)), d.effects(Effect.DatabaseTask.class),
                "with the purge flag it was sent with");
        assertTrue(messages(d).contains("PREPARE_DATABASE of database a (attempt 1) had no word from its worker for 120 s: sent again as attempt 2"));

        WorkerEvent planned = dumpStarted("a", 1, "slot", "0/1", "snap-1", List.of(new CopyUnit(1, "public", "t", List.of("id"), null, 10, 1, 0)));
        assertFalse(report(d.job(), planned.withTask(new TaskRef(DumpTask.Kind.PREPARE_DATABASE, null, 1))).changed(),
                "the plan of attempt 1, whose slot attempt 2 replaces");
        Decision started = report(d.job(), planned.withTask(new TaskRef(DumpTask.Kind.PREPARE_DATABASE, null, 2)));
        assertEquals(List.of(DUMPING), moves(started));
        assertNull(started.job().database("a").orElseThrow().task, "answered: no lease left");
        assertEquals(1, started.effects(Effect.Copy.class).size());
    }

    @Test
    void postDataIsSentAgainAndItsAnswerEndsTheLease() {
        JobSnapshot job = job(DUMPING, 1, leased(Jobs.db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1), DumpTask.Kind.POST_DATA, 4,
                null));
        Decision d = decide(job, new Input.LeasesExpired(EXPIRED));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.POST_DATA, "a", null, 2, 5)), d.effects(Effect.DatabaseTask.class));
        assertEquals(new TaskLeases.Pending(DumpTask.Kind.POST_DATA, EXPIRED.plus(LEASE), null), d.job().database("a").orElseThrow().task);

        Decision completed = report(d.job(), signal("a", WorkerSignal.DUMP_COMPLETED, 1)); // a worker that names no attempt
        assertNull(completed.job().database("a").orElseThrow().task);
        assertEquals(List.of(JobStatus.of(JobState.RUNNING, JobPhase.CDC)), moves(completed));
        assertFalse(decide(completed.job(), new Input.LeasesExpired(EXPIRED.plus(LEASE))).changed(), "nothing leased any more");
    }

    @Test
    void aNewSnapshotIsSentAgainForTheTablesNotCopiedYet() {
        JobSnapshot job = dumping(unit("a", 1, "t1", 10, State.COPIED, 1), unit("a", 2, "t2", 10, State.COPYING, 1));
        Decision lost = report(job, unitReport("a", 2, WorkerEvent.UnitState.SNAPSHOT_LOST, 1, true));
        assertEquals(List.of(new Effect.NewSnapshot("a", List.of(new TableName("public", "t2")), 1)), lost.effects(Effect.NewSnapshot.class));

        Decision d = decide(lost.job(), new Input.LeasesExpired(EXPIRED));
        assertEquals(List.of(new Effect.NewSnapshot("a", List.of(new TableName("public", "t2")), 2)), d.effects(Effect.NewSnapshot.class));
        WorkerEvent resumed = new WorkerEvent.SnapshotTaken(header("a", 1), "snap-new", "0/9");
        assertFalse(report(d.job(), resumed.withTask(new TaskRef(DumpTask.Kind.NEW_SNAPSHOT, null, 1))).changed());
        Decision copying = report(d.job(), resumed.withTask(new TaskRef(DumpTask.Kind.NEW_SNAPSHOT, null, 2)));
        assertEquals("snap-new", copying.effects(Effect.Copy.class).get(0).snapshotName());
    }

    @Test
    void aStopWhoseLastCopyIsLeasedToADeadWorkerSettlesWhenTheLeaseExpires() {
        JobStatus stopping = JobStatus.of(JobState.STOPPING, JobPhase.FULL_DUMP);
        UnitSnapshot copying = unit("a", 1, "t1", 10, State.COPYING, 1).leasedUntil(EXPIRED);
        JobSnapshot job = withUnits(job(stopping, 1, Jobs.db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)), copying);
        assertEquals(List.of(), moves(decide(job, new Input.LeasesExpired(EXPIRED.minusSeconds(1)))));

        Decision d = decide(job, new Input.LeasesExpired(EXPIRED));
        assertEquals(List.of(JobStatus.of(JobState.STOPPED, JobPhase.FULL_DUMP)), moves(d));
        assertEquals(State.QUEUED, d.job().units.get(0).state);
        assertTrue(d.effects(Effect.Copy.class).isEmpty(), "a stopped job sends no copy");
        assertTrue(messages(d).contains("copy of public.t1 (unit 1) had no word from its worker for 120 s: queued again"));
    }

    @Test
    void aDeleteSendsItsCleanupAgainAndLetsTheOtherTasksGo() {
        JobStatus deleting = JobStatus.of(JobState.DELETING, JobPhase.FULL_DUMP);
        JobSnapshot job = withUnits(job(deleting, 1,
                        leased(Jobs.db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1), DumpTask.Kind.CLEANUP, 2, true),
                        leased(Jobs.db("b", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1), DumpTask.Kind.POST_DATA, 3, null)),
                unit("b", 1, "t1", 10, State.COPYING, 1).leasedUntil(EXPIRED));
        Decision d = decide(job, new Input.LeasesExpired(EXPIRED));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.CLEANUP, "a", true, null, 3)), d.effects(Effect.DatabaseTask.class));
        assertNull(d.job().database("b").orElseThrow().task);
        assertTrue(messages(d).contains("POST_DATA of database b (attempt 3) had no word from its worker for 120 s: not sent again, the job is "
                + deleting));
        assertEquals(State.QUEUED, d.job().units.get(0).state);

        Decision cleaned = report(d.job(), signal("a", WorkerSignal.CLEANED_UP, 1).withTask(new TaskRef(DumpTask.Kind.CLEANUP, null, 3)));
        assertNull(cleaned.job().database("a").orElseThrow().task);
    }

    @Test
    void aFailedDatabasesTaskIsLetGoWhileTheOthersGoOn() {
        JobStatus failed = JobStatus.of(JobState.FAILED, JobPhase.FULL_DUMP);
        JobSnapshot job = job(failed, 1,
                leased(Jobs.db("a", JobPhase.FULL_DUMP, WorkerSignal.FAILED, 1), DumpTask.Kind.NEW_SNAPSHOT, 2, null),
                leased(Jobs.db("b", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1), DumpTask.Kind.POST_DATA, 2, null));
        Decision d = decide(job, new Input.LeasesExpired(EXPIRED));
        assertTrue(d.effects(Effect.NewSnapshot.class).isEmpty(), "a failed database waits for its restart");
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.POST_DATA, "b", null, 2, 3)), d.effects(Effect.DatabaseTask.class));
    }

    private static JobSnapshot dumping(UnitSnapshot... units) {
        return withUnits(job(DUMPING, 1, Jobs.db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)), units);
    }

    /** A database whose task {@code kind}, sent as {@code attempt}, is leased until {@link #EXPIRED}. */
    private static DatabaseSnapshot leased(DatabaseSnapshot db, DumpTask.Kind kind, int attempt, Boolean purge) {
        return db.withTask(attempt, new TaskLeases.Pending(kind, EXPIRED, purge));
    }

    private static TaskRef copyTask(int attempt) {
        return new TaskRef(DumpTask.Kind.COPY_TABLE, 1, attempt);
    }

    private static WorkerEvent copyHeartbeat(int attempt, String snapshot) {
        return WorkerEvent.heartbeat("j", 1, "a", "w", copyTask(attempt), snapshot);
    }

    private static List<String> messages(Decision d) {
        return d.effects(Effect.Event.class).stream().map(Effect.Event::message).toList();
    }
}
