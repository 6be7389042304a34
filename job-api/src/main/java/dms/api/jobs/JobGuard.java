package dms.api.jobs;

import dms.api.problems.Problem;
import dms.api.problems.ProblemKind;
import dms.api.problems.Problems;
import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The API's pre-checks of a job action against the projection, with the state machine's
 * table as the only judge. The orchestrator checks again (the projection can be a moment
 * behind); these turn the common mistakes into an immediate, precise answer.
 */
public final class JobGuard {

    private JobGuard() {}

    public static JobStatus statusOf(MigrationJob job) {
        return JobStatus.of(job.state(), job.phase());
    }

    /** 409 unless {@code action} is allowed in the job's status. */
    public static void requireAllowed(MigrationJob job, JobAction action) {
        JobStatus status = statusOf(job);
        if (JobStateMachine.apply(status, action).isEmpty()) {
            throw Problems.actionNotAllowed("job " + job.id(), status, action).toException();
        }
    }

    /**
     * The one status every job of a batch shares: 404 naming the missing jobs, 409 naming the
     * jobs whose status differs from the first job's (with every job's status), then 409 if
     * the action is not allowed in that status.
     */
    public static JobStatus requireBatch(List<String> jobIds, Function<String, Optional<MigrationJob>> find, JobAction action) {
        List<String> missing = new ArrayList<>();
        List<MigrationJob> found = new ArrayList<>();
        for (String id : jobIds) {
            find.apply(id).ifPresentOrElse(found::add, () -> missing.add(id));
        }
        if (!missing.isEmpty()) {
            throw Problem.of(ProblemKind.NOT_FOUND, "unknown jobs: " + String.join(", ", missing))
                    .with("missingJobIds", missing).toException();
        }
        JobStatus first = statusOf(found.get(0));
        List<MigrationJob> differing = found.stream().filter(j -> !statusOf(j).equals(first)).toList();
        if (!differing.isEmpty()) {
            Map<String, Map<String, Object>> statuses = new LinkedHashMap<>();
            found.forEach(j -> statuses.put(j.id(), statusBody(statusOf(j))));
            throw Problem.of(ProblemKind.FAILED_PRECONDITION, "the jobs of a batch must share one status: "
                            + found.get(0).id() + " is " + first + ", but "
                            + differing.stream().map(j -> j.id() + " is " + statusOf(j)).collect(Collectors.joining(", ")))
                    .with("differingJobIds", differing.stream().map(MigrationJob::id).toList())
                    .with("jobStatuses", statuses)
                    .toException();
        }
        if (JobStateMachine.apply(first, action).isEmpty()) {
            throw Problems.actionNotAllowed("the jobs", first, action).toException();
        }
        return first;
    }

    private static Map<String, Object> statusBody(JobStatus status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", status.state());
        body.put("phase", status.phase());
        return body;
    }
}
