package dms.api.projection;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.JobEvent;
import dms.common.messages.JobSummary;
import dms.common.messages.MigrationJob;
import dms.common.messages.Operation;
import dms.common.statemachine.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProjectionRouterTest {

    private final Topics topics = new Topics("dms.");
    private final JobView jobs = new JobView();
    private final OperationView operations = new OperationView();
    private final EventView events = new EventView();
    private final ProfileView profiles = new ProfileView();
    private final ProjectionRouter router = new ProjectionRouter(topics, jobs, operations, events, profiles);

    static MigrationJob job(String id, JobState state, long version) {
        return new MigrationJob(id, "name v" + version, state, null, "src", "dst", List.of(), null, List.of(), null, null,
                0, version, Instant.EPOCH, Instant.EPOCH, null, null);
    }

    private void jobState(MigrationJob job) throws JsonProcessingException {
        router.apply(topics.jobState(), job.id(), Json.write(job));
    }

    @Test
    void theNewestVersionWinsWhateverTheOrder() throws Exception {
        jobState(job("j", JobState.NOT_STARTED, 2));
        jobState(job("j", JobState.DRAFT, 1));
        assertEquals(2, jobs.find("j").orElseThrow().version());
        jobState(job("j", JobState.STARTING, 3));
        assertEquals(JobState.STARTING, jobs.find("j").orElseThrow().state());
    }

    @Test
    void anOperationResponseGivesReadYourWritesWhenNewer() throws Exception {
        jobState(job("j", JobState.NOT_STARTED, 2));
        CompletableFuture<Operation> verdict = operations.whenDone("operations/c1");
        Operation op = new Operation("operations/c1", true, null, Json.tree(job("j", JobState.STARTING, 3)), null);
        router.apply(topics.operations(), op.name(), Json.write(op));
        assertTrue(verdict.isDone());
        assertEquals(JobState.STARTING, jobs.find("j").orElseThrow().state());
        // An older document from job-state, read later, does not undo it.
        jobState(job("j", JobState.NOT_STARTED, 2));
        assertEquals(3, jobs.find("j").orElseThrow().version());
    }

    @Test
    void aBatchResponseOfWholeDocumentsFeedsEveryJob() throws Exception {
        // As Operations written before batches named their jobs carry them.
        var response = Json.tree(Map.of("migrationJobs", List.of(job("a", JobState.STOPPING, 5), job("b", JobState.STOPPING, 7))));
        router.apply(topics.operations(), "operations/c2", Json.write(new Operation("operations/c2", true, null, response, null)));
        assertEquals(JobState.STOPPING, jobs.find("a").orElseThrow().state());
        assertEquals(7, jobs.find("b").orElseThrow().version());
    }

    @Test
    void aBatchResponseNamingItsJobsLeavesTheirDocumentsAndSaysWhichVersionsToWaitFor() throws Exception {
        jobState(job("a", JobState.RUNNING, 4));
        var response = Json.tree(JobSummary.batchResponse(List.of(job("a", JobState.STOPPING, 5), job("b", JobState.STOPPING, 7))));
        router.apply(topics.operations(), "operations/c5", Json.write(new Operation("operations/c5", true, null, response, null)));
        assertEquals(4, jobs.find("a").orElseThrow().version(), "a summary is not a document");
        assertEquals("name v4", jobs.find("a").orElseThrow().displayName());
        assertTrue(jobs.find("b").isEmpty());
        assertEquals(Map.of("a", 5L, "b", 7L), ProjectionRouter.versionsNamedIn(response));
        assertEquals(Map.of(), ProjectionRouter.versionsNamedIn(Json.tree(job("a", JobState.STOPPING, 5))));

        long soon = System.nanoTime() + 50_000_000L;
        assertFalse(jobs.awaitVersions(Map.of("a", 5L, "b", 7L), soon), "the documents did not come");
        jobState(job("a", JobState.STOPPING, 5));
        jobState(job("b", JobState.STOPPING, 8));
        assertTrue(jobs.awaitVersions(Map.of("a", 5L, "b", 7L), System.nanoTime()));
    }

    @Test
    void tombstonesRemoveAndALateOlderResponseDoesNotResurrect() throws Exception {
        jobState(job("j", JobState.DELETED, 4));
        router.apply(topics.jobState(), "j", null);
        assertTrue(jobs.find("j").isEmpty());
        Operation late = new Operation("operations/c3", true, null, Json.tree(job("j", JobState.DELETING, 3)), null);
        router.apply(topics.operations(), late.name(), Json.write(late));
        assertTrue(jobs.find("j").isEmpty());
        router.apply(topics.operations(), late.name(), null);
        assertTrue(operations.find(late.name()).isEmpty());
    }

    @Test
    void deletedJobsAreNotLive() throws Exception {
        jobState(job("j", JobState.DELETED, 4));
        assertTrue(jobs.find("j").isPresent());
        assertTrue(jobs.findLive("j").isEmpty());
    }

    @Test
    void aRecordThatDoesNotParseThrowsAndChangesNothing() {
        assertThrows(JsonProcessingException.class, () -> router.apply(topics.jobState(), "j", "{not json"));
        assertThrows(JsonProcessingException.class, () -> router.apply(topics.jobState(), "j", "{\"state\":\"NOPE\"}"));
        assertTrue(jobs.find("j").isEmpty());
    }

    @Test
    void eventsAreOrderedBySequenceDedupedAndBounded() throws Exception {
        for (long seq : new long[] {3, 1, 2, 2}) {
            JobEvent e = new JobEvent(seq, "j", Instant.EPOCH, JobEvent.Type.UPDATED, null, null, null, null, null, null, "m" + seq);
            router.apply(topics.jobEvents(), "j", Json.write(e));
        }
        assertEquals(List.of(1L, 2L, 3L), events.of("j").stream().map(JobEvent::sequence).toList());
        for (long seq = 4; seq <= EventView.MAX_PER_JOB + 10; seq++) {
            events.add("j", new JobEvent(seq, "j", Instant.EPOCH, JobEvent.Type.UPDATED, null, null, null, null, null, null, null));
        }
        List<JobEvent> kept = events.of("j");
        assertEquals(EventView.MAX_PER_JOB, kept.size());
        assertEquals(EventView.MAX_PER_JOB + 10, kept.get(kept.size() - 1).sequence());
        router.apply(topics.jobEvents(), "j", null);
        assertTrue(events.of("j").isEmpty());
    }

    @Test
    void secretsNeverReachTheViews() throws Exception {
        ConnectionProfile p = new ConnectionProfile("p", null, "h", 5432, "u", "clear", "v1:sealed", "prefer", null);
        router.apply(topics.profiles(), "p", Json.write(p));
        ConnectionProfile held = profiles.find("p").orElseThrow();
        assertNull(held.password());
        assertNull(held.encryptedPassword());
        router.apply(topics.operations(), "operations/c4", Json.write(new Operation("operations/c4", true, null, Json.tree(p), null)));
        String served = Json.write(operations.find("operations/c4").orElseThrow());
        assertFalse(served.contains("clear") || served.contains("sealed"), served);
        router.apply(topics.profiles(), "p", null);
        assertTrue(profiles.find("p").isEmpty());
    }

    @Test
    void aFinishedOperationIsNotReplacedByAnUnfinishedOne() throws Exception {
        router.apply(topics.operations(), "operations/c5", Json.write(new Operation("operations/c5", true, null, null, null)));
        router.apply(topics.operations(), "operations/c5", Json.write(new Operation("operations/c5", false, null, null, null)));
        assertTrue(operations.find("operations/c5").orElseThrow().done());
        assertTrue(operations.whenDone("operations/c5").isDone(), "a waiter registered after the verdict sees it at once");
    }

    @Test
    void aPublishedCommandShowsAsPendingUntilItsVerdict() throws Exception {
        operations.accepted("operations/c6");
        assertFalse(operations.find("operations/c6").orElseThrow().done());
        router.apply(topics.operations(), "operations/c6", Json.write(new Operation("operations/c6", true, null, null, null)));
        operations.accepted("operations/c6");
        assertTrue(operations.find("operations/c6").orElseThrow().done());
    }
}
