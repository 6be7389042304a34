package dms.orchestrator.lifecycle;

import dms.common.messages.WorkerEvent;
import dms.common.statemachine.WorkerSignal;

/**
 * What happens to a job, decided in one place: {@code decide(job, input)} takes the job as stored
 * and what just happened to it (a user's command, a worker's report, a timer) and returns the job
 * as it is to be saved and the messages to send. It is pure: no database, no Kafka, no clock (the
 * input says what time it is); {@link JobLifecycle} loads, saves and sends around it.
 *
 * <p>Which action is allowed in which status, and which worker signal moves a job where, is the
 * table in {@link dms.common.statemachine.JobStateMachine} (docs/state-machine.md). Around it:
 * <ul>
 * <li>{@link Commands}: actions (a new run epoch, the databases of a start or of a restart) and edits
 *     (databases added to or removed from a running job);
 * <li>{@link Reports}: a worker's report, the {@link DatabaseAgreement} of the job's databases before
 *     it moves, and the next step of the database's dump ({@link DumpSteps});
 * <li>{@link Moves}: a move and the work entering the new status sends, per database;
 * <li>{@link CopyUnits}: the copy units' states and their dispatch;
 * <li>timers: copies whose backoff is over ({@code RetriesDue}), tasks whose lease expired ({@link TaskLeases}),
 *     a promote past its {@link PromoteDeadline}.
 * </ul>
 */
public final class Lifecycle {

    private Lifecycle() {}

    public static Decision decide(JobSnapshot job, Input input, Settings settings) {
        Change c = new Change(job.copy(), settings, input);
        if (input instanceof Input.Act a) {
            Commands.act(c, a);
        } else if (input instanceof Input.Edit e) {
            Commands.edit(c, e);
        } else if (input instanceof Input.Report r) {
            Reports.apply(c, r.event());
        } else if (input instanceof Input.RetriesDue) {
            if (CopyUnits.dispatch(c) > 0) {
                c.publish();
            }
        } else if (input instanceof Input.LeasesExpired) {
            TaskLeases.expire(c);
        } else if (input instanceof Input.PromoteTick) {
            // Each database still draining fails as if its worker had said so, with the reason no worker gave.
            String reason = PromoteDeadline.reason(settings.promoteTimeout());
            for (DatabaseSnapshot db : PromoteDeadline.overdue(c.job, c.now)) {
                Reports.apply(c, WorkerEvent.signal(job.id, job.runEpoch, db.name, WorkerSignal.FAILED, PromoteDeadline.WORKER)
                        .withError(reason));
            }
        } else if (input instanceof Input.ProfilesChanged) {
            Moves.refreshStreams(c);
        }
        return c.decision();
    }
}
