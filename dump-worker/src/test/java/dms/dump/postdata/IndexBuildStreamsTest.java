package dms.dump.postdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.dump.schema.ArchiveToc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sharing of a worker's streams between copies and index builds. */
class IndexBuildStreamsTest {

    private static IndexJob job(int id, long bytes) {
        return new IndexJob(new ArchiveToc.Entry(id + "; 1259 " + id + " INDEX public i" + id + " u", id, 1259, id, "INDEX public i" + id + " u"),
                bytes);
    }

    private static IndexBuildStreams streams(int n) {
        IndexBuildStreams s = new IndexBuildStreams();
        s.configuredStreams = n;
        return s;
    }

    @Test
    void aTablesIndexesRunOnEveryFreeStreamBiggestFirst() throws Exception {
        IndexBuildStreams s = streams(2);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Long> order = Collections.synchronizedList(new ArrayList<>());
        int built = s.buildAll(List.of(job(1, 10), job(2, 300), job(3, 20), job(4, 200)), (j, parallel) -> {
            order.add(j.sourceBytes());
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(100);
            now.decrementAndGet();
        });
        assertEquals(4, built);
        assertEquals(2, most.get(), "two streams, two builds at once");
        assertEquals(List.of(300L, 200L), order.subList(0, 2).stream().sorted(Collections.reverseOrder()).toList(), "the biggest first");
    }

    @Test
    void aRunningCopyKeepsItsStream() throws Exception {
        IndexBuildStreams s = streams(2);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        IndexBuildStreams.Builder count = (j, parallel) -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(50);
            now.decrementAndGet();
        };
        try (AutoCloseable copy = s.copying()) {
            assertEquals(3, s.buildAll(List.of(job(1, 1), job(2, 2), job(3, 3)), count));
        }
        assertEquals(1, most.get(), "the copy holds the other stream: one build at a time");
    }

    @Test
    void aCopyEndingLendsItsStreamToBuildsWaitingAndAFailureCountsAsNotBuilt() throws Exception {
        IndexBuildStreams s = streams(2);
        AutoCloseable copy = s.copying();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CompletableFuture<Integer> built = CompletableFuture.supplyAsync(() -> {
            try {
                return s.buildAll(List.of(job(1, 1), job(2, 2), job(3, 3), job(4, 4)), (j, parallel) -> {
                    most.accumulateAndGet(now.incrementAndGet(), Math::max);
                    Thread.sleep(150);
                    now.decrementAndGet();
                    if (j.sourceBytes() == 1) {
                        throw new IllegalStateException("refused");
                    }
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(60);
        copy.close();
        assertEquals(3, built.get(10, TimeUnit.SECONDS));
        assertTrue(most.get() == 2, "the stream the copy left builds too: " + most.get());
    }
}
