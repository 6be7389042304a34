package dms.api.jobs;

import dms.common.statemachine.JobAction;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A custom verb on one job, {@code job-1:start}. The whole path segment reaches the resource
 * (RESTEasy Reactive cannot match {@code {id}:start}); it is split here on the last ':'.
 * Edit and delete are PATCH and DELETE, not verbs.
 */
public record CustomVerb(String jobId, JobAction action) {

    /** The actions that are custom verbs (each its own path in the OpenAPI document). */
    public static List<JobAction> actions() {
        return Arrays.stream(JobAction.values()).filter(a -> a != JobAction.EDIT && a != JobAction.DELETE).toList();
    }

    public static Optional<CustomVerb> parse(String segment) {
        int colon = segment == null ? -1 : segment.lastIndexOf(':');
        if (colon <= 0 || colon == segment.length() - 1) {
            return Optional.empty();
        }
        String verb = segment.substring(colon + 1);
        for (JobAction action : actions()) {
            if (action.verb().equals(verb)) {
                return Optional.of(new CustomVerb(segment.substring(0, colon), action));
            }
        }
        return Optional.empty();
    }
}
