package dms.common.statemachine;

import java.util.Objects;

/** A job's state and phase together: what the state machine keys on. */
public record JobStatus(JobState state, JobPhase phase) {
    public JobStatus {
        Objects.requireNonNull(state, "state");
    }

    public static JobStatus of(JobState state) {
        return new JobStatus(state, null);
    }

    public static JobStatus of(JobState state, JobPhase phase) {
        return new JobStatus(state, phase);
    }

    @Override
    public String toString() {
        return phase == null ? state.name() : state + "/" + phase;
    }
}
