package dms.common.statemachine;

import java.util.Locale;

/** A user action on a job: a REST verb and a command type on the command topic. */
public enum JobAction {
    EDIT, VERIFY, START, STOP, RESUME, RESTART, PROMOTE, DELETE;

    /** The REST custom-verb spelling: {@code start}, {@code stop} ... */
    public String verb() {
        return name().toLowerCase(Locale.ROOT);
    }
}
