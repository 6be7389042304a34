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
        int built = s.submit(List.of(job(1, 10), job(2, 300), job(3, 20), job(4, 200)), (j, parallel) -> {
            order.add(j.sourceBytes());
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(100);
            now.decrementAndGet();
            return true;
        }).get(10, TimeUnit.SECONDS);
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
            return true;
        };
        try (AutoCloseable copy = s.copying()) {
            assertEquals(3, s.submit(List.of(job(1, 1), job(2, 2), job(3, 3)), count).get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, most.get(), "the copy holds the other stream: one build at a time");
    }

    @Test
    void aCopyEndingLendsItsStreamToBuildsWaitingAndAFailureOrAJobLeftToPostDataIsNotBuilt() throws Exception {
        IndexBuildStreams s = streams(2);
        AutoCloseable copy = s.copying();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CompletableFuture<Integer> built = s.submit(List.of(job(1, 1), job(2, 2), job(3, 3), job(4, 4)), (j, parallel) -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(150);
            now.decrementAndGet();
            if (j.sourceBytes() == 1) {
                throw new IllegalStateException("refused");
            }
            return j.sourceBytes() != 2; // left to post-data
        });
        Thread.sleep(60);
        copy.close();
        assertEquals(2, built.get(10, TimeUnit.SECONDS), "one failed, one left to post-data");
        assertTrue(most.get() == 2, "the stream the copy left builds too: " + most.get());
    }

    @Test
    void buildsWaitWhileCopiesUseEveryStreamAndNoneIsLeftOut() throws Exception {
        IndexBuildStreams s = streams(2);
        AutoCloseable first = s.copying();
        AutoCloseable second = s.copying();
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Integer> built = s.submit(List.of(job(1, 1), job(2, 2)), (j, parallel) -> started.incrementAndGet() > 0);
        Thread.sleep(200);
        assertEquals(0, started.get(), "no stream is free while two copies run on two");
        first.close();
        assertEquals(2, built.get(10, TimeUnit.SECONDS), "the stream a copy left builds both");
        second.close();
        assertEquals(0, s.submit(List.of(), (j, parallel) -> started.incrementAndGet() > 0).get(1, TimeUnit.SECONDS),
                "a table with nothing to build is done at once");
    }
}
