package dms.api.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dms.common.json.Json;
import dms.common.kafka.Topics;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.JobEvent;
import dms.common.messages.JobSummary;
import dms.common.messages.MigrationJob;
import dms.common.messages.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one record of a projected topic to its view. A null value (tombstone) removes the
 * key. Kept free of Kafka types so it can be tested with plain strings.
 */
public final class ProjectionRouter {

    private final Topics topics;
    private final JobView jobs;
    private final OperationView operations;
    private final EventView events;
    private final ProfileView profiles;

    public ProjectionRouter(Topics topics, JobView jobs, OperationView operations, EventView events, ProfileView profiles) {
        this.topics = topics;
        this.jobs = jobs;
        this.operations = operations;
        this.events = events;
        this.profiles = profiles;
    }

    /** The topics this router reads. */
    public List<String> topicNames() {
        return List.of(topics.jobState(), topics.operations(), topics.jobEvents(), topics.profiles());
    }

    /** Applies a record; a value that does not parse throws and changes nothing. */
    public void apply(String topic, String key, String value) throws JsonProcessingException {
        if (key == null) {
            throw new IllegalArgumentException("record without a key");
        }
        if (topic.equals(topics.jobState())) {
            if (value == null) {
                jobs.remove(key);
            } else {
                jobs.offer(Json.read(value, MigrationJob.class));
            }
        } else if (topic.equals(topics.operations())) {
            if (value == null) {
                operations.remove(key);
            } else {
                applyOperation(Json.read(value, Operation.class));
            }
        } else if (topic.equals(topics.jobEvents())) {
            if (value == null) {
                events.remove(key);
            } else {
                events.add(key, Json.read(value, JobEvent.class));
            }
        } else if (topic.equals(topics.profiles())) {
            if (value == null) {
                profiles.remove(key);
            } else {
                profiles.put(key, Json.read(value, ConnectionProfile.class));
            }
        }
    }

    /**
     * Job documents in the response go to the job view first, so a request woken by this
     * verdict already reads the job as the command left it (read-your-writes across topics).
     * A batch names its jobs instead ({@link dms.common.messages.JobSummary}): the request waits
     * for their documents on job-state ({@link JobView#awaitVersions}).
     */
    private void applyOperation(Operation op) {
        if (op.name() == null) {
            throw new IllegalArgumentException("operation without a name");
        }
        SecretStripper.strip(op.response());
        jobsIn(op.response()).forEach(jobs::offer);
        operations.put(op);
    }

    /**
     * A whole job document, or the whole documents in a list field (a batch's, as Operations
     * written before batches named their jobs carry). A summary is not a document: offered, it
     * would hide the job's fields until the next change.
     */
    static List<MigrationJob> jobsIn(JsonNode response) {
        List<MigrationJob> found = new ArrayList<>();
        if (response == null || !response.isObject()) {
            return found;
        }
        if (isJob(response)) {
            found.add(Json.convert(response, MigrationJob.class));
            return found;
        }
        response.forEach(field -> {
            if (field.isArray()) {
                field.forEach(item -> {
                    if (isJob(item)) {
                        found.add(Json.convert(item, MigrationJob.class));
                    }
                });
            }
        });
        return found;
    }

    /**
     * The jobs a batch's response names ({@code migrationJobs}: {@link dms.common.messages.JobSummary}),
     * each with the version its document has after the batch; empty for any other response.
     */
    public static Map<String, Long> versionsNamedIn(JsonNode response) {
        Map<String, Long> versions = new HashMap<>();
        if (response != null) {
            response.path(JobSummary.FIELD).forEach(item -> {
                if (item.hasNonNull("id") && item.path("version").canConvertToLong()) {
                    versions.put(item.get("id").asText(), item.get("version").asLong());
                }
            });
        }
        return versions;
    }

    private static boolean isJob(JsonNode node) {
        return node.isObject() && node.hasNonNull("id") && node.hasNonNull("state") && node.hasNonNull("version")
                && node.hasNonNull("source") && node.hasNonNull("createTime");
    }
}
