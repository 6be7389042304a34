package dms.api.console;

import static org.junit.jupiter.api.Assertions.*;

import dms.common.messages.DumpParallelism;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the console offers: buttons from the state machine, bulk actions for one status only, readable numbers. */
class ConsoleViewsTest {

    private static MigrationJob job(String id, JobState state, JobPhase phase) {
        List<JobAction> allowed = List.copyOf(JobStateMachine.allowedActions(JobStatus.of(state, phase)));
        return new MigrationJob(id, null, state, phase, "src", "dst", List.of(), DumpParallelism.OPTIMAL, List.of(),
                allowed, null, 1, 1, null, null, null, null);
    }

    @Test
    void theButtonsAreTheAllowedActionsAndTheIrreversibleOnesAskFirst() {
        List<ActionButton> cdc = ActionButton.of(job("orders", JobState.RUNNING, JobPhase.CDC));
        assertEquals(List.of("verify", "stop", "promote", "delete", "delete-purge"), cdc.stream().map(ActionButton::action).toList());
        assertNull(cdc.get(0).confirm());
        assertTrue(cdc.get(2).confirm().startsWith("Promote orders?"));
        assertTrue(cdc.get(4).confirm().contains("cannot be undone"));
        ActionButton restart = ActionButton.of(job("orders", JobState.FAILED, JobPhase.CDC)).stream()
                .filter(b -> b.action().equals("restart")).findFirst().orElseThrow();
        assertNotNull(restart.confirm());
        assertEquals(List.of(), ActionButton.of(job("gone", JobState.DELETING, null)));
    }

    @Test
    void aBulkActionTakesJobsOfOneStatus() {
        BulkSelection same = BulkSelection.of(List.of(job("a", JobState.RUNNING, JobPhase.CDC), job("b", JobState.RUNNING, JobPhase.CDC)));
        assertFalse(same.mixed());
        assertEquals("RUNNING/CDC", same.status());
        assertEquals(List.of("verify", "stop", "promote", "delete"), same.actions());

        BulkSelection mixed = BulkSelection.of(List.of(job("a", JobState.RUNNING, JobPhase.CDC),
                job("c", JobState.RUNNING, JobPhase.FULL_DUMP)));
        assertTrue(mixed.mixed());
        assertEquals(List.of("RUNNING/CDC", "RUNNING/FULL_DUMP"), mixed.statuses());
        assertEquals(List.of(), mixed.actions());
        assertTrue(BulkSelection.of(List.of()).empty());
    }

    @Test
    void numbersAreWrittenForPeople() {
        assertEquals("512 B", ConsoleFormat.bytes(512L));
        assertEquals("1.5 KiB", ConsoleFormat.bytes(1536L));
        assertEquals("3.0 GiB", ConsoleFormat.bytes(3L << 30));
        assertEquals("—", ConsoleFormat.bytes(null));
        assertEquals("26,000", ConsoleFormat.count(26_000L));
        assertEquals("1h 2m 5s", ConsoleFormat.duration(3725L));
        assertEquals("42s", ConsoleFormat.duration(42L));
        assertEquals("0.3 s", ConsoleFormat.seconds(0.25));
        assertEquals("2026-12-06 00:10:00 UTC", ConsoleFormat.time(java.time.Instant.parse("2026-12-06T00:10:00Z")));
    }

    @Test
    void aSearchLooksAtIdNameProfilesAndDatabases() {
        MigrationJob j = new MigrationJob("orders", "Orders EU", JobState.DRAFT, null, "prod-src", "alloydb", List.of("billing"),
                DumpParallelism.OPTIMAL, List.of(), List.of(), null, 0, 1, null, null, null, null);
        for (String needle : List.of("orders", "eu", "prod", "alloy", "bill")) {
            assertTrue(ConsoleJobs.matches(j, needle), needle);
        }
        assertFalse(ConsoleJobs.matches(j, "crm"));
    }
}
