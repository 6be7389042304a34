package dms.api.console;

import dms.common.messages.MigrationJob;
import dms.common.statemachine.JobAction;
import java.util.ArrayList;
import java.util.List;

/**
 * One action button of a job page: the path segment the console posts to, its label, and the
 * question asked first for what cannot be undone (promote, restart, delete with purge), as the
 * DMS console asks for promote. Which buttons exist is the job's {@code allowedActions}, that is
 * the state machine's; edit is the API's PATCH and has no button.
 */
public record ActionButton(String action, String label, String confirm) {

    public static List<ActionButton> of(MigrationJob job) {
        List<ActionButton> buttons = new ArrayList<>();
        if (job.allowedActions() == null) {
            return buttons;
        }
        for (JobAction a : job.allowedActions()) {
            switch (a) {
                case EDIT -> { }
                case PROMOTE -> buttons.add(new ActionButton("promote", "Promote", "Promote " + job.id()
                        + "? The destination becomes the primary: CDC ends and the source is no longer followed."));
                case RESTART -> buttons.add(new ActionButton("restart", "Restart", "Restart " + job.id()
                        + "? Every database is dumped again into an empty destination database."));
                case DELETE -> {
                    buttons.add(new ActionButton("delete", "Delete", "Delete " + job.id()
                            + "? Its slots and publications are dropped on the source; the destination data is kept."));
                    buttons.add(new ActionButton("delete-purge", "Delete and purge destination", "Delete " + job.id()
                            + " AND drop the destination databases it created? This cannot be undone."));
                }
                default -> buttons.add(new ActionButton(a.verb(), label(a), null));
            }
        }
        return buttons;
    }

    static String label(JobAction a) {
        return a.verb().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + a.verb().substring(1);
    }
}
