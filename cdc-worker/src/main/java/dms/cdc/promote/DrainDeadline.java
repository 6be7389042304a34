package dms.cdc.promote;

import dms.common.messages.CdcControl;
import java.time.Duration;
import java.time.Instant;

/**
 * When a promote's drain gives up: the deadline its DRAIN control carries (the orchestrator's
 * {@code dms.promote.drain-timeout} after it decided, the same for any instance that takes the
 * stream over), else {@code fallback} after this instance received it.
 *
 * @param timeout how long the promote was given, for the error text
 */
public record DrainDeadline(Instant at, Duration timeout) {

    public static DrainDeadline of(CdcControl control, Instant received, Duration fallback) {
        if (control.drainDeadline() != null) {
            Duration given = control.time() == null ? fallback : Duration.between(control.time(), control.drainDeadline());
            return new DrainDeadline(control.drainDeadline(), given.isNegative() ? Duration.ZERO : given);
        }
        return new DrainDeadline(received.plus(fallback), fallback);
    }

    public Duration remaining(Instant now) {
        Duration left = Duration.between(now, at);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
