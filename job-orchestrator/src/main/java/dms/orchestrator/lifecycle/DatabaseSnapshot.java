package dms.orchestrator.lifecycle;

import dms.common.messages.DatabaseProgress;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.WorkerSignal;
import java.util.List;

/** One database of a job as decisions see it: its last signal in which run, its progress, its dump's snapshot. */
public final class DatabaseSnapshot {

    public final String name;
    public DatabaseProgress progress;
    public WorkerSignal lastSignal;
    /** The run epoch {@link #lastSignal} belongs to: a signal of an older run does not count. */
    public Long signalEpoch;
    /** The exported snapshot the database's copies import now, null while a new one is awaited. */
    public String snapshotName;
    /** That snapshot's consistent LSN: the sync LSN of the tables copied under it. */
    public String syncLsn;
    public int snapshotsLost;
    public List<String> tablesWithoutIdentity;
    /** How many database tasks were sent for it (every run): the attempt number of the latest, which its reports name. */
    public int taskAttempt;
    /** The database task in flight under a lease, null when none is ({@link TaskLeases}). */
    public TaskLeases.Pending task;

    public DatabaseSnapshot(String name, DatabaseProgress progress, WorkerSignal lastSignal, Long signalEpoch,
                            String snapshotName, String syncLsn, int snapshotsLost, List<String> tablesWithoutIdentity) {
        this.name = name;
        this.progress = progress;
        this.lastSignal = lastSignal;
        this.signalEpoch = signalEpoch;
        this.snapshotName = snapshotName;
        this.syncLsn = syncLsn;
        this.snapshotsLost = snapshotsLost;
        this.tablesWithoutIdentity = tablesWithoutIdentity;
    }

    /** A database new to the job: nothing done yet. */
    public static DatabaseSnapshot fresh(String name) {
        return new DatabaseSnapshot(name, DatabaseProgress.initial(name), null, null, null, null, 0, null);
    }

    /**
     * The database's own phase: FULL_DUMP from its plan, CDC once its dump is complete (null before
     * its plan). A job's databases may be in different phases: one added to a job in CDC is dumped.
     */
    public JobPhase phase() {
        return progress.phase();
    }

    /** Whether the database's last signal belongs to run {@code runEpoch}. */
    public boolean signalledInRun(long runEpoch) {
        return lastSignal != null && signalEpoch != null && signalEpoch == runEpoch;
    }

    /** The same database with its task lease as stored. */
    public DatabaseSnapshot withTask(int attempt, TaskLeases.Pending pending) {
        this.taskAttempt = attempt;
        this.task = pending;
        return this;
    }

    DatabaseSnapshot copy() {
        return new DatabaseSnapshot(name, progress, lastSignal, signalEpoch, snapshotName, syncLsn, snapshotsLost, tablesWithoutIdentity)
                .withTask(taskAttempt, task);
    }
}
