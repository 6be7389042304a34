package dms.orchestrator.store;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationExpiryTest {

    private static final Instant NOW = Instant.parse("2025-03-08T12:00:00Z");

    @Test
    void operationsOlderThanTheRetentionExpire() {
        assertEquals(Instant.parse("2025-03-01T12:00:00Z"), OperationExpiry.cutoff(NOW, Duration.ofDays(7)));
        assertEquals(NOW.minusSeconds(20), OperationExpiry.cutoff(NOW, Duration.ofSeconds(20)));
    }

    @Test
    void aRetentionOfZeroOrLessIsRefusedRatherThanExpiringEverything() {
        assertThrows(IllegalArgumentException.class, () -> OperationExpiry.cutoff(NOW, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> OperationExpiry.cutoff(NOW, Duration.ofDays(-1)));
    }

    @Test
    void batchesRunUntilOneIsNotFull() {
        ArrayDeque<Integer> batches = new ArrayDeque<>(List.of(OperationExpiry.BATCH, OperationExpiry.BATCH, 17, 99));
        assertEquals(2 * OperationExpiry.BATCH + 17, OperationExpiry.inBatches(batches::pop));
        assertEquals(List.of(99), List.copyOf(batches), "no batch after the short one");
        assertEquals(0, OperationExpiry.inBatches(() -> 0));
    }
}
