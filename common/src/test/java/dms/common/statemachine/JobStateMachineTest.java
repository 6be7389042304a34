package dms.common.statemachine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobStateMachineTest {

    /**
     * The statuses and allowed actions of the Google Cloud DMS model, written out by hand, independently
     * of the code under test (docs/state-machine.md is generated from that code); plus verify (a data
     * check, no status change) in RUNNING/CDC, STOPPED/CDC and COMPLETED (docs/verify.md); edit of the
     * databases in STOPPED and FAILED too (as DMS allows: docs/state-machine.md, Editing the databases).
     */
    private static final String MODEL_TABLE = """
            DRAFT               | -                   | edit, verify, start, delete
            NOT_STARTED         | -                   | edit, verify, start, delete
            STARTING            | -                   | delete
            RUNNING             | FULL_DUMP           | edit, stop, delete
            RUNNING             | CDC                 | edit, verify, stop, promote, delete
            RUNNING             | PROMOTE_IN_PROGRESS | delete
            STOPPING            | FULL_DUMP           | delete
            STOPPING            | CDC                 | delete
            STOPPED             | FULL_DUMP           | edit, restart, resume, delete
            STOPPED             | CDC                 | edit, verify, resume, restart, promote, delete
            RESUMING            | FULL_DUMP           | delete
            RESUMING            | CDC                 | delete
            RESTARTING          | -                   | delete
            FAILED              | -                   | edit, restart, delete
            FAILED              | FULL_DUMP           | edit, restart, stop, delete
            FAILED              | CDC                 | edit, restart, stop, delete, resume
            FAILED              | PROMOTE_IN_PROGRESS | edit, restart, delete, resume
            COMPLETED           | -                   | verify, delete
            DELETING            | -                   | -
            DELETING            | FULL_DUMP           | -
            DELETING            | CDC                 | -
            DELETING            | PROMOTE_IN_PROGRESS | -
            DELETED             | -                   | -
            """;

    private static Map<JobStatus, Set<JobAction>> modelTable() {
        Map<JobStatus, Set<JobAction>> table = new LinkedHashMap<>();
        for (String line : MODEL_TABLE.strip().split("\n")) {
            String[] cols = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
            JobPhase phase = cols[1].equals("-") ? null : JobPhase.valueOf(cols[1]);
            Set<JobAction> actions = EnumSet.noneOf(JobAction.class);
            if (!cols[2].equals("-")) {
                Arrays.stream(cols[2].split(",")).map(s -> JobAction.valueOf(s.strip().toUpperCase())).forEach(actions::add);
            }
            table.put(JobStatus.of(JobState.valueOf(cols[0]), phase), actions);
        }
        return table;
    }

    @Test
    void everyStatePhaseAndActionMatchesTheModelTable() {
        Map<JobStatus, Set<JobAction>> expected = modelTable();
        for (JobState state : JobState.values()) {
            for (JobPhase phase : new JobPhase[] {null, JobPhase.FULL_DUMP, JobPhase.CDC, JobPhase.PROMOTE_IN_PROGRESS}) {
                JobStatus status = JobStatus.of(state, phase);
                Set<JobAction> allowed = expected.getOrDefault(status, Set.of());
                assertEquals(allowed, JobStateMachine.allowedActions(status), "allowed actions in " + status);
                for (JobAction action : JobAction.values()) {
                    Optional<JobStatus> next = JobStateMachine.apply(status, action);
                    assertEquals(allowed.contains(action), next.isPresent(), action + " in " + status);
                }
            }
        }
    }

    @Test
    void everyStatusTheMachineCanReachIsInTheModelTable() {
        Set<JobStatus> known = modelTable().keySet();
        for (JobStatus s : JobStateMachine.statuses()) {
            assertTrue(known.contains(s), s + " is not a status of the model table");
        }
    }

    @Test
    void keyTransitions() {
        assertEquals(JobStatus.of(JobState.STARTING), JobStateMachine.apply(JobStatus.of(JobState.NOT_STARTED), JobAction.START).orElseThrow());
        assertEquals(JobStatus.of(JobState.STOPPING, JobPhase.FULL_DUMP),
                JobStateMachine.apply(JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP), JobAction.STOP).orElseThrow());
        assertEquals(JobStatus.of(JobState.RESUMING, JobPhase.CDC),
                JobStateMachine.apply(JobStatus.of(JobState.STOPPED, JobPhase.CDC), JobAction.RESUME).orElseThrow());
        assertEquals(JobStatus.of(JobState.RESTARTING),
                JobStateMachine.apply(JobStatus.of(JobState.STOPPED, JobPhase.CDC), JobAction.RESTART).orElseThrow());
        assertEquals(JobStatus.of(JobState.RUNNING, JobPhase.PROMOTE_IN_PROGRESS),
                JobStateMachine.apply(JobStatus.of(JobState.RUNNING, JobPhase.CDC), JobAction.PROMOTE).orElseThrow());
        assertEquals(JobStatus.of(JobState.DELETED), JobStateMachine.apply(JobStatus.of(JobState.DRAFT), JobAction.DELETE).orElseThrow());
        assertEquals(JobStatus.of(JobState.DELETING, JobPhase.CDC),
                JobStateMachine.apply(JobStatus.of(JobState.RUNNING, JobPhase.CDC), JobAction.DELETE).orElseThrow());
    }

    @Test
    void workerSignalsDriveTheLifecycle() {
        JobStatus s = JobStatus.of(JobState.STARTING);
        s = JobStateMachine.onSignal(s, WorkerSignal.DUMP_STARTED).orElseThrow();
        assertEquals(JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP), s);
        s = JobStateMachine.onSignal(s, WorkerSignal.DUMP_COMPLETED).orElseThrow();
        assertEquals(JobStatus.of(JobState.RUNNING, JobPhase.CDC), s);
        s = JobStateMachine.apply(s, JobAction.STOP).orElseThrow();
        s = JobStateMachine.onSignal(s, WorkerSignal.STOPPED).orElseThrow();
        assertEquals(JobStatus.of(JobState.STOPPED, JobPhase.CDC), s);
        s = JobStateMachine.apply(s, JobAction.RESUME).orElseThrow();
        s = JobStateMachine.onSignal(s, WorkerSignal.RESUMED).orElseThrow();
        assertEquals(JobStatus.of(JobState.RUNNING, JobPhase.CDC), s);
        s = JobStateMachine.apply(s, JobAction.PROMOTE).orElseThrow();
        s = JobStateMachine.onSignal(s, WorkerSignal.PROMOTED).orElseThrow();
        assertEquals(JobStatus.of(JobState.COMPLETED), s);
        s = JobStateMachine.apply(s, JobAction.DELETE).orElseThrow();
        s = JobStateMachine.onSignal(s, WorkerSignal.CLEANED_UP).orElseThrow();
        assertEquals(JobStatus.of(JobState.DELETED), s);
    }

    @Test
    void signalsThatDoNotFitTheStatusAreIgnored() {
        assertTrue(JobStateMachine.onSignal(JobStatus.of(JobState.STOPPED, JobPhase.CDC), WorkerSignal.DUMP_COMPLETED).isEmpty());
        assertTrue(JobStateMachine.onSignal(JobStatus.of(JobState.COMPLETED), WorkerSignal.FAILED).isEmpty());
        assertTrue(JobStateMachine.onSignal(JobStatus.of(JobState.DELETED), WorkerSignal.CLEANED_UP).isEmpty());
    }

    @Test
    void failureKeepsThePhaseAndAnyDatabaseSuffices() {
        assertEquals(JobStatus.of(JobState.FAILED, JobPhase.CDC),
                JobStateMachine.onSignal(JobStatus.of(JobState.RUNNING, JobPhase.CDC), WorkerSignal.FAILED).orElseThrow());
        assertFalse(JobStateMachine.needsAllDatabases(WorkerSignal.FAILED));
        assertTrue(JobStateMachine.needsAllDatabases(WorkerSignal.DUMP_COMPLETED));
    }

    @Test
    void deleteIsReachableFromEveryStatusAndDeletedIsFinal() {
        for (JobStatus start : JobStateMachine.statuses()) {
            if (start.state() == JobState.DELETED) {
                assertTrue(JobStateMachine.allowedActions(start).isEmpty());
                continue;
            }
            assertTrue(reachable(start).contains(JobStatus.of(JobState.DELETED)), "DELETED unreachable from " + start);
        }
    }

    @Test
    void noTransitionLeadsBackToANeverStartedStatus() {
        for (var rule : JobStateMachine.actionRules()) {
            if (rule.from().state() != rule.to().state()) {
                assertFalse(rule.to().state() == JobState.DRAFT || rule.to().state() == JobState.NOT_STARTED, rule.toString());
            }
        }
    }

    @Test
    void tablesHaveNoDuplicateKeys() {
        Set<String> keys = new HashSet<>();
        JobStateMachine.actionRules().forEach(r -> assertTrue(keys.add(r.from() + "|" + r.action()), "duplicate " + r));
        JobStateMachine.signalRules().forEach(r -> assertTrue(keys.add(r.from() + "|" + r.signal()), "duplicate " + r));
    }

    private static Set<JobStatus> reachable(JobStatus from) {
        Set<JobStatus> seen = new HashSet<>(Set.of(from));
        ArrayDeque<JobStatus> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            JobStatus s = todo.pop();
            var next = JobStateMachine.actionRules().stream().filter(r -> r.from().equals(s)).map(r -> r.to()).collect(Collectors.toSet());
            JobStateMachine.signalRules().stream().filter(r -> r.from().equals(s)).forEach(r -> next.add(r.to()));
            next.stream().filter(seen::add).forEach(todo::push);
        }
        return seen;
    }
}
