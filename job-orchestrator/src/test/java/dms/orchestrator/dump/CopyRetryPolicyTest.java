package dms.orchestrator.dump;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The arithmetic of copy retries: how long a failed unit waits, and when it is given up. */
class CopyRetryPolicyTest {

    @Test
    void theDefaultWaitsFiveThenFifteenSecondsAndGivesUpAtTheThirdFailure() {
        CopyRetryPolicy p = CopyRetryPolicy.DEFAULT;
        assertEquals(new CopyRetryPolicy.RetryAfter(Duration.ofSeconds(5)), p.afterFailure(1, true));
        assertEquals(new CopyRetryPolicy.RetryAfter(Duration.ofSeconds(15)), p.afterFailure(2, true));
        assertEquals(new CopyRetryPolicy.GiveUp(false), p.afterFailure(3, true));
        assertEquals(new CopyRetryPolicy.GiveUp(false), p.afterFailure(4, true), "a count past the limit (a lowered setting) gives up too");
    }

    @Test
    void aNonRetryableFailureIsGivenUpAtOnce() {
        assertEquals(new CopyRetryPolicy.GiveUp(true), CopyRetryPolicy.DEFAULT.afterFailure(1, false));
    }

    @Test
    void theWaitGrowsByTheMultiplierUpToTheMaximum() {
        CopyRetryPolicy p = new CopyRetryPolicy(10, Duration.ofSeconds(5), Duration.ofSeconds(60), 3);
        assertEquals(Duration.ofSeconds(5), p.backoff(1));
        assertEquals(Duration.ofSeconds(15), p.backoff(2));
        assertEquals(Duration.ofSeconds(45), p.backoff(3));
        assertEquals(Duration.ofSeconds(60), p.backoff(4), "135 s capped");
        assertEquals(Duration.ofSeconds(60), p.backoff(50), "no overflow far out");
        assertEquals(Duration.ofSeconds(60), p.backoff(5000));
    }

    @Test
    void fractionalSettingsAndAMultiplierOfOneWork() {
        assertEquals(Duration.ofMillis(750), new CopyRetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(1), 1.5).backoff(2));
        CopyRetryPolicy constant = new CopyRetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(2), 1);
        assertEquals(Duration.ofSeconds(2), constant.backoff(1));
        assertEquals(Duration.ofSeconds(2), constant.backoff(4));
        assertEquals(new CopyRetryPolicy.RetryAfter(Duration.ZERO),
                new CopyRetryPolicy(3, Duration.ZERO, Duration.ZERO, 3).afterFailure(1, true), "no backoff: queued again at once");
    }

    @Test
    void oneAttemptMeansNoRetry() {
        assertEquals(new CopyRetryPolicy.GiveUp(false), new CopyRetryPolicy(1, Duration.ofSeconds(5), Duration.ofSeconds(60), 3)
                .afterFailure(1, true));
    }

    @Test
    void nonsensicalSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CopyRetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2), 2));
        assertThrows(IllegalArgumentException.class, () -> new CopyRetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(2), 2));
        assertThrows(IllegalArgumentException.class, () -> new CopyRetryPolicy(3, Duration.ofSeconds(-1), Duration.ofSeconds(2), 2));
        assertThrows(IllegalArgumentException.class, () -> new CopyRetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5));
        assertThrows(IllegalArgumentException.class, () -> new CopyRetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN));
    }
}
