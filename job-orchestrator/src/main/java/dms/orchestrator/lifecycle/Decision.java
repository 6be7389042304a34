package dms.orchestrator.lifecycle;

import java.util.List;

/**
 * What {@link Lifecycle#decide} made of an input: the job as it is to be saved (status, databases,
 * copy units) and the messages to send. {@code changed} is false when the input was ignored
 * (a report of an older run, or of a database the job does not migrate): nothing to save or send.
 */
public record Decision(JobSnapshot job, List<Effect> effects, boolean changed) {

    public <T extends Effect> List<T> effects(Class<T> kind) {
        return effects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
