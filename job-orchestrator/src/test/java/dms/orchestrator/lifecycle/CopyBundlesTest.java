package dms.orchestrator.lifecycle;

import static dms.orchestrator.lifecycle.Jobs.*;
import static org.junit.jupiter.api.Assertions.*;

import dms.common.json.Json;
import dms.common.messages.CopyUnit;
import dms.common.messages.DumpParallelism;
import dms.common.messages.DumpTask;
import dms.common.messages.WorkerEvent;
import dms.common.messages.WorkerEvent.UnitState;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.dump.CopyBundles;
import dms.orchestrator.dump.CopyUnitEntity.State;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Small tables go several in one copy task: how they are bundled, counted in flight, leased and reported. */
class CopyBundlesTest {

    private static final JobStatus DUMPING = JobStatus.of(JobState.RUNNING, JobPhase.FULL_DUMP);
    /** Units up to 100 bytes are small; at most 4 units and 250 bytes in a bundle. */
    private static final Settings BUNDLING = new Settings(SETTINGS.copiesInFlight(), SETTINGS.postDataJobs(), SETTINGS.retryPolicy(), SETTINGS.walWarning(),
            SETTINGS.promoteTimeout(), SETTINGS.taskLease(), new CopyBundles(100, 4, 250));

    @Test
    void bigUnitsGoAloneAndSmallOnesShareTheStreamsInBundles() {
        // Two streams: the big unit alone, then the 7 small ones split evenly (4 is the bound, 7 over 2 streams is 4).
        JobSnapshot job = dumping(unit("a", 1, "big", 10_000, State.QUEUED, 1), smalls(2, 8, 10));
        Decision d = Lifecycle.decide(job, new Input.RetriesDue(NOW), BUNDLING);
        List<Effect.Copy> copies = d.effects(Effect.Copy.class);
        assertEquals(2, copies.size(), "two tasks: the job's two streams");
        assertEquals(1, unitNo(copies.get(0).unitJson()));
        assertEquals(List.of(), copies.get(0).bundle());
        assertEquals(2, unitNo(copies.get(1).unitJson()));
        assertEquals(List.of(3, 4, 5), copies.get(1).bundle().stream().map(b -> unitNo(b.unitJson())).toList());
        assertEquals(List.of(1, 1, 1), copies.get(1).bundle().stream().map(Effect.Bundled::attempt).toList());
        assertEquals(2, d.job().inFlight(), "a bundle is one copy in flight");
        assertEquals(5, d.job().units.stream().filter(u -> u.state == State.COPYING).count());
        assertEquals(List.of(2, 2, 2), d.job().units.stream().filter(u -> u.bundleOf != null).map(u -> u.bundleOf).toList());

        // The bundle's one report: every unit copied; its stream takes the next small ones.
        Decision done = Lifecycle.decide(d.job(), new Input.Report(bundleReport(2, List.of(3, 4, 5)), NOW), BUNDLING);
        assertEquals(List.of(State.COPIED), done.job().units.stream().filter(u -> u.unitNo >= 2 && u.unitNo <= 5).map(u -> u.state)
                .distinct().toList());
        assertTrue(done.job().units.stream().noneMatch(u -> u.state != State.COPYING && u.bundleOf != null));
        List<Effect.Copy> next = done.effects(Effect.Copy.class);
        assertEquals(1, next.size(), "one stream is free");
        assertEquals(6, unitNo(next.get(0).unitJson()));
        assertEquals(List.of(7, 8), next.get(0).bundle().stream().map(b -> unitNo(b.unitJson())).toList(),
                "the other stream is busy (for minutes, maybe): the small units left all go on the free one");
    }

    @Test
    void aBundleHoldsNoMoreThanItsBytes() {
        JobSnapshot job = dumping(smalls(1, 6, 90));
        job.dumpParallelism = DumpParallelism.MIN; // one stream: everything would go in one task but for the bounds
        List<Effect.Copy> copies = Lifecycle.decide(job, new Input.RetriesDue(NOW), BUNDLING).effects(Effect.Copy.class);
        assertEquals(1, copies.size());
        assertEquals(1, copies.get(0).bundle().size(), "90 + 90 bytes fit in 250, a third would not");
    }

    @Test
    void theLeadersHeartbeatExtendsTheWholeBundleAndAnExpiredBundleGoesBackToTheQueue() {
        JobSnapshot job = dumping(smalls(1, 3, 10));
        job.dumpParallelism = DumpParallelism.MIN;
        Decision d = Lifecycle.decide(job, new Input.RetriesDue(NOW), BUNDLING);
        assertEquals(2, d.effects(Effect.Copy.class).get(0).bundle().size());
        WorkerEvent beat = WorkerEvent.heartbeat("j", 1, "a", "w", new WorkerEvent.TaskRef(DumpTask.Kind.COPY_TABLE, 1, 1), "snap-a");
        Decision extended = Lifecycle.decide(d.job(), new Input.Report(beat, NOW.plusSeconds(60)), BUNDLING);
        assertEquals(List.of(NOW.plusSeconds(60).plus(LEASE)), extended.job().units.stream().map(u -> u.leaseUntil).distinct().toList());

        Decision expired = Lifecycle.decide(extended.job(), new Input.LeasesExpired(NOW.plusSeconds(60).plus(LEASE)), BUNDLING);
        List<Effect.Copy> again = expired.effects(Effect.Copy.class);
        assertEquals(1, again.size(), "sent again as one bundle");
        assertEquals(List.of(2, 2), again.get(0).bundle().stream().map(Effect.Bundled::attempt).toList(), "each unit's next attempt");
    }

    @Test
    void unitsCancelledAfterAFailureInTheBundleGoBackToTheQueueAndTheFailureIsRetried() {
        JobSnapshot job = dumping(smalls(1, 3, 10));
        job.dumpParallelism = DumpParallelism.MIN;
        Decision d = Lifecycle.decide(job, new Input.RetriesDue(NOW), BUNDLING);
        WorkerEvent report = new WorkerEvent.UnitDone(header("a", 1), copied(1), List.of(
                new WorkerEvent.BundledUnitReport(new WorkerEvent.UnitReport(2, "public.t2", UnitState.FAILED, 0, 0, 0, "boom", true,
                        "snap-a"), 1),
                new WorkerEvent.BundledUnitReport(new WorkerEvent.UnitReport(3, "public.t3", UnitState.CANCELLED, 0, 0, 0, null, true,
                        "snap-a"), 1)));
        Decision after = Lifecycle.decide(d.job(), new Input.Report(report, NOW), BUNDLING);
        assertEquals(List.of(State.COPIED, State.QUEUED, State.COPYING), after.job().units.stream().map(u -> u.state).toList(),
                "3 is sent again at once, 2 after its backoff");
        assertEquals(NOW.plusSeconds(5), after.job().units.get(1).notBefore);
        assertTrue(after.effects(Effect.Event.class).stream().anyMatch(e -> e.message().contains("public.t2 failed (attempt 1 of 3)")));
    }

    @Test
    void withoutBundlesEveryUnitIsATaskOfItsOwn() {
        List<Effect.Copy> copies = decide(dumping(smalls(1, 5, 10)), new Input.RetriesDue(NOW)).effects(Effect.Copy.class);
        assertEquals(2, copies.size());
        assertTrue(copies.stream().allMatch(c -> c.bundle().isEmpty()));
    }

    private static JobSnapshot dumping(UnitSnapshot first, UnitSnapshot... more) {
        List<UnitSnapshot> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return dumping(all.toArray(UnitSnapshot[]::new));
    }

    private static JobSnapshot dumping(UnitSnapshot... units) {
        return withUnits(job(DUMPING, 1, db("a", JobPhase.FULL_DUMP, WorkerSignal.DUMP_STARTED, 1)), units);
    }

    /** Units {@code from}..{@code to} of {@code bytes} each (dispatched in their numbers' order). */
    private static UnitSnapshot[] smalls(int from, int to, long bytes) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> unit("a", n, "t" + n, bytes, State.QUEUED, 1)).toArray(UnitSnapshot[]::new);
    }

    private static WorkerEvent.UnitReport copied(int unitNo) {
        return new WorkerEvent.UnitReport(unitNo, "public.t" + unitNo, UnitState.COPIED, 5, 50, 10, null, true, "snap-a");
    }

    private static WorkerEvent bundleReport(int leader, List<Integer> bundled) {
        return new WorkerEvent.UnitDone(header("a", 1), copied(leader),
                bundled.stream().map(n -> new WorkerEvent.BundledUnitReport(copied(n), 1)).toList());
    }

    private static int unitNo(String unitJson) {
        try {
            return Json.read(unitJson, CopyUnit.class).unitNo();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
