package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dms.common.statemachine.JobPhase;
import dms.common.statemachine.JobState;
import java.util.List;
import java.util.Map;

/**
 * A job as a batch Operation names it: {@code response.migrationJobs} lists these, not whole job
 * documents, so that the Operation of a batch of 1,000 jobs stays far below Kafka's message limit
 * (a document is a kilobyte or more; a summary under a hundred bytes). The documents themselves
 * are on {@code dms.job-state}, at {@code version} or newer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSummary(String id, JobState state, JobPhase phase, long version, long runEpoch) {

    /** The response field that lists them. */
    public static final String FIELD = "migrationJobs";

    public static JobSummary of(MigrationJob job) {
        return new JobSummary(job.id(), job.state(), job.phase(), job.version(), job.runEpoch());
    }

    /** A batch Operation's response: {@code {"migrationJobs": [summary, ...]}}. */
    public static Map<String, List<JobSummary>> batchResponse(List<MigrationJob> jobs) {
        return Map.of(FIELD, jobs.stream().map(JobSummary::of).toList());
    }
}
