package dms.api.console;

import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobAction;
import dms.common.statemachine.JobStateMachine;
import dms.common.statemachine.JobStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The jobs ticked in the list and what may be done to all of them: like DMS, a bulk action
 * needs jobs of one status (state and phase), and offers that status's actions. The API's batch
 * call checks the same again (409 with {@code differingJobIds}).
 */
public record BulkSelection(List<String> jobIds, String status, List<String> statuses, List<String> actions) {

    public static BulkSelection of(List<MigrationJob> selected) {
        List<String> ids = selected.stream().map(MigrationJob::id).toList();
        Set<String> statuses = new LinkedHashSet<>();
        for (MigrationJob j : selected) {
            statuses.add(JobStatus.of(j.state(), j.phase()).toString());
        }
        if (statuses.size() != 1) {
            return new BulkSelection(ids, null, List.copyOf(statuses), List.of());
        }
        MigrationJob first = selected.get(0);
        List<String> actions = new ArrayList<>();
        for (JobAction a : JobStateMachine.allowedActions(JobStatus.of(first.state(), first.phase()))) {
            if (a != JobAction.EDIT) {
                actions.add(a.verb());
            }
        }
        return new BulkSelection(ids, statuses.iterator().next(), List.copyOf(statuses), actions);
    }

    public boolean empty() {
        return jobIds.isEmpty();
    }

    public boolean mixed() {
        return statuses.size() > 1;
    }
}
