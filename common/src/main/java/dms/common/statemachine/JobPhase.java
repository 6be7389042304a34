package dms.common.statemachine;

/** Where a started job is in the migration; {@code null} before the first start. */
public enum JobPhase {
    FULL_DUMP, CDC, PROMOTE_IN_PROGRESS
}
