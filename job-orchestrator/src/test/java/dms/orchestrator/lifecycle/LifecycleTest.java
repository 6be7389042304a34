package dms.orchestrator.lifecycle;

import static dms.orchestrator.lifecycle.Jobs.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.CdcControl;
import dms.common.messages.CopyUnit;
import dms.common.messages.DumpTask;
import dms.common.messages.JobPatch;
import dms.common.messages.RoleHandling;
import dms.common.messages.TableName;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.commands.CommandRejected;
import dms.orchestrator.dump.CopyUnitEntity.State;
import java.util.List;
import org.junit.jupiter.api.Test;

/** decide() on the paths the state table does not show: the races fixed so far, the dump's steps, edits and timers. */
class LifecycleTest {

    private static final JobStatus STARTING = JobStatus.of(JobState.STARTING, null);
    private static final JobStatus DUMPING = JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP);
    private static final JobStatus FOLLOWING = JobStatus.of(JobState.RUNNING, JobPhase.CDC);

    @Test
    void aDatabaseDumpedWholeBeforeAnotherIsPreparedCountsAsStartedAndFollowsOnceTheJobRuns() {
        JobSnapshot job = job(STARTING, 1, db("a", null, null, 1), db("b", null, null, 1));
        Decision d = report(job, signal("a", WorkerSignal.DUMP_STARTED, 1)); // no units: post-data at once
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.POST_DATA, "a", null, 2, 1)), d.effects(Effect.DatabaseTask.class));
        d = report(d.job(), signal("a", WorkerSignal.DUMP_COMPLETED, 1));
        assertEquals(STARTING, d.job().status, "b is not prepared yet");
        assertTrue(d.effects(Effect.Cdc.class).isEmpty(), "no stream while the job starts");

        d = report(d.job(), dumpStarted("b", 1, "slot", "0/1", "snap-b", List.of(new CopyUnit(1, "public", "t", List.of("id"), null, 10, 1, 0))));
        assertEquals(List.of(DUMPING), moves(d));
        assertTrue(d.effects(Effect.Cdc.class).contains(new Effect.Cdc("a", CdcControl.Desired.RUN, NOW, null)), "a follows now");
        assertEquals(1, d.effects(Effect.Copy.class).size(), "b's copy is sent");

        d = report(d.job(), signal("b", WorkerSignal.DUMP_COMPLETED, 1));
        assertEquals(List.of(FOLLOWING), moves(d));
    }

    @Test
    void aTableAddedDuringCdcIsAnEventOfTheJobAndChangesNothingElse() {
        JobSnapshot job = job(FOLLOWING, 2, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 2));
        Decision d = report(job, new WorkerEvent.NewTable(header("a", 2),
                new WorkerEvent.TableAdded("public.reviews", true, 5000, 412000, "0/1A2B3C4", 840)));
        assertEquals(List.of(new Effect.Event(dms.common.messages.JobEvent.Type.TABLE_ADDED, null, null, null, "a",
                "table public.reviews found on the source during CDC, created on the destination, copied 5000 rows"
                        + " (sync LSN 0/1A2B3C4, 840 ms after it was found), replicating")), d.effects());
        assertEquals(FOLLOWING, d.job().status);
        assertEquals(WorkerSignal.RESUMED, d.job().database("a").orElseThrow().lastSignal);
        assertFalse(report(job, new WorkerEvent.NewTable(header("a", 1),
                new WorkerEvent.TableAdded("public.reviews", true, 1, 1, "0/1", 1))).changed(), "of an older run");
    }

    @Test
    void aTableNotTakenDuringCdcIsAnEventOfTheJobAndChangesNothingElse() {
        JobSnapshot job = job(FOLLOWING, 2, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 2));
        Decision d = report(job, new WorkerEvent.NewTableNotTaken(header("a", 2),
                new WorkerEvent.TableNotTaken("public.audit", "it has no primary key")));
        assertEquals(List.of(new Effect.Event(dms.common.messages.JobEvent.Type.TABLE_NOT_TAKEN, null, null, null, "a",
                "table public.audit was created on the source during CDC and is not replicated: it has no primary key")), d.effects());
        assertEquals(FOLLOWING, d.job().status);
    }

    @Test
    void aLateStoppedAfterCleanedUpDoesNotUndoTheDelete() {
        JobStatus deleting = JobStatus.of(JobState.DELETING, JobPhase.CDC);
        JobSnapshot job = job(deleting, 2, db("a", JobPhase.CDC, null, 2), db("b", JobPhase.CDC, null, 2));
        Decision d = report(job, signal("a", WorkerSignal.CLEANED_UP, 2));
        d = report(d.job(), signal("a", WorkerSignal.STOPPED, 2)); // its stream, failing on the slot just dropped
        assertEquals(WorkerSignal.CLEANED_UP, d.job().database("a").orElseThrow().lastSignal);
        d = report(d.job(), signal("b", WorkerSignal.CLEANED_UP, 2));
        assertEquals(List.of(JobStatus.of(JobState.DELETED, null)), moves(d));
    }

    @Test
    void aReportOfAnOlderRunChangesNothing() {
        JobSnapshot job = job(JobStatus.of(JobState.RESUMING, JobPhase.CDC), 3, db("a", JobPhase.CDC, WorkerSignal.STOPPED, 2));
        Decision d = report(job, signal("a", WorkerSignal.RESUMED, 2));
        assertFalse(d.changed());
        assertEquals(List.of(), d.effects());
        assertEquals(WorkerSignal.STOPPED, d.job().database("a").orElseThrow().lastSignal);
        assertFalse(report(job, signal("zz", WorkerSignal.RESUMED, 3)).changed(), "a database the job does not migrate");
    }

    @Test
    void aSignalOfThePreviousRunDoesNotCountTowardsTheAgreement() {
        JobStatus resuming = JobStatus.of(JobState.RESUMING, JobPhase.FULL_DUMP);
        JobSnapshot job = job(resuming, 3, db("a", JobPhase.FULL_DUMP, null, 3), db("b", JobPhase.FULL_DUMP, WorkerSignal.RESUMED, 2));
        assertEquals(List.of(), moves(report(job, signal("a", WorkerSignal.DUMP_STARTED, 3))), "b's RESUMED was of run 2");
    }

    @Test
    void onResumeOneDatabasePreparedAgainAndOneGivenANewSnapshotAgree() {
        JobStatus resuming = JobStatus.of(JobState.RESUMING, JobPhase.FULL_DUMP);
        JobSnapshot job = job(resuming, 3, db("a", JobPhase.FULL_DUMP, null, 3), db("b", JobPhase.FULL_DUMP, null, 3));
        Decision d = report(job, signal("a", WorkerSignal.DUMP_STARTED, 3));
        d = report(d.job(), new WorkerEvent.SnapshotTaken(header("b", 3), "snap-2", "0/2"));
        assertEquals(List.of(DUMPING), moves(d));
    }

    @Test
    void aRedeliveredUnitReportIsIgnored() {
        JobSnapshot job = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "t1", 10, State.COPYING, 1), unit("a", 2, "t2", 10, State.COPYING, 1));
        Decision d = report(job, unitReport("a", 1, WorkerEvent.UnitState.COPIED, 1, false));
        assertEquals(State.COPIED, d.job().units.get(0).state);
        Decision again = report(d.job(), unitReport("a", 1, WorkerEvent.UnitState.COPIED, 1, false));
        assertEquals(List.of(), again.effects(Effect.DatabaseTask.class));
        d = report(again.job(), unitReport("a", 2, WorkerEvent.UnitState.COPIED, 1, false));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.POST_DATA, "a", null, 2, 1)), d.effects(Effect.DatabaseTask.class),
                "post-data once the last unit is copied, once");
        JobSnapshot copying = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "t1", 10, State.COPYING, 1));
        WorkerEvent stale = new WorkerEvent.UnitDone(header("a", 1), new WorkerEvent.UnitReport(1, "public.t1", WorkerEvent.UnitState.FAILED,
                0, 0, 0, "boom", true, "an-older-snapshot"));
        assertEquals(State.COPYING, report(copying, stale).job().units.get(0).state, "a report under an older snapshot is stale");
    }

    @Test
    void copiesGoOutBiggestFirstUpToTheParallelismAndAFailedOneAfterItsBackoff() {
        JobSnapshot job = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "small", 10, State.QUEUED, 1), unit("a", 2, "big", 1000, State.QUEUED, 1),
                unit("a", 3, "middle", 100, State.QUEUED, 1), unit("a", 4, "old", 5000, State.QUEUED, 0));
        Decision d = decide(job, new Input.RetriesDue(NOW));
        assertEquals(List.of("public.big", "public.middle"), d.effects(Effect.Copy.class).stream()
                .map(c -> unitOf(d, c).schemaName + "." + unitOf(d, c).tableName).toList(), "two in flight; a unit of run 0 is not sent");
        assertEquals(1, d.effects(Effect.PublishDocument.class).size());

        Decision failed = report(d.job(), unitReport("a", 2, WorkerEvent.UnitState.FAILED, 1, true));
        UnitSnapshot big = failed.job().units.get(1);
        assertEquals(State.QUEUED, big.state);
        assertEquals(NOW.plusSeconds(5), big.notBefore);
        assertEquals("public.small", failed.effects(Effect.Copy.class).stream().map(c -> "public." + unitOf(failed, c).tableName)
                .findFirst().orElseThrow(), "the free slot goes to a unit that is due");
        assertTrue(failed.effects(Effect.Event.class).stream().anyMatch(e -> e.message().contains("attempt 1 of 3")));
        assertEquals(List.of(), decide(failed.job(), new Input.RetriesDue(NOW.plusSeconds(4))).effects(Effect.Copy.class), "full");
    }

    @Test
    void theLastAttemptOfAUnitFailsItsDatabaseAndTheJob() {
        JobSnapshot job = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "t", 10, State.COPYING, 1));
        job.units.get(0).attempts = 3;
        Decision d = report(job, unitReport("a", 1, WorkerEvent.UnitState.FAILED, 1, true));
        assertEquals(List.of(JobStatus.of(JobState.FAILED, JobPhase.FULL_DUMP)), moves(d));
        assertEquals("database a: table public.t1: boom (after 3 attempts)", d.job().errorMessage);
        assertEquals(List.of(new Effect.Cdc("a", CdcControl.Desired.STOP, NOW, null)), d.effects(Effect.Cdc.class));
    }

    @Test
    void aLostSnapshotAsksForANewOneForTheTablesNotCopiedAndFailsTheDatabaseAfterFive() {
        JobSnapshot job = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "done", 10, State.COPIED, 1), unit("a", 2, "t", 10, State.COPYING, 1));
        Decision d = report(job, unitReport("a", 2, WorkerEvent.UnitState.SNAPSHOT_LOST, 1, true));
        assertEquals(List.of(new Effect.NewSnapshot("a", List.of(new TableName("public", "t")), 1)), d.effects(Effect.NewSnapshot.class));
        assertNull(d.job().database("a").orElseThrow().snapshotName, "copies wait for the new snapshot");
        assertEquals(List.of(), d.effects(Effect.Copy.class));

        JobSnapshot lostOften = d.job();
        lostOften.database("a").orElseThrow().snapshotsLost = DumpSteps.MAX_SNAPSHOTS_LOST;
        lostOften.database("a").orElseThrow().snapshotName = "snap-a";
        lostOften.units.get(1).state = State.COPYING;
        lostOften.units.get(1).snapshotName = "snap-a";
        Decision failed = report(lostOften, unitReport("a", 2, WorkerEvent.UnitState.SNAPSHOT_LOST, 1, true));
        assertEquals(JobState.FAILED, failed.job().status.state());
    }

    @Test
    void aStopInTheDumpSettlesWhenTheLastCopyIsCancelledAndAtOnceWithNoneInFlight() {
        JobSnapshot job = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "t", 10, State.COPYING, 1));
        Decision stop = decide(job, new Input.Act(JobAction.STOP, "c", "me", false, null, List.of(), NOW));
        assertEquals(JobStatus.of(JobState.STOPPING, JobPhase.FULL_DUMP), stop.job().status);
        Decision cancelled = report(stop.job(), unitReport("a", 1, WorkerEvent.UnitState.CANCELLED, 1, true));
        assertEquals(List.of(JobStatus.of(JobState.STOPPED, JobPhase.FULL_DUMP)), moves(cancelled));
        assertEquals(State.QUEUED, cancelled.job().units.get(0).state);

        JobSnapshot idle = job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1));
        assertEquals(List.of(JobStatus.of(JobState.STOPPING, JobPhase.FULL_DUMP), JobStatus.of(JobState.STOPPED, JobPhase.FULL_DUMP)),
                moves(decide(idle, new Input.Act(JobAction.STOP, "c", "me", false, null, List.of(), NOW))), "no copy was in flight");
    }

    @Test
    void resumeGivesAPlannedDumpANewSnapshotAndPreparesAnUnplannedOneAgainAndRestartsStreams() {
        JobStatus stopped = JobStatus.of(JobState.STOPPED, JobPhase.FULL_DUMP);
        JobSnapshot job = withUnits(job(stopped, 1, db("planned", JobPhase.FULL_DUMP, WorkerSignal.STOPPED, 1),
                        db("streaming", JobPhase.CDC, WorkerSignal.STOPPED, 1), db("unplanned", null, null, 1)),
                unit("planned", 1, "t", 10, State.QUEUED, 1));
        Decision d = decide(job, new Input.Act(JobAction.RESUME, "c", "me", false, null, List.of(), NOW));
        assertEquals(2, d.job().runEpoch);
        assertEquals(List.of(new Effect.NewSnapshot("planned", List.of(new TableName("public", "t")), 1)), d.effects(Effect.NewSnapshot.class));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "unplanned", true, 2, 1)),
                d.effects(Effect.DatabaseTask.class));
        assertEquals(List.of(new Effect.Cdc("streaming", CdcControl.Desired.RUN, NOW, null)), d.effects(Effect.Cdc.class));
        assertEquals(2, d.job().units.get(0).runEpoch, "the plan is carried into the new run");
    }

    @Test
    void aRestartOfSomeDatabasesWipesThoseAndResumesTheOthers() {
        JobStatus failed = JobStatus.of(JobState.FAILED, JobPhase.CDC);
        JobSnapshot job = withUnits(job(failed, 1, db("bad", JobPhase.CDC, WorkerSignal.FAILED, 1), db("good", JobPhase.CDC, WorkerSignal.RESUMED, 1)),
                unit("bad", 1, "t", 10, State.COPIED, 1));
        Decision d = decide(job, new Input.Act(JobAction.RESTART, "c", "me", false, List.of("bad"), List.of(), NOW));
        assertEquals(List.of(JobStatus.of(JobState.RESTARTING, null)), moves(d));
        assertEquals(List.of(new Effect.CdcCleared("bad"), new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "bad", true, 2, 1),
                new Effect.Cdc("good", CdcControl.Desired.RUN, NOW, null)), d.effects().stream()
                .filter(e -> e instanceof Effect.CdcCleared || e instanceof Effect.DatabaseTask || e instanceof Effect.Cdc).toList());
        assertEquals(List.of(), d.job().units, "bad's plan is forgotten");
        assertNull(d.job().database("bad").orElseThrow().phase());
        assertEquals(JobPhase.CDC, d.job().database("good").orElseThrow().phase());
        JobSnapshot withCopied = withUnits(job, unit("good", 2, "u", 10, State.COPIED, 1));
        Decision again = decide(withCopied, new Input.Act(JobAction.RESTART, "c", "me", false, List.of("bad"), List.of(), NOW));
        assertEquals(List.of(2L), again.job().units.stream().map(u -> u.runEpoch).toList(), "good's copy still shows in the new run");
    }

    @Test
    void aFailedDatabaseStopsOnlyItsOwnStreamStaysFailedAndAnotherFailureIsListedToo() {
        JobSnapshot job = job(FOLLOWING, 1, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 1), db("b", JobPhase.CDC, WorkerSignal.RESUMED, 1),
                db("c", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        Decision d = report(job, failed("a", 1, "boom"));
        assertEquals(List.of(JobStatus.of(JobState.FAILED, JobPhase.CDC)), moves(d));
        assertEquals(List.of(new Effect.Cdc("a", CdcControl.Desired.STOP, NOW, null)), d.effects(Effect.Cdc.class), "b and c go on");
        assertEquals("database a: boom", d.job().errorMessage);

        d = report(d.job(), signal("a", WorkerSignal.STOPPED, 1)); // its stream's answer to the stop
        assertEquals(WorkerSignal.FAILED, d.job().database("a").orElseThrow().lastSignal, "a stays failed until a new run");
        assertEquals("boom", d.job().database("a").orElseThrow().progress.error());

        d = report(d.job(), failed("b", 1, "bust"));
        assertEquals(List.of(), moves(d));
        assertEquals(List.of(new Effect.Cdc("b", CdcControl.Desired.STOP, NOW, null)), d.effects(Effect.Cdc.class));
        assertEquals("database a: boom; database b: bust", d.job().errorMessage);
    }

    @Test
    void inAFailedDumpTheOtherDatabasesGoOnCopyingThenFollowTheSource() {
        JobSnapshot job = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1),
                        db("b", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "t", 10, State.COPYING, 1), unit("a", 2, "big", 1000, State.QUEUED, 1), unit("b", 3, "u", 10, State.QUEUED, 1));
        job.units.get(0).attempts = 3;
        Decision d = report(job, unitReport("a", 1, WorkerEvent.UnitState.FAILED, 1, true));
        assertEquals(List.of(JobStatus.of(JobState.FAILED, JobPhase.FULL_DUMP)), moves(d));
        assertEquals(WorkerSignal.FAILED, d.job().database("a").orElseThrow().progress.lastSignal(), "the document shows which failed");
        assertEquals(List.of(3), d.effects(Effect.Copy.class).stream().map(c -> unitOf(d, c).unitNo).toList(),
                "b's copy goes out, not a's bigger one");

        Decision copied = report(d.job(), unitReport("b", 3, WorkerEvent.UnitState.COPIED, 1, true));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.POST_DATA, "b", null, 2, 1)), copied.effects(Effect.DatabaseTask.class));
        Decision completed = report(copied.job(), signal("b", WorkerSignal.DUMP_COMPLETED, 1));
        assertEquals(List.of(new Effect.Cdc("b", CdcControl.Desired.RUN, NOW, null)), completed.effects(Effect.Cdc.class), "b follows");
        assertEquals(JobStatus.of(JobState.FAILED, JobPhase.FULL_DUMP), completed.job().status, "a's dump is not complete");

        Decision restart = decide(completed.job(), new Input.Act(JobAction.RESTART, "c", "me", false, List.of("a"), List.of(), NOW));
        assertEquals(List.of(new Effect.Cdc("b", CdcControl.Desired.RUN, NOW, null)), restart.effects(Effect.Cdc.class),
                "b resumes its stream in the new run");
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "a", true, 2, 1)), restart.effects(Effect.DatabaseTask.class));
        Decision back = report(report(restart.job(), signal("b", WorkerSignal.RESUMED, 2)).job(),
                dumpStarted("a", 2, "slot", "0/1", "snap-a", List.of(new CopyUnit(1, "public", "t", List.of("id"), null, 10, 1, 0))));
        assertEquals(List.of(DUMPING), moves(back));
        assertEquals(List.of(FOLLOWING), moves(report(back.job(), signal("a", WorkerSignal.DUMP_COMPLETED, 2))));
    }

    @Test
    void aFailureWhileStartingLeavesTheOthersPreparingAndTheJobTakesTheirPhase() {
        assertEquals(JobStatus.of(JobState.FAILED, null), report(job(STARTING, 1, db("a", null, null, 1)),
                signal("a", WorkerSignal.FAILED, 1)).job().status, "no database has a plan: no phase");
        JobSnapshot job = job(STARTING, 1, db("a", null, null, 1), db("b", null, null, 1));
        Decision d = report(job, failed("b", 1, "destination database b exists"));
        assertEquals(JobStatus.of(JobState.FAILED, null), d.job().status);
        assertEquals(List.of(new Effect.Cdc("b", CdcControl.Desired.STOP, NOW, null)), d.effects(Effect.Cdc.class));
        d = report(d.job(), dumpStarted("a", 1, "slot", "0/1", "snap-a", List.of(new CopyUnit(1, "public", "t", List.of("id"), null, 10, 1, 0))));
        assertEquals(List.of(JobStatus.of(JobState.FAILED, JobPhase.FULL_DUMP)), moves(d), "b counts as dumping");
        assertEquals(1, d.effects(Effect.Copy.class).size(), "a is copied");
        assertTrue(d.effects(Effect.Cdc.class).contains(new Effect.Cdc("a", CdcControl.Desired.WATCH, NOW, null)));
        assertEquals("database b: destination database b exists", d.job().errorMessage);
    }

    @Test
    void aStopOfAFailedJobStopsTheOthersAndSettlesWithoutTheFailedOnes() {
        JobStatus failed = JobStatus.of(JobState.FAILED, JobPhase.CDC);
        JobSnapshot job = job(failed, 1, db("bad", JobPhase.CDC, WorkerSignal.FAILED, 1), db("good", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        Decision d = decide(job, new Input.Act(JobAction.STOP, "c", "me", false, null, List.of(), NOW));
        assertEquals(JobStatus.of(JobState.STOPPING, JobPhase.CDC), d.job().status);
        assertTrue(d.effects(Effect.Cdc.class).contains(new Effect.Cdc("good", CdcControl.Desired.STOP, NOW, null)));
        assertEquals(List.of(JobStatus.of(JobState.STOPPED, JobPhase.CDC)), moves(report(d.job(), signal("good", WorkerSignal.STOPPED, 1))));
        assertThrows(CommandRejected.class, () -> decide(job, new Input.Act(JobAction.PROMOTE, "c", "me", false, null, List.of(), NOW)),
                "no promote while a database is failed");
    }

    @Test
    void aFailureOfAStoppedDumpKeepsItsCopiesStopped() {
        JobStatus stopped = JobStatus.of(JobState.STOPPED, JobPhase.FULL_DUMP);
        JobSnapshot job = withUnits(job(stopped, 1, db("a", JobPhase.FULL_DUMP, null, 1), db("b", JobPhase.FULL_DUMP, null, 1)),
                unit("b", 1, "t", 10, State.QUEUED, 1));
        Decision d = report(job, failed("a", 1, "slot invalidated"));
        assertEquals(JobStatus.of(JobState.FAILED, JobPhase.FULL_DUMP), d.job().status);
        assertEquals(List.of(), d.effects(Effect.Copy.class), "b was stopped: it waits for the new snapshot of a restart");
        assertNull(d.job().database("b").orElseThrow().snapshotName);
    }

    @Test
    void aStartPreparesEveryDatabaseOfTheSourceInANewRun() {
        JobSnapshot job = job(JobStatus.of(JobState.NOT_STARTED, null), 0);
        Decision d = decide(job, new Input.Act(JobAction.START, "c", "me", false, null, List.of("b", "a"), NOW));
        assertEquals(1, d.job().runEpoch);
        assertEquals(List.of("a", "b"), d.effects(Effect.DatabaseTask.class).stream().map(Effect.DatabaseTask::database).toList());
        assertThrows(CommandRejected.class,
                () -> decide(job, new Input.Act(JobAction.START, "c", "me", false, null, List.of(), NOW)), "no database to migrate");
    }

    @Test
    void aDeleteOfAPromotedJobKeepsTheDestination() {
        JobSnapshot job = job(JobStatus.of(JobState.COMPLETED, null), 1, db("a", JobPhase.CDC, WorkerSignal.PROMOTED, 1));
        Decision d = decide(job, new Input.Act(JobAction.DELETE, "c", "me", true, null, List.of(), NOW));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.CLEANUP, "a", false, null, 1)), d.effects(Effect.DatabaseTask.class));
        assertTrue(d.effects(Effect.Event.class).get(0).message().endsWith("destination databases kept: the job was promoted"));
    }

    @Test
    void aDatabaseAddedInCdcIsDumpedAfterTheDocumentListsItAndOneRemovedIsCleanedUp() {
        JobSnapshot job = job(FOLLOWING, 1, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 1), db("b", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        Decision d = decide(job, new Input.Edit(new JobPatch(null, List.of("a", "c"), null), "c", List.of("a", "b", "c"), NOW));
        assertEquals(List.of(DUMPING), moves(d));
        List<Effect> order = d.effects().stream().filter(e -> !(e instanceof Effect.Event)).toList();
        assertEquals(List.of(new Effect.CdcCleared("b"), new Effect.DatabaseTask(DumpTask.Kind.CLEANUP, "b", false, null, 1),
                new Effect.PublishDocument(), new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "c", null, 2, 1),
                new Effect.PublishDocument()), order);
        assertEquals(List.of("a", "c"), d.job().databases.stream().map(db -> db.name).toList());
        assertEquals(List.of("a", "c"), d.job().requestedDatabases);

        Decision cleaned = report(d.job(), signal("b", WorkerSignal.CLEANED_UP, 1));
        assertEquals("removed database cleaned up: slot and publication dropped on the source",
                cleaned.effects(Effect.Event.class).get(0).message());

        assertThrows(CommandRejected.class, () -> decide(job, new Input.Edit(new JobPatch(null, List.of("x"), null), "c",
                List.of("a", "b"), NOW)), "the source has no database x");
    }

    @Test
    void aStoppedJobEditedAddsItsDatabaseAtTheResumeAndCleansTheRemovedOneUpNow() {
        JobStatus stopped = JobStatus.of(JobState.STOPPED, JobPhase.CDC);
        JobSnapshot job = job(stopped, 1, db("a", JobPhase.CDC, WorkerSignal.STOPPED, 1), db("b", JobPhase.CDC, WorkerSignal.STOPPED, 1));
        Decision d = decide(job, new Input.Edit(new JobPatch(null, List.of("a", "c"), null), "c", List.of("a", "b", "c"), NOW));
        assertEquals(List.of(JobStatus.of(JobState.STOPPED, JobPhase.FULL_DUMP)), moves(d), "nothing to promote before c is dumped");
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.CLEANUP, "b", false, null, 1)), d.effects(Effect.DatabaseTask.class),
                "b is cleaned up now, c waits for the resume");
        assertTrue(d.effects().contains(new Effect.CdcCleared("b")));
        assertEquals(List.of("a", "c"), d.job().databases.stream().map(db -> db.name).toList());
        assertTrue(d.effects(Effect.Event.class).stream().anyMatch(e -> e.message().contains("added [c] (prepared when the job resumes")));

        Decision resume = decide(d.job(), new Input.Act(JobAction.RESUME, "c", "me", false, null, List.of(), NOW));
        assertEquals(List.of(JobStatus.of(JobState.RESUMING, JobPhase.FULL_DUMP)), moves(resume));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "c", true, 2, 1)),
                resume.effects(Effect.DatabaseTask.class));
        assertTrue(resume.effects(Effect.Cdc.class).contains(new Effect.Cdc("a", CdcControl.Desired.RUN, NOW, null)), "a streams again");

        Decision r = report(resume.job(), signal("a", WorkerSignal.RESUMED, 2));
        r = report(r.job(), dumpStarted("c", 2, "slot", "0/1", "snap-c", List.of(new CopyUnit(1, "public", "t", List.of("id"), null, 10, 1, 0))));
        assertEquals(List.of(DUMPING), moves(r));
    }

    @Test
    void aFailedJobInCdcKeepsItsPhaseWhenADatabaseIsAddedAndItsResumeDumpsIt() {
        JobStatus failed = JobStatus.of(JobState.FAILED, JobPhase.CDC);
        JobSnapshot job = job(failed, 1, db("a", JobPhase.CDC, WorkerSignal.FAILED, 1), db("b", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        Decision d = decide(job, new Input.Edit(new JobPatch(null, List.of("a", "b", "c"), null), "c", List.of("a", "b", "c"), NOW));
        assertEquals(List.of(), moves(d), "still resumable");
        assertEquals(List.of(), d.effects(Effect.DatabaseTask.class));
        Decision lag = report(d.job(), new WorkerEvent.StreamProgress(header("b", 1), 0L, 0.0, 10L, null, null, null));
        assertEquals(failed, lag.job().status, "c, waiting for the resume, does not move the phase");

        Decision resume = decide(lag.job(), new Input.Act(JobAction.RESUME, "c", "me", false, null, List.of(), NOW));
        assertEquals(List.of(JobStatus.of(JobState.RESUMING, JobPhase.FULL_DUMP)), moves(resume));
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "c", true, 2, 1)),
                resume.effects(Effect.DatabaseTask.class));
    }

    @Test
    void aJobSwitchesBetweenAListAndAllDatabasesBothWays() {
        JobSnapshot job = job(FOLLOWING, 1, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        job.requestedDatabases = List.of("a");
        Decision all = decide(job, new Input.Edit(new JobPatch(null, List.of(), null), "c", List.of("a", "b"), NOW));
        assertEquals(List.of(), all.job().requestedDatabases, "all databases from now on");
        assertEquals(List.of("a", "b"), all.job().databases.stream().map(db -> db.name).toList());
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.PREPARE_DATABASE, "b", null, 2, 1)),
                all.effects(Effect.DatabaseTask.class));

        Decision list = decide(all.job(), new Input.Edit(new JobPatch(null, List.of("b"), null), "c", List.of("a", "b"), NOW));
        assertEquals(List.of("b"), list.job().requestedDatabases);
        assertEquals(List.of("b"), list.job().databases.stream().map(db -> db.name).toList());
        assertEquals(List.of(new Effect.DatabaseTask(DumpTask.Kind.CLEANUP, "a", false, null, 1)), list.effects(Effect.DatabaseTask.class));

        Decision same = decide(all.job(), new Input.Edit(new JobPatch(null, List.of("a", "b"), null), "c", List.of("a", "b"), NOW));
        assertEquals("changed [databases]", same.effects(Effect.Event.class).get(0).message(), "the same databases, now as a list");
        assertEquals(List.of(), same.effects(Effect.DatabaseTask.class));

        assertThrows(CommandRejected.class, () -> decide(job, new Input.Edit(new JobPatch(null, List.of(), null), "c", null, NOW)),
                "all databases needs the source's list");
    }

    @Test
    void anEditOfTheRolesSettingIsPublishedAndTheDefaultIsNoChange() {
        JobSnapshot job = job(FOLLOWING, 1, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        Decision same = decide(job, new Input.Edit(new JobPatch(null, null, null, RoleHandling.CREATE_MISSING), "c", null, NOW));
        assertEquals(List.of(), same.effects(), "absent means CREATE_MISSING");

        Decision d = decide(job, new Input.Edit(new JobPatch(null, null, null, RoleHandling.SKIP), "c", null, NOW));
        assertEquals(RoleHandling.SKIP, d.job().roles);
        assertEquals(List.of(new Effect.PublishDocument()), d.effects(Effect.PublishDocument.class));
        assertEquals("changed [roles]", d.effects(Effect.Event.class).get(0).message());
        assertEquals(RoleHandling.SKIP, d.job().copy().roles, "a copy keeps it");
    }

    @Test
    void cdcParallelismChangesBeforeTheStartOnly() {
        JobSnapshot notStarted = job(JobStatus.of(JobState.NOT_STARTED, null), 0);
        Decision d = decide(notStarted, new Input.Edit(new JobPatch(null, null, null, null, null, 4), "c", null, NOW));
        assertEquals(4, d.job().cdcParallelism);
        assertEquals(4, d.job().copy().cdcParallelism, "a copy keeps it");
        assertEquals("changed [cdcParallelism]", d.effects(Effect.Event.class).get(0).message());

        JobSnapshot running = job(FOLLOWING, 1, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        CommandRejected refused = assertThrows(CommandRejected.class,
                () -> decide(running, new Input.Edit(new JobPatch(null, null, null, null, null, 2), "c", null, NOW)));
        assertTrue(refused.getMessage().contains("only before it starts"), refused.getMessage());
        assertEquals(List.of(), decide(running, new Input.Edit(new JobPatch(null, null, null, null, null, 1), "c", null, NOW)).effects(),
                "the value it has is no change");
    }

    @Test
    void removingTheDatabaseTheJobWaitedForMovesIt() {
        JobSnapshot job = job(DUMPING, 1, db("a", JobPhase.CDC, WorkerSignal.DUMP_COMPLETED, 1), db("slow", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1));
        Decision d = decide(job, new Input.Edit(new JobPatch(null, List.of("a"), null), "c", null, NOW));
        assertEquals(List.of(FOLLOWING), moves(d));
    }

    @Test
    void aPromotePastItsDeadlineAndGraceFailsTheDatabasesStillDraining() {
        JobSnapshot job = job(FOLLOWING, 1, db("a", JobPhase.CDC, WorkerSignal.RESUMED, 1), db("b", JobPhase.CDC, WorkerSignal.RESUMED, 1));
        Decision promote = decide(job, new Input.Act(JobAction.PROMOTE, "c", "me", false, null, List.of(), NOW));
        assertEquals(NOW.plusSeconds(300), promote.job().promoteDeadline);
        assertEquals(new Effect.Cdc("a", CdcControl.Desired.DRAIN, NOW, NOW.plusSeconds(300)), promote.effects(Effect.Cdc.class).get(0));
        Decision promoted = report(promote.job(), signal("a", WorkerSignal.PROMOTED, 1));

        assertFalse(decide(promoted.job(), new Input.PromoteTick(NOW.plusSeconds(314))).changed(), "within the grace");
        Decision late = decide(promoted.job(), new Input.PromoteTick(NOW.plusSeconds(316)));
        assertEquals(List.of(JobStatus.of(JobState.FAILED, JobPhase.PROMOTE_IN_PROGRESS)), moves(late));
        assertTrue(late.job().errorMessage.startsWith("database b: promote failed: no cdc-worker finished the drain within 300 s"));
        assertEquals(WorkerSignal.PROMOTED, late.job().database("a").orElseThrow().lastSignal, "a finished its drain");
        assertEquals(List.of(new Effect.Cdc("a", CdcControl.Desired.STOP, NOW.plusSeconds(316), null),
                new Effect.Cdc("b", CdcControl.Desired.STOP, NOW.plusSeconds(316), null)), late.effects(Effect.Cdc.class),
                "a promote is one cutover: every drain stops");
    }

    @Test
    void aProfileEditRestartsTheRunningStreamsOnly() {
        JobSnapshot job = job(DUMPING, 1, db("a", JobPhase.CDC, WorkerSignal.DUMP_COMPLETED, 1), db("b", JobPhase.FULL_DUMP, null, 1));
        assertEquals(List.of(new Effect.Cdc("a", CdcControl.Desired.RUN, NOW, null)),
                decide(job, new Input.ProfilesChanged(NOW)).effects());
        job.status = JobStatus.of(JobState.STOPPED, JobPhase.CDC);
        assertFalse(decide(job, new Input.ProfilesChanged(NOW)).changed());
    }

    @Test
    void decideNeverChangesTheSnapshotItIsGiven() {
        JobSnapshot job = withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)),
                unit("a", 1, "t", 10, State.QUEUED, 1));
        decide(job, new Input.Act(JobAction.STOP, "c", "me", false, null, List.of(), NOW));
        decide(job, new Input.RetriesDue(NOW));
        assertEquals(DUMPING, job.status);
        assertEquals(State.QUEUED, job.units.get(0).state);
    }

    private static UnitSnapshot unitOf(Decision d, Effect.Copy copy) {
        return d.job().units.stream().filter(u -> u.unitJson.equals(copy.unitJson())).findFirst().orElseThrow();
    }
}
