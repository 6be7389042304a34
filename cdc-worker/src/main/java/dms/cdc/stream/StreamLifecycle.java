package dms.cdc.stream;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where one {@link CdcStream} is in its life, and which moves are allowed: one state instead of
 * separate "halted", "engine ended", "failed" flags that had to be read together.
 *
 * <pre>
 *   STREAMING ──drain──▶ DRAINING ──drain given up──▶ STREAMING
 *      │                    │
 *      ├── stop / drained ──┴──▶ STOPPING ──engine ended──▶ STOPPED
 *      ├── apply failed ────────▶ FAILING ──engine ended──▶ FAILED
 *      └── engine ended on its own ─────▶ STOPPED (or FAILED when it ended with an error)
 * </pre>
 *
 * Once STOPPING or FAILING nothing more is applied or acknowledged; a failure seen while stopping
 * (the destination connection closing under the apply) does not turn a stop into a failure.
 */
public final class StreamLifecycle {

    public enum State {
        /** Applying what the slot delivers. */
        STREAMING,
        /** Applying up to a drain marker, then stopping. */
        DRAINING,
        /** Asked to stop (or drained): applies nothing more; the engine is being closed. */
        STOPPING,
        /** Failed: applies nothing more; the engine is being closed. */
        FAILING,
        /** Ended normally: the engine has ended. */
        STOPPED,
        /** Ended on a failure: the engine has ended. */
        FAILED
    }

    private static final Map<State, Set<State>> ALLOWED = Map.of(
            State.STREAMING, EnumSet.of(State.DRAINING, State.STOPPING, State.FAILING, State.STOPPED, State.FAILED),
            State.DRAINING, EnumSet.of(State.STREAMING, State.STOPPING, State.FAILING, State.STOPPED, State.FAILED),
            State.STOPPING, EnumSet.of(State.STOPPED),
            State.FAILING, EnumSet.of(State.FAILED),
            State.STOPPED, EnumSet.noneOf(State.class),
            State.FAILED, EnumSet.noneOf(State.class));

    private volatile State state = State.STREAMING;
    private volatile CdcStreamException failure;

    public State state() {
        return state;
    }

    /** Whether {@code from} may move to {@code to}. */
    public static boolean allowed(State from, State to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Moves to {@code next} if allowed from the current state; false (and no change) if not. */
    public synchronized boolean moveTo(State next) {
        if (!allowed(state, next)) {
            return false;
        }
        state = next;
        return true;
    }

    /** Moves to FAILING with its reason, unless the stream is already stopping or ended. */
    public synchronized boolean fail(CdcStreamException reason) {
        if (!moveTo(State.FAILING)) {
            return false;
        }
        failure = reason;
        return true;
    }

    /**
     * The engine has ended: STOPPING ends STOPPED, FAILING ends FAILED; a stream still running ends
     * STOPPED if the engine ended cleanly, else FAILED with {@code otherwise} as its reason.
     *
     * @return the failure the stream ended with, or null
     */
    public synchronized CdcStreamException engineEnded(boolean cleanly, CdcStreamException otherwise) {
        switch (state) {
            case STOPPING -> state = State.STOPPED;
            case FAILING -> state = State.FAILED;
            case STREAMING, DRAINING -> {
                if (cleanly) {
                    state = State.STOPPED;
                } else {
                    failure = otherwise;
                    state = State.FAILED;
                }
            }
            case STOPPED, FAILED -> { }
        }
        return state == State.FAILED ? failure : null;
    }

    /** Nothing more is applied or acknowledged. */
    public boolean halted() {
        State s = state;
        return s != State.STREAMING && s != State.DRAINING;
    }

    /** The engine has ended. */
    public boolean ended() {
        State s = state;
        return s == State.STOPPED || s == State.FAILED;
    }

    public CdcStreamException failure() {
        return failure;
    }
}
