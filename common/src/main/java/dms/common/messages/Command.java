package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A record on the command topic ({@code dms.commands}), key = jobId (profile id for profile
 * commands, first job id for a batch). The public contract for automation: see
 * docs/command-contract.md and docs/schemas/command.schema.json.
 *
 * <p>{@code jobIds} makes a bulk action: every job must be in the same status, else none
 * changes. {@code commandId} makes the command idempotent: the same id twice is applied once.
 * Start and restart run the pre-flight first and are refused on an ERROR finding, unless
 * {@code skipValidation} (as gcloud's {@code --skip-validation}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Command(
        String commandId,
        CommandType type,
        String jobId,
        List<String> jobIds,
        String profileId,
        String requestedBy,
        Instant requestTime,
        ConnectionProfile connectionProfile,
        JobSpec job,
        JobPatch patch,
        Boolean purgeDestination,
        List<String> databases,
        Boolean skipValidation) {

    /** The jobs this command acts on: {@code jobIds} for a bulk command, else {@code jobId}. */
    public List<String> targetJobIds() {
        if (jobIds != null && !jobIds.isEmpty()) {
            return jobIds;
        }
        return jobId == null ? List.of() : List.of(jobId);
    }

    public boolean isBatch() {
        return jobIds != null && !jobIds.isEmpty();
    }

    /** The Kafka key: keeps one job's commands in order on one partition. */
    public String kafkaKey() {
        if (type == CommandType.CREATE_CONNECTION_PROFILE || type == CommandType.UPDATE_CONNECTION_PROFILE
                || type == CommandType.DELETE_CONNECTION_PROFILE || type == CommandType.LIST_DATABASES) {
            return profileId != null ? profileId : connectionProfile != null ? connectionProfile.id() : commandId;
        }
        if (type == CommandType.CREATE_JOB && job != null && job.id() != null) {
            return job.id();
        }
        List<String> targets = targetJobIds();
        return targets.isEmpty() ? commandId : targets.get(0);
    }

    public static Builder builder(CommandType type) {
        return new Builder(type);
    }

    /** Builds a command; only the fields a command type needs are set. */
    public static final class Builder {
        private final CommandType type;
        private String commandId = java.util.UUID.randomUUID().toString();
        private String jobId;
        private List<String> jobIds;
        private String profileId;
        private String requestedBy;
        private Instant requestTime = Instant.now();
        private ConnectionProfile connectionProfile;
        private JobSpec job;
        private JobPatch patch;
        private Boolean purgeDestination;
        private List<String> databases;
        private Boolean skipValidation;

        private Builder(CommandType type) { this.type = type; }

        public Builder commandId(String v) { commandId = v; return this; }
        public Builder jobId(String v) { jobId = v; return this; }
        public Builder jobIds(List<String> v) { jobIds = v; return this; }
        public Builder profileId(String v) { profileId = v; return this; }
        public Builder requestedBy(String v) { requestedBy = v; return this; }
        public Builder requestTime(Instant v) { requestTime = v; return this; }
        public Builder connectionProfile(ConnectionProfile v) { connectionProfile = v; return this; }
        public Builder job(JobSpec v) { job = v; return this; }
        public Builder patch(JobPatch v) { patch = v; return this; }
        public Builder purgeDestination(Boolean v) { purgeDestination = v; return this; }
        public Builder databases(List<String> v) { databases = v; return this; }
        public Builder skipValidation(Boolean v) { skipValidation = v; return this; }

        public Command build() {
            return new Command(commandId, type, jobId, jobIds, profileId, requestedBy, requestTime,
                    connectionProfile, job, patch, purgeDestination, databases, skipValidation);
        }
    }
}
