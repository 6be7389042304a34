package dms.orchestrator.commands;

import dms.common.messages.Command;
import dms.common.messages.JobEvent;
import dms.common.messages.PreflightReport;
import dms.common.messages.PreflightReport.Finding;
import dms.orchestrator.store.JobEvents;
import dms.orchestrator.store.MigrationJobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Start and restart run the pre-flight first (docs/verify.md): an ERROR finding refuses the
 * command, all-or-nothing for a batch, with the findings in the error; a job that passes gets
 * the report as an event. {@code skipValidation} goes ahead without it, as gcloud's
 * {@code --skip-validation} does.
 */
@ApplicationScoped
public class StartChecks {

    @Inject
    JobEvents events;

    void requirePassed(Command c, List<MigrationJobEntity> jobs, Map<String, PreflightReport> reports) {
        Map<String, List<Finding>> errors = new LinkedHashMap<>();
        for (MigrationJobEntity job : jobs) {
            PreflightReport report = reports.get(job.id);
            if (report == null) {
                // Its status changed between the check and now (the check ran outside the lock).
                throw CommandRejected.precondition("job " + job.id + " changed while it was checked: try again",
                        JobCommands.details(job));
            }
            List<Finding> refusing = report.findings().stream().filter(f -> f.severity() == PreflightReport.Severity.ERROR).toList();
            if (!refusing.isEmpty()) {
                errors.put(job.id, refusing);
            }
        }
        if (errors.isEmpty()) {
            jobs.forEach(job -> events.record(job, JobEvent.Type.PRE_FLIGHT, job.status(), job.status(), c.commandId(), null,
                    VerifyCommands.summary(reports.get(job.id))));
            return;
        }
        String verb = c.type().action().verb();
        String found = errors.entrySet().stream()
                .map(e -> (c.isBatch() ? "job " + e.getKey() + ": " : "") + e.getValue().stream()
                        .map(f -> f.code() + (f.database() == null ? "" : " (" + f.database() + ")") + ": " + f.message())
                        .collect(Collectors.joining("; ")))
                .collect(Collectors.joining("; "));
        Map<String, Object> details;
        if (c.isBatch()) {
            details = new LinkedHashMap<>();
            details.put("preflights", errors);
        } else {
            details = JobCommands.details(jobs.get(0));
            details.put("findings", errors.values().iterator().next());
        }
        throw CommandRejected.precondition(verb + " refused by the pre-flight: " + found + ". Fix what it found (each finding"
                + " says how), or " + verb + " with skipValidation to go ahead anyway", details);
    }
}
