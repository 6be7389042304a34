package dms.common.messages;

import dms.common.statemachine.JobAction;

/** The {@code type} of a record on the command topic. */
public enum CommandType {
    CREATE_CONNECTION_PROFILE(null),
    UPDATE_CONNECTION_PROFILE(null),
    DELETE_CONNECTION_PROFILE(null),
    CREATE_JOB(null),
    UPDATE_JOB(JobAction.EDIT),
    START(JobAction.START),
    STOP(JobAction.STOP),
    RESUME(JobAction.RESUME),
    RESTART(JobAction.RESTART),
    PROMOTE(JobAction.PROMOTE),
    VERIFY(JobAction.VERIFY),
    DELETE(JobAction.DELETE),
    /** Lists the databases of a connection profile's server (nothing changes): answered with {@link ProfileDatabases}. */
    LIST_DATABASES(null);

    private final JobAction action;

    CommandType(JobAction action) {
        this.action = action;
    }

    /** The state-machine action of a job command; {@code null} for create and profile commands. */
    public JobAction action() {
        return action;
    }

    public static CommandType of(JobAction action) {
        for (CommandType t : values()) {
            if (t.action == action) {
                return t;
            }
        }
        throw new IllegalArgumentException("no command for " + action);
    }
}
