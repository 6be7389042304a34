package dms.common.statemachine;

/** The state of a migration job, as Google Cloud DMS names it. */
public enum JobState {
    DRAFT, NOT_STARTED, STARTING, RUNNING, STOPPING, STOPPED, RESUMING, RESTARTING,
    FAILED, COMPLETED, DELETING, DELETED;

    /** Live jobs hold (or are about to hold) resources on the source: slots and publications. */
    public boolean holdsSourceResources() {
        return switch (this) {
            case DRAFT, NOT_STARTED, DELETED -> false;
            default -> true;
        };
    }
}
