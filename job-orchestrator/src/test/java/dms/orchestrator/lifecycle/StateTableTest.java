package dms.orchestrator.lifecycle;

import static dms.orchestrator.lifecycle.Jobs.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.JobPatch;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.commands.CommandRejected;
import dms.orchestrator.dump.CopyUnitEntity;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * decide() follows every row of the state table (docs/state-machine.md, from {@link JobStateMachine}):
 * each action in each status, allowed or refused, and each worker signal in each status.
 */
class StateTableTest {

    private static final DatabaseSnapshot[] NONE = {};

    @Test
    void everyAllowedActionMovesTheJobWhereTheTableSays() {
        for (JobStateMachine.ActionRule rule : JobStateMachine.actionRules()) {
            if (rule.action() == JobAction.VERIFY) {
                continue; // a data check (verify.DataChecks): the status stays, the lifecycle has no part in it
            }
            // A copy in flight, so that a stop in the dump waits for it (the table's STOPPING).
            JobSnapshot job = withUnits(job(rule.from(), 3, db("a", phaseOf(rule.from()), null, 3)),
                    unit("a", 1, "t", 10, CopyUnitEntity.State.COPYING, 3));
            Decision d = decide(job, input(rule.action()));
            assertEquals(rule.to(), d.job().status, rule.toString());
            if (rule.action() == JobAction.EDIT) {
                assertEquals(List.of(), moves(d), "an edit is no move: " + rule);
            } else {
                assertEquals(rule.to(), moves(d).get(0), rule.toString());
            }
        }
    }

    @Test
    void everyActionNotInTheTableIsRefusedWithTheStatusAndWhatItAllows() {
        for (JobStatus status : JobStateMachine.statuses()) {
            for (JobAction action : JobAction.values()) {
                if (action == JobAction.VERIFY || JobStateMachine.apply(status, action).isPresent()) {
                    continue;
                }
                JobSnapshot job = job(status, 3, db("a", phaseOf(status), null, 3));
                CommandRejected refused = assertThrows(CommandRejected.class, () -> decide(job, input(action)), status + " " + action);
                assertTrue(refused.error().message().contains("is not allowed for job j in status " + status), refused.error().message());
                assertEquals(status.state().name(), refused.error().details().get("state"));
            }
        }
    }

    @Test
    void everySignalInTheTableMovesTheJobOnceEveryDatabaseSentItOrAtOnceForFailed() {
        for (JobStateMachine.SignalRule rule : JobStateMachine.signalRules()) {
            JobSnapshot job = job(rule.from(), 3, db("a", phaseOf(rule.from()), null, 3), db("b", phaseOf(rule.from()), null, 3));
            Decision first = report(job, signal("a", rule.signal(), 3));
            if (rule.signal() == WorkerSignal.FAILED) {
                // Then a FAILED job's phase follows its databases' (LifecycleTest): here both stream, so FAILED/CDC.
                assertEquals(rule.to(), moves(first).get(0), rule.toString());
                assertEquals(JobState.FAILED, first.job().status.state(), rule.toString());
                assertEquals("database a: failed", first.job().errorMessage);
                continue;
            }
            assertEquals(List.of(), moves(first), "one database of two: " + rule);
            Decision second = report(first.job(), signal("b", rule.signal(), 3));
            assertEquals(rule.to(), moves(second).get(0), rule.toString());
        }
    }

    @Test
    void everySignalNotInTheTableLeavesTheStatus() {
        for (JobStatus status : JobStateMachine.statuses()) {
            for (WorkerSignal signal : WorkerSignal.values()) {
                if (JobStateMachine.onSignal(status, signal).isPresent() || dumpedBeforePrepared(status, signal)
                        || status.state() == JobState.FAILED) {
                    // A FAILED job's phase follows its databases', and a database failing in it is listed (LifecycleTest).
                    continue;
                }
                // A copy of another database in flight: a stop in the dump does not settle on this report.
                JobSnapshot job = withUnits(job(status, 3, db("a", JobPhase.FULL_DUMP, null, 3), db("b", JobPhase.FULL_DUMP, null, 3)),
                        unit("gone", 1, "t", 10, CopyUnitEntity.State.COPYING, 3));
                Decision d = report(report(job, signal("a", signal, 3)).job(), signal("b", signal, 3));
                assertEquals(status, d.job().status, status + " " + signal);
            }
        }
    }

    /** The one signal beyond the table: a database dumped whole while the job starts counts as started (LifecycleTest). */
    private static boolean dumpedBeforePrepared(JobStatus status, WorkerSignal signal) {
        return signal == WorkerSignal.DUMP_COMPLETED
                && JobStateMachine.onSignal(status, WorkerSignal.DUMP_STARTED).equals(java.util.Optional.of(DatabaseAgreement.DUMPING));
    }

    /** A database's phase in a job of this status: streaming from CDC on, and in a stop (so the stop waits for its stream). */
    private static JobPhase phaseOf(JobStatus status) {
        if (status.phase() == null) {
            return null;
        }
        return status.phase() == JobPhase.FULL_DUMP && status.state() != JobState.STOPPING ? JobPhase.FULL_DUMP : JobPhase.CDC;
    }

    private static Input input(JobAction action) {
        if (action == JobAction.EDIT) {
            return new Input.Edit(new JobPatch("renamed", null, null), "c1", null, NOW);
        }
        return new Input.Act(action, "c1", "test", false, null, List.of("a"), NOW);
    }
}
