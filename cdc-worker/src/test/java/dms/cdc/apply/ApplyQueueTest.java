package dms.cdc.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ApplyQueueTest {

    @Test
    void takesWhatWaitsInOrderWithinTheLimits() throws Exception {
        ApplyQueue<String> queue = new ApplyQueue<>(100);
        queue.put("t1", 10);
        queue.put("t2", 10);
        queue.put("t3", 10);
        queue.put("t4", 10);
        assertEquals(List.of("t1", "t2"), queue.takeGroup(2, 1000));
        assertEquals(List.of("t3"), queue.takeGroup(10, 15));
        assertEquals(List.of("t4"), queue.takeGroup(10, 5), "the first transaction is taken even when bigger than the limit");
    }

    @Test
    void aFullQueueHoldsTheReaderBackUntilTheApplyTakes() throws Exception {
        ApplyQueue<String> queue = new ApplyQueue<>(20);
        queue.put("t1", 15);
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> put(queue, "t2", 10));
        assertThrowsTimeout(second);
        assertEquals(List.of("t1"), queue.takeGroup(10, 100));
        assertTrue(second.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("t2"), queue.takeGroup(10, 100));
        assertTrue(queue.put("huge", 500), "one transaction bigger than the queue still goes in when it is empty");
    }

    @Test
    void closingWakesBothSidesAndDropsWhatWaits() throws Exception {
        ApplyQueue<String> queue = new ApplyQueue<>(10);
        CompletableFuture<List<String>> taker = CompletableFuture.supplyAsync(() -> take(queue));
        assertThrowsTimeout(taker);
        queue.close();
        assertEquals(List.of(), taker.get(5, TimeUnit.SECONDS));
        assertFalse(queue.put("late", 1));
        assertEquals(List.of(), queue.takeGroup(10, 10));
    }

    private static void assertThrowsTimeout(CompletableFuture<?> f) throws Exception {
        try {
            f.get(300, TimeUnit.MILLISECONDS);
            throw new AssertionError("expected it to wait, it returned " + f.get());
        } catch (TimeoutException expected) {
            // still waiting
        }
    }

    private static boolean put(ApplyQueue<String> queue, String value, int changes) {
        try {
            return queue.put(value, changes);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> take(ApplyQueue<String> queue) {
        try {
            return queue.takeGroup(10, 10);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
