package dms.common.statemachine;

import static dms.common.statemachine.JobAction.*;
import static dms.common.statemachine.JobPhase.*;
import static dms.common.statemachine.JobState.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The job state machine (the Google Cloud DMS model of states, phases and actions) as two tables of
 * data: user actions and worker signals.
 * The orchestrator applies it; docs/state-machine.md is generated from it ({@link #markdown()})
 * and a test keeps the two equal. Nothing else in the code decides what is allowed.
 */
public final class JobStateMachine {

    /** One row of the action table: in {@code from}, {@code action} leads to {@code to}. */
    public record ActionRule(JobStatus from, JobAction action, JobStatus to) {}

    /** One row of the signal table: in {@code from}, {@code signal} leads to {@code to}. */
    public record SignalRule(JobStatus from, WorkerSignal signal, JobStatus to) {}

    private static final List<ActionRule> ACTIONS = new ArrayList<>();
    private static final List<SignalRule> SIGNALS = new ArrayList<>();

    static {
        for (JobState fresh : List.of(DRAFT, NOT_STARTED)) {
            action(fresh, null, EDIT, fresh, null);
            action(fresh, null, VERIFY, fresh, null);
            action(fresh, null, START, STARTING, null);
            // Nothing exists on the source yet: nothing to clean up.
            action(fresh, null, DELETE, DELETED, null);
        }
        action(STARTING, null, DELETE, DELETING, null);

        action(RUNNING, FULL_DUMP, EDIT, RUNNING, FULL_DUMP);
        action(RUNNING, FULL_DUMP, STOP, STOPPING, FULL_DUMP);
        action(RUNNING, FULL_DUMP, DELETE, DELETING, FULL_DUMP);

        action(RUNNING, CDC, EDIT, RUNNING, CDC);
        action(RUNNING, CDC, STOP, STOPPING, CDC);
        action(RUNNING, CDC, PROMOTE, RUNNING, PROMOTE_IN_PROGRESS);
        // Verify from CDC on compares the data (docs/verify.md); the status does not change.
        action(RUNNING, CDC, VERIFY, RUNNING, CDC);
        action(RUNNING, CDC, DELETE, DELETING, CDC);

        action(RUNNING, PROMOTE_IN_PROGRESS, DELETE, DELETING, PROMOTE_IN_PROGRESS);

        for (JobPhase phase : List.of(FULL_DUMP, CDC)) {
            action(STOPPING, phase, DELETE, DELETING, phase);
            // Databases added while stopped are prepared when the job resumes or restarts (docs/state-machine.md, Editing).
            action(STOPPED, phase, EDIT, STOPPED, phase);
            action(STOPPED, phase, RESUME, RESUMING, phase);
            action(STOPPED, phase, RESTART, RESTARTING, null);
            action(STOPPED, phase, DELETE, DELETING, phase);
            action(RESUMING, phase, DELETE, DELETING, phase);
        }
        action(STOPPED, CDC, PROMOTE, RUNNING, PROMOTE_IN_PROGRESS);
        action(STOPPED, CDC, VERIFY, STOPPED, CDC);
        action(RESTARTING, null, DELETE, DELETING, null);

        // FAILED: some databases failed, the others go on (docs/state-machine.md, "Failure stays where it
        // happens"). Its phase is its least advanced database's; resume only makes sense from CDC. Stop
        // halts the healthy databases; promote is refused while a database is failed (resume first).
        for (JobPhase phase : new JobPhase[] {null, FULL_DUMP, CDC, PROMOTE_IN_PROGRESS}) {
            action(FAILED, phase, EDIT, FAILED, phase);
        }
        action(FAILED, null, RESTART, RESTARTING, null);
        action(FAILED, null, DELETE, DELETING, null);
        action(FAILED, FULL_DUMP, RESTART, RESTARTING, null);
        action(FAILED, FULL_DUMP, STOP, STOPPING, FULL_DUMP);
        action(FAILED, FULL_DUMP, DELETE, DELETING, FULL_DUMP);
        action(FAILED, CDC, RESTART, RESTARTING, null);
        action(FAILED, CDC, RESUME, RESUMING, CDC);
        action(FAILED, CDC, STOP, STOPPING, CDC);
        action(FAILED, CDC, DELETE, DELETING, CDC);
        action(FAILED, PROMOTE_IN_PROGRESS, RESUME, RESUMING, CDC);
        action(FAILED, PROMOTE_IN_PROGRESS, RESTART, RESTARTING, null);
        action(FAILED, PROMOTE_IN_PROGRESS, DELETE, DELETING, PROMOTE_IN_PROGRESS);

        action(COMPLETED, null, VERIFY, COMPLETED, null);
        action(COMPLETED, null, DELETE, DELETING, null);

        // Worker signals: the job moves once every database has sent the signal.
        signal(STARTING, null, WorkerSignal.DUMP_STARTED, RUNNING, FULL_DUMP);
        signal(RESTARTING, null, WorkerSignal.DUMP_STARTED, RUNNING, FULL_DUMP);
        // A restart of some databases: the others resume where they were (their dump or their stream).
        signal(RESTARTING, null, WorkerSignal.RESUMED, RUNNING, FULL_DUMP);
        signal(RUNNING, FULL_DUMP, WorkerSignal.DUMP_COMPLETED, RUNNING, CDC);
        signal(STOPPING, FULL_DUMP, WorkerSignal.STOPPED, STOPPED, FULL_DUMP);
        signal(STOPPING, CDC, WorkerSignal.STOPPED, STOPPED, CDC);
        signal(RESUMING, FULL_DUMP, WorkerSignal.RESUMED, RUNNING, FULL_DUMP);
        // Resuming a dump prepares its databases again (a fresh snapshot): they report DUMP_STARTED.
        signal(RESUMING, FULL_DUMP, WorkerSignal.DUMP_STARTED, RUNNING, FULL_DUMP);
        signal(RESUMING, CDC, WorkerSignal.RESUMED, RUNNING, CDC);
        signal(RUNNING, PROMOTE_IN_PROGRESS, WorkerSignal.PROMOTED, COMPLETED, null);
        for (JobPhase phase : new JobPhase[] {null, FULL_DUMP, CDC, PROMOTE_IN_PROGRESS}) {
            signal(DELETING, phase, WorkerSignal.CLEANED_UP, DELETED, null);
        }
        // One failed database fails the job (the others go on), keeping the phase for resume/restart.
        signal(STARTING, null, WorkerSignal.FAILED, FAILED, null);
        signal(RESTARTING, null, WorkerSignal.FAILED, FAILED, null);
        for (JobPhase phase : List.of(FULL_DUMP, CDC, PROMOTE_IN_PROGRESS)) {
            signal(RUNNING, phase, WorkerSignal.FAILED, FAILED, phase);
        }
        for (JobPhase phase : List.of(FULL_DUMP, CDC)) {
            signal(STOPPING, phase, WorkerSignal.FAILED, FAILED, phase);
            // A stopped job's slot can still be invalidated on the source: it fails, restart is the way on.
            signal(STOPPED, phase, WorkerSignal.FAILED, FAILED, phase);
            signal(RESUMING, phase, WorkerSignal.FAILED, FAILED, phase);
        }
    }

    private static void action(JobState from, JobPhase fromPhase, JobAction action, JobState to, JobPhase toPhase) {
        ACTIONS.add(new ActionRule(JobStatus.of(from, fromPhase), action, JobStatus.of(to, toPhase)));
    }

    private static void signal(JobState from, JobPhase fromPhase, WorkerSignal signal, JobState to, JobPhase toPhase) {
        SIGNALS.add(new SignalRule(JobStatus.of(from, fromPhase), signal, JobStatus.of(to, toPhase)));
    }

    private JobStateMachine() {}

    /** The status that {@code action} leads to from {@code from}, or empty when not allowed. */
    public static Optional<JobStatus> apply(JobStatus from, JobAction action) {
        return ACTIONS.stream()
                .filter(r -> r.from().equals(from) && r.action() == action)
                .map(ActionRule::to)
                .findFirst();
    }

    /** Actions allowed in a status, in table order. */
    public static Set<JobAction> allowedActions(JobStatus status) {
        Set<JobAction> allowed = EnumSet.noneOf(JobAction.class);
        ACTIONS.stream().filter(r -> r.from().equals(status)).forEach(r -> allowed.add(r.action()));
        return allowed;
    }

    /** The status a job moves to when {@code signal} holds for its databases, or empty. */
    public static Optional<JobStatus> onSignal(JobStatus from, WorkerSignal signal) {
        return SIGNALS.stream()
                .filter(r -> r.from().equals(from) && r.signal() == signal)
                .map(SignalRule::to)
                .findFirst();
    }

    /**
     * Whether table copies of the job's current run are wanted: it is starting, resuming or running its
     * dump, or failed before its dump was done (its healthy databases go on copying; the failed ones' copies
     * are not sent).
     */
    public static boolean copiesWanted(JobStatus status) {
        return switch (status.state()) {
            case STARTING, RESTARTING -> true;
            case RESUMING, RUNNING -> status.phase() == FULL_DUMP;
            case FAILED -> status.phase() == null || status.phase() == FULL_DUMP;
            default -> false;
        };
    }

    /** A failure moves the job as soon as one database reports it; the others wait for all. */
    public static boolean needsAllDatabases(WorkerSignal signal) {
        return signal != WorkerSignal.FAILED;
    }

    public static List<ActionRule> actionRules() {
        return Collections.unmodifiableList(ACTIONS);
    }

    public static List<SignalRule> signalRules() {
        return Collections.unmodifiableList(SIGNALS);
    }

    /** Every status that appears in the tables, by state then phase. */
    public static List<JobStatus> statuses() {
        Set<JobStatus> seen = new java.util.TreeSet<>(java.util.Comparator
                .comparing(JobStatus::state)
                .thenComparing(JobStatus::phase, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        ACTIONS.forEach(r -> { seen.add(r.from()); seen.add(r.to()); });
        SIGNALS.forEach(r -> { seen.add(r.from()); seen.add(r.to()); });
        return List.copyOf(seen);
    }

    /** The tables as Markdown, for docs/state-machine.md. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| state | phase | allowed actions |\n|---|---|---|\n");
        for (JobStatus s : statuses()) {
            Set<JobAction> allowed = allowedActions(s);
            md.append("| ").append(s.state()).append(" | ").append(s.phase() == null ? "—" : s.phase())
              .append(" | ").append(allowed.isEmpty() ? "—" : String.join(", ", allowed.stream().map(JobAction::verb).toList()))
              .append(" |\n");
        }
        md.append("\n| from | action | to |\n|---|---|---|\n");
        ACTIONS.forEach(r -> md.append("| ").append(r.from()).append(" | ").append(r.action().verb())
                .append(" | ").append(r.to()).append(" |\n"));
        md.append("\n| from | worker signal (all databases; FAILED: any) | to |\n|---|---|---|\n");
        SIGNALS.forEach(r -> md.append("| ").append(r.from()).append(" | ").append(r.signal())
                .append(" | ").append(r.to()).append(" |\n"));
        return md.toString();
    }
}
