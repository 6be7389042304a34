package dms.orchestrator.lifecycle;

import dms.common.messages.CopyRange;
import dms.common.messages.CopyUnit;
import dms.common.messages.TableName;
import dms.common.messages.WorkerEvent;
import dms.common.statemachine.JobStateMachine;
import dms.orchestrator.dump.CopyBundles;
import dms.orchestrator.dump.CopyRetryPolicy;
import dms.orchestrator.dump.CopyUnitEntity.State;
import dms.orchestrator.metrics.TaskMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job's copy units: handed out as copy tasks, at most N in flight per job (N from its
 * dumpParallelism, read at every dispatch, so an edit applies live), in {@link #HANDOUT_ORDER}.
 * Units move QUEUED → COPYING → COPIED; a unit that failed with a retryable error is queued
 * again, due after a backoff ({@link CopyRetryPolicy}: its {@code notBefore}), until its
 * attempts run out; a cancelled one (stop) goes back to QUEUED at once. Dispatch skips units not
 * due yet; the copy-retry timer dispatches them when they are. A unit is dispatched with the
 * database's current snapshot; a report under an older one is stale.
 */
final class CopyUnits {

    /**
     * The heaviest index work first, then the biggest: a table's indexes are built beside the copies after it, so the
     * table whose builds take longest should not be the last one copied (the builds would then run alone at the end).
     * Tables without indexes, or of the same index work, go biggest first.
     */
    static final Comparator<UnitSnapshot> HANDOUT_ORDER = Comparator.<UnitSnapshot>comparingLong(u -> u.estimatedBuildBytes).reversed()
            .thenComparing(Comparator.<UnitSnapshot>comparingLong(u -> u.estimatedBytes).reversed())
            .thenComparing(u -> u.database).thenComparing(u -> u.schemaName).thenComparing(u -> u.tableName)
            .thenComparingInt(u -> u.unitNo);

    private CopyUnits() {}

    /** What a unit's report means for its database. */
    enum Outcome { IGNORED, PROGRESS, DATABASE_COPIED, RETRY_SCHEDULED, FAILED_FOR_GOOD, SNAPSHOT_LOST }

    /**
     * A report's outcome; for a failed attempt also which attempt it was ({@code attempt} of
     * {@code maxAttempts}), the decision taken (the wait before the next one, or giving up) and
     * the range of the table the unit copies (null for a whole table).
     */
    record Recorded(Outcome outcome, int attempt, int maxAttempts, CopyRetryPolicy.Decision decision, CopyRange range) {
        static Recorded of(Outcome outcome) {
            return new Recorded(outcome, 0, 0, null, null);
        }
    }

    /** Replaces the database's units with the plan its preparing worker reported. */
    static void plan(Change c, DatabaseSnapshot db, String snapshotName, List<CopyUnit> units) {
        forget(c.job, db);
        units.forEach(u -> c.job.units.add(UnitSnapshot.planned(db.name, u, c.job.runEpoch, c.now)));
        db.snapshotName = snapshotName;
    }

    /** Whether the database has a plan (its dump got as far as DUMP_STARTED). */
    static boolean planned(JobSnapshot job, DatabaseSnapshot db) {
        return job.units.stream().anyMatch(u -> u.database.equals(db.name));
    }

    static boolean allCopied(JobSnapshot job, DatabaseSnapshot db) {
        return job.units(db.name).stream().allMatch(u -> u.state == State.COPIED);
    }

    /** Drops the database's units: it is no longer part of the job, or starts from the beginning. */
    static void forget(JobSnapshot job, DatabaseSnapshot db) {
        job.units.removeIf(u -> u.database.equals(db.name));
    }

    /**
     * A database whose dump is complete going on in a new run (resume, or a restart of other
     * databases): its copied units belong to the new run, so the job still shows what was copied.
     */
    static void carry(Change c, DatabaseSnapshot db) {
        c.job.units(db.name).forEach(u -> u.runEpoch = c.job.runEpoch);
    }

    /**
     * Before a new snapshot: the copied units stay (carried into the job's current run), every
     * other one waits in the queue, and the tables they belong to are returned: those are copied
     * again, whole, under the new snapshot (so each table has one sync LSN).
     */
    static List<TableName> requeueUnfinished(Change c, DatabaseSnapshot db) {
        List<UnitSnapshot> units = c.job.units(db.name);
        Set<TableName> recopy = new LinkedHashSet<>();
        units.stream().filter(u -> u.state != State.COPIED).forEach(u -> recopy.add(u.table()));
        for (UnitSnapshot u : units) {
            u.runEpoch = c.job.runEpoch;
            if (recopy.contains(u.table())) {
                // A new snapshot (resume, or the holder died): a fresh start, no backoff of earlier failures.
                u.state = State.QUEUED;
                u.attempts = 0;
                u.notBefore = null;
                u.leaseUntil = null;
                u.bundleOf = null;
                u.error = null;
                u.rowsCopied = null;
                u.bytesCopied = null;
                u.millis = null;
                u.snapshotName = null;
                u.syncLsn = null;
                u.updateTime = c.now;
            }
        }
        return List.copyOf(recopy);
    }

    /** Copies the job may still start now (its dumpParallelism less those in flight). */
    static int freeSlots(JobSnapshot job, Settings settings) {
        return settings.copiesInFlight(job.dumpParallelism) - (int) job.inFlight();
    }

    /**
     * Sends queued units that are due until the job has N copy tasks in flight. Only a copying job gets any. A small
     * unit takes the next small ones of its database along in its task ({@link CopyBundles}), as many as share the
     * tasks going out now evenly. Returns how many tasks were sent.
     */
    static int dispatch(Change c) {
        JobSnapshot job = c.job;
        if (!JobStateMachine.copiesWanted(job.status)) {
            return 0;
        }
        int free = freeSlots(job, c.settings);
        if (free <= 0) {
            return 0;
        }
        // A failed database's units wait for its restart, without taking the others' turn.
        List<UnitSnapshot> due = new ArrayList<>(job.units.stream()
                .filter(u -> u.state == State.QUEUED && u.runEpoch == job.runEpoch && (u.notBefore == null || !u.notBefore.isAfter(c.now)))
                .filter(u -> job.database(u.database).map(db -> !FailedDatabases.failed(job, db) && db.snapshotName != null).orElse(false))
                .sorted(HANDOUT_ORDER).toList());
        CopyBundles bundles = c.settings.bundles();
        int sent = 0;
        while (sent < free && !due.isEmpty()) {
            UnitSnapshot first = due.remove(0);
            List<UnitSnapshot> bundle = bundles.small(first.estimatedBytes) ? bundleAfter(first, due, bundles, free - sent) : List.of();
            due.removeAll(bundle);
            DatabaseSnapshot db = job.database(first.database).orElseThrow();
            List<Effect.Bundled> bundled = new ArrayList<>();
            send(c, first, db, null);
            for (UnitSnapshot u : bundle) {
                send(c, u, db, first.unitNo);
                bundled.add(new Effect.Bundled(u.unitJson, u.attempts));
            }
            c.add(new Effect.Copy(first.database, first.snapshotName, first.syncLsn, first.unitJson, first.attempts, bundled));
            sent++;
        }
        return sent;
    }

    /**
     * The small units of {@code first}'s database to copy after it in its task: the next ones in {@code due}, so many
     * that the small units left share the {@code tasks} that go out now evenly, within the bundle's bounds. (Not over
     * all the job's streams: those busy with a big table may stay so for minutes.)
     */
    private static List<UnitSnapshot> bundleAfter(UnitSnapshot first, List<UnitSnapshot> due, CopyBundles bundles, int tasks) {
        List<UnitSnapshot> candidates = due.stream().filter(u -> u.database.equals(first.database) && bundles.small(u.estimatedBytes))
                .toList();
        int share = (int) Math.ceil((candidates.size() + 1) / (double) Math.max(1, tasks));
        List<UnitSnapshot> bundle = new ArrayList<>();
        long bytes = first.estimatedBytes;
        for (UnitSnapshot u : candidates) {
            if (bundle.size() + 1 >= Math.min(share, bundles.maxUnits()) || bytes + u.estimatedBytes > bundles.maxBytes()) {
                break;
            }
            bundle.add(u);
            bytes += u.estimatedBytes;
        }
        return bundle;
    }

    /** The unit goes out now, under its database's current snapshot, alone or in the bundle {@code bundleOf} leads. */
    private static void send(Change c, UnitSnapshot unit, DatabaseSnapshot db, Integer bundleOf) {
        unit.state = State.COPYING;
        unit.attempts++;
        unit.notBefore = null;
        unit.leaseUntil = TaskLeases.until(c);
        unit.updateTime = c.now;
        unit.snapshotName = db.snapshotName;
        unit.syncLsn = db.syncLsn;
        unit.bundleOf = bundleOf;
    }

    /**
     * Records a unit's outcome; late or repeated reports (the unit is not COPYING), and reports of an
     * attempt the unit was sent again after ({@code attempt}: the one the report names, null if none), change nothing.
     */
    static Recorded record(Change c, String database, WorkerEvent.UnitReport report, Integer attempt) {
        Optional<UnitSnapshot> found = c.job.units.stream().filter(u -> u.database.equals(database) && u.unitNo == report.unitNo()).findFirst();
        if (found.isEmpty() || found.get().state != State.COPYING || found.get().runEpoch != c.job.runEpoch
                || (report.snapshotName() != null && !report.snapshotName().equals(found.get().snapshotName))
                || TaskLeases.supersededAttempt(found.get(), attempt)) {
            return Recorded.of(Outcome.IGNORED);
        }
        UnitSnapshot unit = found.get();
        unit.updateTime = c.now;
        unit.leaseUntil = null; // whatever the outcome, the unit leaves COPYING
        unit.bundleOf = null;
        switch (report.state()) {
            case COPIED -> {
                unit.state = State.COPIED;
                unit.rowsCopied = report.rows();
                unit.bytesCopied = report.bytes();
                unit.millis = report.millis();
                unit.error = null;
            }
            case CANCELLED -> unit.state = State.QUEUED;
            case SNAPSHOT_LOST -> {
                unit.state = State.QUEUED;
                unit.error = report.error();
                return Recorded.of(Outcome.SNAPSHOT_LOST);
            }
            case FAILED -> {
                CopyRetryPolicy policy = c.settings.retryPolicy();
                CopyRetryPolicy.Decision decision = failed(unit, report, policy, c.now);
                c.add(new Effect.Metric(TaskMetrics.COPY, false));
                if (decision instanceof CopyRetryPolicy.RetryAfter) {
                    c.add(new Effect.Metric(TaskMetrics.COPY, true));
                }
                CopyRange range = unit.unit().range();
                return new Recorded(decision instanceof CopyRetryPolicy.GiveUp ? Outcome.FAILED_FOR_GOOD : Outcome.RETRY_SCHEDULED,
                        unit.attempts, policy.maxAttempts(), decision, range == null || range.isWhole() ? null : range);
            }
        }
        boolean allCopied = c.job.units(database).stream().allMatch(u -> u.state == State.COPIED);
        return Recorded.of(allCopied && report.state() == WorkerEvent.UnitState.COPIED ? Outcome.DATABASE_COPIED : Outcome.PROGRESS);
    }

    /**
     * A failed attempt of {@code unit} (its {@code attempts} counts the one that failed): queued
     * again, due after the policy's backoff, or FAILED for good. Keeps the error for the job document.
     */
    static CopyRetryPolicy.Decision failed(UnitSnapshot unit, WorkerEvent.UnitReport report, CopyRetryPolicy policy, Instant now) {
        CopyRetryPolicy.Decision decision = policy.afterFailure(unit.attempts, report.retryable());
        unit.error = report.error();
        if (decision instanceof CopyRetryPolicy.RetryAfter retry) {
            unit.state = State.QUEUED;
            unit.notBefore = now.plus(retry.delay());
        } else {
            unit.state = State.FAILED;
            unit.notBefore = null;
        }
        return decision;
    }

    /** "copy of public.t failed (attempt 1 of 3): &lt;error&gt;; retrying in 5 s" */
    static String attemptFailed(WorkerEvent.UnitReport report, Recorded recorded) {
        String what = "copy of " + report.table() + (recorded.range() == null ? "" : " (" + recorded.range() + ")")
                + " failed (attempt " + recorded.attempt() + " of " + recorded.maxAttempts() + "): " + report.error() + "; ";
        if (recorded.decision() instanceof CopyRetryPolicy.RetryAfter retry) {
            return what + "retrying in " + seconds(retry.delay());
        }
        return what + (((CopyRetryPolicy.GiveUp) recorded.decision()).notRetryable() ? "not retryable" : "no attempt left");
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
