package dms.orchestrator.lifecycle;

import dms.common.messages.CopyUnit;
import dms.common.messages.DatabaseProgress;
import dms.common.messages.DumpParallelism;
import dms.common.messages.JobEvent;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobStatus;
import dms.common.statemachine.WorkerSignal;
import dms.orchestrator.dump.CopyBundles;
import dms.orchestrator.dump.CopyRetryPolicy;
import dms.orchestrator.dump.CopyUnitEntity;
import dms.orchestrator.progress.RetainedWalWarning;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Jobs, databases, units and inputs for tests of {@link Lifecycle#decide}: no database, no Kafka. */
final class Jobs {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    /** How long a task's lease lasts in these tests. */
    static final Duration LEASE = Duration.ofMinutes(2);
    /** Two copies in flight (one at MIN), the default retries, a 5 min promote, 2 min leases. */
    static final Settings SETTINGS = new Settings(level -> level == DumpParallelism.MIN ? 1 : 2, level -> level == DumpParallelism.MIN ? 1 : 2, CopyRetryPolicy.DEFAULT,
            new RetainedWalWarning(0.8, 10L << 30), Duration.ofMinutes(5), Jobs.LEASE, CopyBundles.NONE);

    private Jobs() {}

    static JobSnapshot job(JobStatus status, long runEpoch, DatabaseSnapshot... databases) {
        return new JobSnapshot("j", status, runEpoch, null, null, null, "j", List.of(), DumpParallelism.OPTIMAL,
                Arrays.asList(databases), List.of());
    }

    /** A database in {@code phase} (null: not planned) whose last signal was {@code last} in run {@code epoch}. */
    static DatabaseSnapshot db(String name, JobPhase phase, WorkerSignal last, long epoch) {
        DatabaseProgress p = DatabaseProgress.initial(name);
        if (phase != null) {
            p = ReportedProgress.merge(p, signal(name, phase == JobPhase.FULL_DUMP ? WorkerSignal.DUMP_STARTED : WorkerSignal.DUMP_COMPLETED,
                    epoch));
        }
        return new DatabaseSnapshot(name, p, last, last == null ? null : epoch, phase == JobPhase.FULL_DUMP ? "snap-" + name : null,
                null, 0, null);
    }

    static UnitSnapshot unit(String database, int unitNo, String table, long bytes, CopyUnitEntity.State state, long runEpoch) {
        CopyUnit u = new CopyUnit(unitNo, "public", table, List.of("id"), null, bytes, 10, 0);
        UnitSnapshot s = UnitSnapshot.planned(database, u, runEpoch, NOW);
        s.state = state;
        if (state == CopyUnitEntity.State.COPYING) {
            s.attempts = 1;
            s.snapshotName = "snap-" + database;
        }
        return s;
    }

    static JobSnapshot withUnits(JobSnapshot job, UnitSnapshot... units) {
        job.units.addAll(Arrays.asList(units));
        return job;
    }

    /** A worker's signal; DUMP_STARTED without a plan (nothing to copy). */
    static WorkerEvent signal(String database, WorkerSignal signal, long runEpoch) {
        return WorkerEvent.bare("j", runEpoch, database, signal, "w");
    }

    static WorkerEvent.DumpStarted dumpStarted(String database, long runEpoch, String slot, String lsn, String snapshot, List<CopyUnit> units) {
        return new WorkerEvent.DumpStarted(header(database, runEpoch), slot, lsn, snapshot, units, null, null);
    }

    static WorkerEvent failed(String database, long runEpoch, String error) {
        return WorkerEvent.signal("j", runEpoch, database, WorkerSignal.FAILED, "w").withError(error);
    }

    static WorkerEvent.Header header(String database, long runEpoch) {
        return WorkerEvent.Header.of("j", runEpoch, database, "w");
    }

    static WorkerEvent unitReport(String database, int unitNo, WorkerEvent.UnitState state, long runEpoch, boolean retryable) {
        return new WorkerEvent.UnitDone(header(database, runEpoch), new WorkerEvent.UnitReport(unitNo, "public.t" + unitNo, state, 5, 50, 10,
                state == WorkerEvent.UnitState.COPIED ? null : "boom", retryable, "snap-" + database));
    }

    static Decision report(JobSnapshot job, WorkerEvent e) {
        return Lifecycle.decide(job, new Input.Report(e, NOW), SETTINGS);
    }

    static Decision decide(JobSnapshot job, Input input) {
        return Lifecycle.decide(job, input, SETTINGS);
    }

    /** Where the decision moved the job, in order. */
    static List<JobStatus> moves(Decision d) {
        return d.effects(Effect.Event.class).stream().filter(e -> e.type() == JobEvent.Type.STATUS_CHANGED).map(Effect.Event::to).toList();
    }
}
