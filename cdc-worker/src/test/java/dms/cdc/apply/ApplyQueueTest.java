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
        ApplyQueue<String> queue = new ApplyQueue<>(100, 1_000_000);
        queue.put("t1", 10, 100);
        queue.put("t2", 10, 100);
        queue.put("t3", 10, 100);
        queue.put("t4", 10, 100);
        assertEquals(List.of("t1", "t2"), queue.takeGroup(2, 1000));
        assertEquals(List.of("t3"), queue.takeGroup(10, 15));
        assertEquals(List.of("t4"), queue.takeGroup(10, 5), "the first transaction is taken even when bigger than the limit");
    }

    @Test
    void aTimedTakeGivesNullWhenNothingCameEmptyOnceClosed() throws Exception {
        ApplyQueue<String> queue = new ApplyQueue<>(100, 1_000_000);
        long started = System.nanoTime();
        assertEquals(null, queue.takeGroup(10, 1000, TimeUnit.MILLISECONDS.toNanos(100)));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(100), "it waited");
        queue.put("t1", 1, 100);
        assertEquals(List.of("t1"), queue.takeGroup(10, 1000, TimeUnit.MILLISECONDS.toNanos(100)));
        queue.close();
        assertEquals(List.of(), queue.takeGroup(10, 1000, TimeUnit.MILLISECONDS.toNanos(100)));
    }

    @Test
    void anItemPutAloneIsAGroupOfItsOwn() throws Exception {
        ApplyQueue<String> queue = new ApplyQueue<>(100, 1_000_000);
        queue.put("t1", 1, 100);
        queue.putAlone("part", 1, 100);
        queue.putAlone("end", 1, 100);
        queue.put("t2", 1, 100);
        queue.put("t3", 1, 100);
        assertEquals(List.of("t1"), queue.takeGroup(10, 1000));
        assertEquals(List.of("part"), queue.takeGroup(10, 1000));
        assertEquals(List.of("end"), queue.takeGroup(10, 1000));
        assertEquals(List.of("t2", "t3"), queue.takeGroup(10, 1000));
    }

    @Test
    void aQueueFullOfChangesHoldsTheReaderBackUntilTheApplyTakes() throws Exception {
        ApplyQueue<String> queue = new ApplyQueue<>(20, 1_000_000);
        assertSecondWaitsForTheFirstToBeTaken(queue, 15, 100, 10, 100);
        assertTrue(queue.put("huge", 500, 100), "one transaction bigger than the queue still goes in when it is empty");
    }

    @Test
    void largeRowsFillTheQueueByTheirSize() throws Exception {
        assertSecondWaitsForTheFirstToBeTaken(new ApplyQueue<>(1_000, 1_000), 1, 800, 1, 800);
    }

    private static void assertSecondWaitsForTheFirstToBeTaken(ApplyQueue<String> queue, int changes1, long bytes1,
                                                              int changes2, long bytes2) throws Exception {
        queue.put("first", changes1, bytes1);
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> put(queue, "second", changes2, bytes2));
        assertThrowsTimeout(second);
        assertEquals(List.of("first"), queue.takeGroup(10, 10_000));
        assertTrue(second.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("second"), queue.takeGroup(10, 10_000));
    }

    @Test
    void closingWakesBothSidesAndDropsWhatWaits() throws Exception {
        ApplyQueue<String> queue = new ApplyQueue<>(10, 1_000_000);
        CompletableFuture<List<String>> taker = CompletableFuture.supplyAsync(() -> take(queue));
        assertThrowsTimeout(taker);
        queue.close();
        assertEquals(List.of(), taker.get(5, TimeUnit.SECONDS));
        assertFalse(queue.put("late", 1, 100));
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

    private static boolean put(ApplyQueue<String> queue, String value, int changes, long bytes) {
        try {
            return queue.put(value, changes, bytes);
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
