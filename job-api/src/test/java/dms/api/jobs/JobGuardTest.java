package dms.api.jobs;

import static org.junit.jupiter.api.Assertions.*;

import dms.api.problems.Problem;
import dms.api.problems.ProblemException;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class JobGuardTest {

    static MigrationJob job(String id, JobState state, JobPhase phase) {
        return new MigrationJob(id, null, state, phase, "src", "dst", List.of(), null, List.of(), null, null,
                1, 1, Instant.EPOCH, Instant.EPOCH, null, null);
    }

    private static Function<String, Optional<MigrationJob>> lookup(MigrationJob... jobs) {
        return id -> List.of(jobs).stream().filter(j -> j.id().equals(id)).findFirst();
    }

    private static Problem refused(Runnable call) {
        return assertThrows(ProblemException.class, call::run).problem();
    }

    @Test
    void jobsSharingAStatusThatAllowsTheActionPass() {
        var find = lookup(job("a", JobState.RUNNING, JobPhase.CDC), job("b", JobState.RUNNING, JobPhase.CDC));
        assertEquals(JobStatus.of(JobState.RUNNING, JobPhase.CDC), JobGuard.requireBatch(List.of("a", "b"), find, JobAction.STOP));
    }

    @Test
    void missingJobsAreNamedIn404() {
        var find = lookup(job("a", JobState.RUNNING, JobPhase.CDC));
        Problem p = refused(() -> JobGuard.requireBatch(List.of("a", "x", "y"), find, JobAction.STOP));
        assertEquals(404, p.getStatus());
        assertEquals(List.of("x", "y"), p.getExtensions().get("missingJobIds"));
    }

    @Test
    void aDifferentStatusIs409NamingTheJobsThatDifferAndEveryStatus() {
        var find = lookup(job("a", JobState.RUNNING, JobPhase.CDC), job("b", JobState.RUNNING, JobPhase.FULL_DUMP),
                job("c", JobState.RUNNING, JobPhase.CDC), job("d", JobState.STOPPED, JobPhase.CDC));
        Problem p = refused(() -> JobGuard.requireBatch(List.of("a", "b", "c", "d"), find, JobAction.STOP));
        assertEquals(409, p.getStatus());
        assertEquals(List.of("b", "d"), p.getExtensions().get("differingJobIds"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> statuses = (Map<String, Map<String, Object>>) p.getExtensions().get("jobStatuses");
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(statuses.keySet()));
        assertEquals(JobPhase.FULL_DUMP, statuses.get("b").get("phase"));
        assertTrue(p.getDetail().contains("a is RUNNING/CDC"), p.getDetail());
    }

    @Test
    void aSharedStatusThatForbidsTheActionIs409WithTheAllowedActions() {
        var find = lookup(job("a", JobState.NOT_STARTED, null), job("b", JobState.NOT_STARTED, null));
        Problem p = refused(() -> JobGuard.requireBatch(List.of("a", "b"), find, JobAction.PROMOTE));
        assertEquals(409, p.getStatus());
        assertEquals(JobState.NOT_STARTED, p.getExtensions().get("state"));
        assertTrue(p.getExtensions().containsKey("phase"));
        assertNull(p.getExtensions().get("phase"));
        assertEquals(List.of(JobAction.EDIT, JobAction.VERIFY, JobAction.START, JobAction.DELETE), p.getExtensions().get("allowedActions"));
    }

    @Test
    void oneJobActionFollowsTheStateMachine() {
        JobGuard.requireAllowed(job("a", JobState.STOPPED, JobPhase.CDC), JobAction.PROMOTE);
        Problem p = refused(() -> JobGuard.requireAllowed(job("a", JobState.STOPPED, JobPhase.FULL_DUMP), JobAction.PROMOTE));
        assertEquals(409, p.getStatus());
        assertEquals(JobState.STOPPED, p.getExtensions().get("state"));
        assertEquals(JobPhase.FULL_DUMP, p.getExtensions().get("phase"));
        assertEquals(List.of(JobAction.EDIT, JobAction.RESUME, JobAction.RESTART, JobAction.DELETE), p.getExtensions().get("allowedActions"));
    }
}
