package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.JobEvent;
import dms.common.messages.JobSummary;
import dms.common.messages.MigrationJob;
import dms.common.messages.PreflightReport;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobState;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import dms.orchestrator.verify.DataChecks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The verify action (docs/verify.md); the job's status never changes. Before start it answers the
 * pre-flight report (run before the write lock, see {@link dms.orchestrator.verify.Preflights});
 * from CDC on it starts a data check and answers the job document, whose {@code verification}
 * then fills in. A batch answers {@code {"reports": [...]}} or {@code {"migrationJobs": [...]}} (each job
 * named by a {@link JobSummary}).
 */
@ApplicationScoped
public class VerifyCommands {

    @Inject
    DataChecks dataChecks;
    @Inject
    JobEvents events;

    public Object verify(Command c, Map<String, PreflightReport> preflights) {
        List<MigrationJobEntity> jobs = c.targetJobIds().stream().map(JobCommands::existing).toList();
        if (c.isBatch()) {
            JobCommands.sameStatus(jobs);
        }
        jobs.forEach(job -> JobCommands.allowed(job, JobAction.VERIFY));
        boolean beforeStart = jobs.get(0).state == JobState.DRAFT || jobs.get(0).state == JobState.NOT_STARTED;
        List<PreflightReport> reports = new ArrayList<>();
        List<MigrationJob> checked = new ArrayList<>();
        for (MigrationJobEntity job : jobs) {
            if (beforeStart) {
                PreflightReport report = preflights.get(job.id);
                if (report == null) {
                    // Its status changed between the check and now (the check ran outside the lock).
                    throw CommandRejected.precondition("job " + job.id + " changed while it was checked: verify again",
                            JobCommands.details(job));
                }
                events.record(job, JobEvent.Type.PRE_FLIGHT, job.status(), job.status(), c.commandId(), null, summary(report));
                reports.add(report);
            } else {
                checked.add(dataChecks.start(job, c.commandId(), c.requestedBy()));
            }
        }
        if (!c.isBatch()) {
            return beforeStart ? reports.get(0) : checked.get(0);
        }
        return beforeStart ? Map.of("reports", reports) : JobSummary.batchResponse(checked);
    }

    static String summary(PreflightReport report) {
        if (report.findings().isEmpty()) {
            return "pre-flight passed: no finding";
        }
        return "pre-flight " + (report.passed() ? "passed" : "failed") + ": " + report.findings().stream()
                .map(f -> f.severity() + " " + f.code() + (f.database() == null ? "" : " (" + f.database() + ")"))
                .collect(Collectors.joining(", "));
    }
}
