package dms.orchestrator.dump;

import java.time.Duration;

/**
 * When a failed copy unit is tried again: up to {@code maxAttempts} attempts in all, the
 * next one after a wait that grows by {@code multiplier} from {@code initialBackoff} to at most
 * {@code maxBackoff} (5 s, 15 s, 45 s, 60 s ... by default). A source or destination away for a
 * few seconds then costs one attempt, not all of them. Pure: no clock, no database.
 */
public record CopyRetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    public static final CopyRetryPolicy DEFAULT = new CopyRetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(60), 3);

    public CopyRetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("dms.dump.retry.max-attempts must be at least 1, not " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("a copy retry backoff cannot be negative");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("dms.dump.retry.max-backoff (" + maxBackoff
                    + ") is below dms.dump.retry.initial-backoff (" + initialBackoff + ")");
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("dms.dump.retry.multiplier must be at least 1, not " + multiplier);
        }
    }

    /** What to do with a unit whose attempt number {@code attempt} (1 for the first) just failed. */
    public sealed interface Decision permits RetryAfter, GiveUp {}

    /** Queue it again, due after {@code delay}. */
    public record RetryAfter(Duration delay) implements Decision {}

    /** The unit failed for good: {@code notRetryable} when the worker said another attempt cannot help. */
    public record GiveUp(boolean notRetryable) implements Decision {}

    public Decision afterFailure(int attempt, boolean retryable) {
        if (!retryable) {
            return new GiveUp(true);
        }
        if (attempt >= maxAttempts) {
            return new GiveUp(false);
        }
        return new RetryAfter(backoff(attempt));
    }

    /** The wait after failed attempt {@code attempt}: initial × multiplier^(attempt-1), at most the maximum. */
    public Duration backoff(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(Math.round(millis));
    }
}
