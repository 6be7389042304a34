package dms.orchestrator.lifecycle;

import dms.common.messages.CdcControl;
import dms.common.messages.DumpTask;
import dms.common.messages.JobEvent;
import dms.common.messages.TableName;
import dms.common.statemachine.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One decision in the making: the job being changed (a copy of the snapshot) and the messages decided so far, in order. */
final class Change {

    final JobSnapshot job;
    final Settings settings;
    final Instant now;
    private final String commandId;
    private final List<Effect> effects = new ArrayList<>();
    private boolean changed;

    Change(JobSnapshot job, Settings settings, Input input) {
        this.job = job;
        this.settings = settings;
        this.now = input.now();
        this.commandId = input.commandId();
    }

    Decision decision() {
        return new Decision(job, List.copyOf(effects), changed);
    }

    /** Something was decided (state saved, messages sent), even if no message is. */
    void changed() {
        changed = true;
    }

    void event(JobEvent.Type type, JobStatus from, JobStatus to, String database, String message) {
        add(new Effect.Event(type, from, to, commandId, database, message));
    }

    /** A task for the whole database, under a new lease (it replaces the one in flight, if any). */
    void task(DumpTask.Kind kind, DatabaseSnapshot db, Boolean purgeDestination) {
        // A prepare plans the copy units for the copies the job has in flight (how far to split big tables).
        task(kind, db, purgeDestination, kind == DumpTask.Kind.PREPARE_DATABASE ? settings.copiesInFlight(job.dumpParallelism) : null);
    }

    void task(DumpTask.Kind kind, DatabaseSnapshot db, Boolean purgeDestination, Integer parallelism) {
        add(new Effect.DatabaseTask(kind, db.name, purgeDestination, parallelism, TaskLeases.grant(this, db, kind, purgeDestination)));
    }

    /** NEW_SNAPSHOT for the tables to copy again, under a new lease. */
    void newSnapshot(DatabaseSnapshot db, List<TableName> recopy) {
        add(new Effect.NewSnapshot(db.name, recopy, TaskLeases.grant(this, db, DumpTask.Kind.NEW_SNAPSHOT, null)));
    }

    void cdc(DatabaseSnapshot db, CdcControl.Desired desired) {
        add(new Effect.Cdc(db.name, desired, now, null));
    }

    void cdcCleared(DatabaseSnapshot db) {
        add(new Effect.CdcCleared(db.name));
    }

    void publish() {
        add(new Effect.PublishDocument());
    }

    void add(Effect effect) {
        effects.add(effect);
        changed = true;
    }

    /** Databases stay in name order, the order their work is sent in. */
    void sortDatabases() {
        job.databases.sort(Comparator.comparing(db -> db.name));
    }
}
