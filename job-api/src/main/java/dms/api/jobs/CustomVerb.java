package dms.api.jobs;

import dms.common.statemachine.JobAction;
import java.util.Optional;

/**
 * A custom verb on one job, {@code job-1:start}. The whole path segment reaches the resource
 * (RESTEasy Reactive cannot match {@code {id}:start}); it is split here on the last ':'.
 * Edit and delete are PATCH and DELETE, not verbs.
 */
public record CustomVerb(String jobId, JobAction action) {

    public static Optional<CustomVerb> parse(String segment) {
        int colon = segment == null ? -1 : segment.lastIndexOf(':');
        if (colon <= 0 || colon == segment.length() - 1) {
            return Optional.empty();
        }
        String verb = segment.substring(colon + 1);
        for (JobAction action : JobAction.values()) {
            if (action != JobAction.EDIT && action != JobAction.DELETE && action.verb().equals(verb)) {
                return Optional.of(new CustomVerb(segment.substring(0, colon), action));
            }
        }
        return Optional.empty();
    }
}
